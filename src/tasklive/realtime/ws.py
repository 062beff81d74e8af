"""`GET /ws/{user_id}/chat`: live events out, ping/chat/cancel/resume frames in."""

import asyncio
import contextlib
import logging
import re
from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from tasklive.auth.credentials import offered_token
from tasklive.errors import (
    WS_GOING_AWAY,
    WS_POLICY_VIOLATION,
    WS_TOO_BIG,
    WS_TOO_MANY_CONNECTIONS,
    WS_TRY_AGAIN_LATER,
    AuthenticationError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    TaskliveError,
    TooManyConnectionsError,
    UnavailableError,
    error_body,
    ws_close_code,
)
from tasklive.logs import echoing_request_id, request_id_of, request_id_var
from tasklive.realtime.brokers.base import BrokerUnavailableError, Position
from tasklive.realtime.connection import Connection
from tasklive.realtime.events import ERROR, PONG
from tasklive.realtime.frames import (
    ApproveFrame,
    AuthFrame,
    CancelFrame,
    ChatFrame,
    ClientFrame,
    PingFrame,
    ResumeFrame,
    parse_frame,
)
from tasklive.realtime.hub import Hub
from tasklive.realtime.resume import UNRESUMABLE, parse_resume
from tasklive.realtime.sinks import TransportSink
from tasklive.realtime.ws_auth import authenticate
from tasklive.services import get_services

logger = logging.getLogger(__name__)
router = APIRouter(tags=["live events"])

WS_INTERNAL_ERROR = 1011
CLOSE_SECONDS = 10.0
DRAIN_SECONDS = 2.0
REASONS = {
    WS_TRY_AGAIN_LATER: "Too far behind: reconnect and resume",
    WS_GOING_AWAY: "Server is shutting down",
    WS_TOO_BIG: "Frame too large",
    WS_POLICY_VIOLATION: "Session expired or revoked",
}
INTERNAL = "Something went wrong on our side. Please try again."
LIVE_PATH = re.compile(r"/(?:api/)?ws/([^/]+)/chat")


class LiveEventsFirst:
    """Live sockets skip the HTTP middleware stack, so each open one holds a shallow task."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = LIVE_PATH.fullmatch(scope["path"]) if scope["type"] == "websocket" else None
        if match is None:
            await self.app(scope, receive, send)
            return
        scope["app"] = self.app
        request_id = request_id_of(scope)
        token = request_id_var.set(request_id)
        try:
            websocket = WebSocket(scope, receive, echoing_request_id(send, request_id))
            await live_events(websocket, match[1])
        finally:
            request_id_var.reset(token)


@router.websocket("/ws/{user_id}/chat")
@router.websocket("/api/ws/{user_id}/chat")  # the seed project's path, same endpoint
async def live_events(websocket: WebSocket, user_id: str) -> None:
    """One browser tab or client: authenticate, then stream the user's events."""
    services = get_services(websocket)
    try:
        offered = offered_token(websocket, services.settings)
        resume = _forget_request(websocket)
        expires_at, credential = await authenticate(
            websocket,
            user_id,
            offered.token if offered else None,
            services.settings,
            services.sessionmaker,
            services.live_credentials.checking,
        )
    except (AuthenticationError, PermissionDeniedError) as exc:
        if websocket.application_state == WebSocketState.CONNECTING:
            await websocket.accept()
        await _close(websocket, WS_POLICY_VIOLATION, exc.message)
        return
    except UnavailableError as exc:
        if websocket.application_state == WebSocketState.CONNECTING:
            await websocket.accept()
        await _close(websocket, WS_TRY_AGAIN_LATER, exc.message)
        return
    except WebSocketDisconnect:
        return
    except Exception:
        logger.exception("Could not authenticate a WebSocket")
        if websocket.application_state == WebSocketState.CONNECTING:
            await websocket.accept()
        await _close(websocket, WS_INTERNAL_ERROR, "Server error; try again")
        return
    websocket.scope["query_string"] = b""
    hub: Hub = services.hub
    # Starlette keeps the server's own `receive`; through it, frames skip the ASGI send path.
    sink = TransportSink.of(websocket._receive, services.settings.ws_queue_size)
    try:
        connection = await hub.attach(user_id, resume, sink)
    except BrokerUnavailableError as exc:
        await _close(websocket, WS_TRY_AGAIN_LATER, exc.message)
        return
    except TooManyConnectionsError as exc:
        await _close(websocket, WS_TOO_MANY_CONNECTIONS, exc.message)
        return
    # Closed with 1008 when the credential expires or is revoked.
    services.live_credentials.opened(credential, connection, expires_at)
    try:
        if sink is None:
            await _serve_queued(websocket, connection)
        else:
            await _serve_direct(websocket, connection, sink)
    finally:
        hub.detach(connection)
        services.live_credentials.ended(credential, connection, expires_at)


