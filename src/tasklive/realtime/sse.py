"""`GET /api/{user_id}/events`: the live event stream as Server-Sent Events."""

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import StreamingResponse

from tasklive.auth.tokens import credential_key
from tasklive.deps import (
    HubDep,
    LiveCredentialsDep,
    PathUser,
    PrincipalDep,
    SessionDep,
    SettingsDep,
)
from tasklive.openapi import errors
from tasklive.realtime.brokers.base import Position
from tasklive.realtime.connection import Connection
from tasklive.realtime.hub import Hub
from tasklive.realtime.resume import UNRESUMABLE, parse_resume

router = APIRouter(tags=["live events"])

KEEPALIVE_SECONDS = 15.0


@router.get(
    "/api/{user_id}/events",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}},
        **errors(429),
    },
)
async def event_stream(
    user: PathUser,
    principal: PrincipalDep,
    session: SessionDep,
    hub: HubDep,
    live: LiveCredentialsDep,
    settings: SettingsDep,
    last_event_id: Annotated[str | None, Header()] = None,
    last_seq: Annotated[str | None, Query()] = None,
    epoch: Annotated[str | None, Query(max_length=64)] = None,
) -> StreamingResponse:
    """Same events as the WebSocket; `id:` is the seq, so `Last-Event-ID` resumes.

    The stream ends when the caller's token expires or is revoked, as a WebSocket is closed then.
    """
    await session.close()  # never hold a database connection for the life of a stream
    resume = parse_resume(last_event_id if last_event_id is not None else last_seq, epoch)
    if resume is not None and resume != UNRESUMABLE and not resume.epoch:
        resume = Position((await hub.broker.head(user.id)).epoch, resume.seq)
    connection = await hub.attach(user.id, resume)
    credential = credential_key(principal.token, settings.resolved_secret_key)
    live.opened(credential, connection)
    return StreamingResponse(
        _frames(hub, connection, principal.expires_at, lambda: live.ended(credential, connection)),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _frames(
    hub: Hub, connection: Connection, expires_at: datetime, ended: Callable[[], None]
) -> AsyncIterator[str]:
    try:
        yield "retry: 2000\n\n"
        while True:
            remaining = (expires_at - datetime.now(UTC)).total_seconds()
            if remaining <= 0:
                return
            try:
                item = await asyncio.wait_for(connection.next(), min(KEEPALIVE_SECONDS, remaining))
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            if item is None:
                return
            yield f"id: {item.seq}\ndata: {item.data}\n\n"
    finally:
        hub.detach(connection)
        ended()
