"""Who is on the other end of a WebSocket: query token, Bearer header, cookie, or an auth frame."""

import asyncio
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from tasklive.auth.tokens import credential_key, user_from_token
from tasklive.config import Settings
from tasklive.errors import FOREIGN_ERRORS, AuthenticationError, PermissionDeniedError, domain_error
from tasklive.realtime.frames import AuthFrame, parse_frame

SIGN_IN = "Sign in to continue."


async def token_from_first_frame(websocket: WebSocket, wait_seconds: float) -> str:
    """The token in a first `{"type": "auth", "token"}` frame, sent within `wait_seconds`."""
    try:
        message = await asyncio.wait_for(websocket.receive(), wait_seconds)
    except TimeoutError:
        raise AuthenticationError("No credentials arrived in time.") from None
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000))
    try:
        frame = parse_frame(message.get("text") or "")
    except Exception:
        raise AuthenticationError(SIGN_IN) from None
    if not isinstance(frame, AuthFrame):
        raise AuthenticationError(SIGN_IN)
    return frame.token


async def authenticate(
    websocket: WebSocket,
    user_id: str,
    token: str | None,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    checking: asyncio.Semaphore,
) -> tuple[datetime, str | None]:
    """Accept the socket for the path's own user, by the token its handshake offered or else
    its first frame; returns when the token expires and its key.

    Raises AuthenticationError or PermissionDeniedError (the caller closes with 1008).
    """
    if token is None:
        await websocket.accept()
        token = await token_from_first_frame(websocket, settings.ws_auth_timeout_seconds)
    # A burst of connects (every tab after a restart) checks a few credentials at a time: the
    # others wait holding only their handshake, not a database session each. Their short-lived
    # state used to spread over memory the open sockets then kept (bench_fanout's idle memory).
    async with checking:
        try:
            async with sessionmaker() as session:
                user, expires_at = await user_from_token(
                    session, token, settings.resolved_secret_key
                )
        except FOREIGN_ERRORS as exc:
            raise (domain_error(exc) or exc) from exc
        if user.id != user_id:
            raise PermissionDeniedError("You can only connect to your own live events.")
        if websocket.application_state == WebSocketState.CONNECTING:
            await websocket.accept()
    return expires_at, credential_key(token, settings.resolved_secret_key)