def _forget_request(websocket: WebSocket) -> Position | None:
    """Where `?last_seq=&epoch=` resumes; then the request's headers are dropped, before the
    socket waits its turn to be checked, rather than kept for its life. The query string (the
    token too) goes once the accept line is logged, redacted."""
    query = websocket.query_params
    resume = parse_resume(query.get("last_seq"), query.get("epoch", ""))
    websocket.scope["headers"] = []
    for cached in ("_headers", "_query_params", "_cookies", "_url"):
        websocket.__dict__.pop(cached, None)
    return resume


async def _serve_direct(websocket: WebSocket, connection: Connection, sink: TransportSink) -> None:
    """Frames go out as the hub delivers them; this task only reads, with no writer task."""
    closing: list[asyncio.Task[None]] = []

    def close(code: int) -> None:
        closing.append(asyncio.ensure_future(_close(websocket, code, REASONS.get(code, ""), sink)))

    sink.on_close = close
    try:
        await _read(websocket, connection)  # ends with the peer, or once our close frame is out
    finally:
        sink.discard()
    if closing:
        await closing[0]


async def _serve_queued(websocket: WebSocket, connection: Connection) -> None:
    """Any other ASGI server: a writer task drains the connection's queue."""
    closed_event = asyncio.Event()
    connection.on_closed = lambda _: closed_event.set()
    reader = asyncio.create_task(_read(websocket, connection))
    writer = asyncio.create_task(_write(websocket, connection))
    closed = asyncio.create_task(closed_event.wait())
    try:
        await asyncio.wait({reader, writer, closed}, return_when=asyncio.FIRST_COMPLETED)
        if connection.close_code is None:
            return  # the peer left, or sending to it failed
        if connection.close_code != WS_TRY_AGAIN_LATER and not writer.done():
            await asyncio.wait({writer}, timeout=DRAIN_SECONDS)
        writer.cancel()
        await _close(websocket, connection.close_code, REASONS.get(connection.close_code, ""))
    finally:
        for task in (reader, writer, closed):
            task.cancel()
        await asyncio.gather(reader, writer, closed, return_exceptions=True)


async def _write(websocket: WebSocket, connection: Connection) -> None:
    while (item := await connection.next()) is not None:
        await websocket.send_text(item.data)


async def _read(websocket: WebSocket, connection: Connection) -> None:
    limit = get_services(websocket).settings.ws_max_frame_bytes
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        text = message.get("text")
        if text is None:
            binary = InvalidInputError("Send JSON text frames.")
            connection.reply(ERROR, binary.message, **error_body(binary))
            continue
        if len(text) > limit or (len(text) * 4 > limit and len(text.encode()) > limit):
            connection.close(WS_TOO_BIG, drain=False)
            return
        await _handle(websocket, connection, text)


async def _handle(websocket: WebSocket, connection: Connection, text: str) -> None:
    try:
        await _dispatch(websocket, connection, parse_frame(text))
    except TaskliveError as exc:
        close_code = ws_close_code(exc)
        if close_code is not None:
            connection.close(close_code, drain=False)
            return
        connection.reply(ERROR, exc.message, **error_body(exc))
    except Exception:
        logger.exception("A WebSocket frame failed")
        connection.reply(ERROR, INTERNAL, error=INTERNAL, code="internal")


async def _dispatch(websocket: WebSocket, connection: Connection, frame: ClientFrame) -> None:
    user_id = connection.user_id
    if isinstance(frame, PingFrame):
        connection.reply(PONG, "pong")
    elif isinstance(frame, ChatFrame):
        await _runner(websocket).start(
            user_id,
            frame.message,
            conversation_id=frame.conversation_id,
            client_message_id=frame.client_message_id,
        )
    elif isinstance(frame, ApproveFrame):
        await _runner(websocket).resolve_approval(user_id, frame.approval_id, frame.approved)
    elif isinstance(frame, CancelFrame):
        if not await _runner(websocket).cancel(user_id, frame.run_id):
            raise NotFoundError(
                "That run is not running; it may have finished already.", run_id=frame.run_id
            )
    elif isinstance(frame, ResumeFrame):
        after = parse_resume(frame.last_seq, frame.epoch) or UNRESUMABLE
        await get_services(websocket).hub.resume(connection, after)
    elif isinstance(frame, AuthFrame):
        raise InvalidInputError("This connection is already authenticated.")


def _runner(websocket: WebSocket) -> Any:
    return get_services(websocket).runner


async def _close(
    websocket: WebSocket, code: int, reason: str, sink: TransportSink | None = None
) -> None:
    """Close, giving a stalled peer CLOSE_SECONDS to take the close frame (then drop it)."""
    if websocket.application_state != WebSocketState.CONNECTED:
        return
    reason = reason.encode()[:120].decode(errors="ignore")
    with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
        try:
            await asyncio.wait_for(websocket.close(code, reason), CLOSE_SECONDS)
        except TimeoutError:
            if sink is not None:
                sink.abort()
