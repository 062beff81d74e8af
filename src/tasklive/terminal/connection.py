"""The live event stream: one WebSocket that reconnects and resumes by itself."""

import asyncio
import json
import logging
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException

from tasklive.errors import WS_POLICY_VIOLATION, AuthenticationError
from tasklive.terminal.service import ServiceClient

log = logging.getLogger(__name__)

RECONNECTED = "reconnected"  # a local marker event, never sent by the service
MAX_BACKOFF_SECONDS = 5.0
# Answers to this connection's own frames; they repeat the last seq instead of taking a new one.
CONNECTION_REPLIES = frozenset({"error", "pong", "resumed"})


class EventStream:
    """Receives a user's events in seq order into a queue; reconnects with resume on drops."""

    def __init__(self, service: ServiceClient, user_id: str) -> None:
        self.service = service
        self.user_id = user_id
        self.last_seq: int | None = None
        self.epoch: str | None = None
        self.events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.connected = asyncio.Event()
        self.generation = 0  # +1 for each connection made
        self._socket: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self.failure: Exception | None = None

    async def start(self) -> None:
        """Connect (raising when that fails outright) and keep receiving in the background."""
        await self._connect()
        self._reader = asyncio.create_task(self._receive_forever(), name="tasklive-events")

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)
        if self._socket is not None:
            await self._socket.close()

    async def send(self, frame: dict[str, Any]) -> int:
        """Send a frame, waiting for the connection if it is being re-established.

        Returns the generation of the connection it went out on.
        """
        while True:
            await self.connected.wait()
            assert self._socket is not None
            try:
                await self._socket.send(json.dumps(frame))
                return self.generation
            except ConnectionClosed:
                self.connected.clear()

    async def _connect(self) -> None:
        url = self.service.ws_url(self.user_id, self.last_seq, self.epoch)
        try:
            socket = await connect(url, open_timeout=10, max_size=2**22)
        except InvalidStatus as exc:
            if exc.response.status_code in (401, 403):
                await self.service.current_user()  # raises AuthenticationError if the token is it
            raise
        try:
            first = json.loads(await socket.recv())
        except ConnectionClosed as exc:
            if exc.rcvd is not None and exc.rcvd.code == WS_POLICY_VIOLATION:
                raise AuthenticationError("The service refused the token. Sign in again.") from exc
            raise
        if first.get("event_type") != "connection_established":
            await socket.close()
            raise AuthenticationError(first.get("error") or "The service refused the connection.")
        if self.last_seq is None or first.get("epoch") != self.epoch:
            # A first connection, or a service that started a new count: resume from its position.
            self.last_seq = int(first.get("seq") or 0)
            self.epoch = first.get("epoch")
        self._socket = socket
        self.generation += 1
        self.connected.set()

    async def _receive_forever(self) -> None:
        backoff = 0.2
        while True:
            close_code = await self._receive()
            self.connected.clear()
            if close_code == WS_POLICY_VIOLATION:
                return await self._fail(AuthenticationError("Your session has ended."))
            while True:
                await asyncio.sleep(backoff)  # back off between attempts; nothing to await instead
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                try:
                    await self._connect()
                except AuthenticationError as exc:
                    return await self._fail(exc)
                except (OSError, TimeoutError, WebSocketException, ValueError) as exc:
                    log.debug("reconnect failed: %s", exc)
                    continue
                backoff = 0.2
                await self.events.put({"event_type": RECONNECTED})
                break

    async def _receive(self) -> int | None:
        """Queue events until the connection closes, however it closes; returns the close code."""
        socket = self._socket
        assert socket is not None
        try:
            async for raw in socket:
                try:
                    event = json.loads(raw)
                except ValueError:
                    continue
                if self._seen(event):
                    continue
                await self.events.put(event)
        except ConnectionClosed:
            pass  # dropped without a closing handshake: the close code says what is known
        return socket.close_code

    def _seen(self, event: dict[str, Any]) -> bool:
        """Whether an event was already received (replayed around a reconnect); tracks the seq."""
        seq = event.get("seq")
        if not isinstance(seq, int):
            return False
        epoch = event.get("epoch", self.epoch)
        if self.last_seq is None or epoch != self.epoch or seq > self.last_seq:
            self.last_seq, self.epoch = seq, epoch
            return False
        return event.get("event_type") not in CONNECTION_REPLIES

    async def _fail(self, exc: Exception) -> None:
        self.failure = exc
        await self.events.put({"event_type": "error", "message": str(exc), "fatal": True})
