"""uvicorn's websockets-sansio protocol, holding only what an open live socket still needs, and
its HTTP protocol handing over the bytes that follow an upgrade request."""

from __future__ import annotations

import asyncio
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.http11 import Request
from websockets.protocol import Protocol


class Inbox:
    """The messages waiting for the app: a list and one waiter instead of asyncio.Queue's
    three deques and an Event (about 3 KiB per socket)."""

    __slots__ = ("_items", "_waiter")

    def __init__(self) -> None:
        self._items: list[Any] = []
        self._waiter: asyncio.Future[None] | None = None

    def put_nowait(self, item: Any) -> None:
        self._items.append(item)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def empty(self) -> bool:
        return not self._items

    async def get(self) -> Any:
        while not self._items:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._items.pop(0)


class Flag:
    """asyncio.Event's four methods without its deque: the waiters list exists while needed."""

    __slots__ = ("_set", "_waiters")

    def __init__(self) -> None:
        self._set = True
        self._waiters: list[asyncio.Future[None]] | None = None

    def is_set(self) -> bool:
        return self._set

    def set(self) -> None:
        self._set = True
        waiters, self._waiters = self._waiters, None
        for waiter in waiters or ():
            if not waiter.done():
                waiter.set_result(None)

    def clear(self) -> None:
        self._set = False

    async def wait(self) -> bool:
        if self._set:
            return True
        waiter = asyncio.get_running_loop().create_future()
        if self._waiters is None:
            self._waiters = []
        self._waiters.append(waiter)
        try:
            await waiter
        finally:
            if self._waiters is not None and waiter in self._waiters:
                self._waiters.remove(waiter)
        return True


class LiveWebSocketProtocol(WebSocketsSansIOProtocol):
    """Same wire behaviour (pings, limits, close codes); less kept per open socket."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Duck-typed stand-ins for the asyncio.Queue and asyncio.Event the base class declares.
        self.queue = Inbox()  # type: ignore[assignment]
        self.writable = Flag()  # type: ignore[assignment]

    def handle_connect(self, event: Request) -> None:
        super().handle_connect(event)
        # The answer is built by now and the scope holds the headers: the parsed request (its
        # headers twice over) is not read again, so it does not wait out the app's checks.
        # websockets declares it non-optional.
        self.request = None  # type: ignore[assignment]
        self._drop_parsed_request()

    async def send(self, message: Any) -> None:
        await super().send(message)
        if message["type"] == "websocket.accept":
            self.response = None  # type: ignore[assignment]

    def _drop_parsed_request(self) -> None:
        """websockets' handshake parser keeps the request (headers and all) in its frame for
        the socket's life; a fresh frame parser is the same thing without it."""
        conn = self.conn
        waiting = getattr(getattr(conn.parser, "gi_yieldfrom", None), "gi_yieldfrom", None)
        # Only between frames: LiveHttpProtocol hands over the request before any bytes that
        # followed it; mid-frame, the old parser would hold part of a frame.
        if getattr(waiting, "__name__", None) == "at_eof" and not conn.reader.buffer:
            conn.parser = Protocol.parse(conn)
            next(conn.parser)


class LiveHttpProtocol(HttpToolsProtocol):
    """uvicorn's HTTP protocol, except that what a client sends right behind its upgrade request
    (a first frame, before our 101 arrived) reaches the WebSocket instead of being dropped."""

    def data_received(self, data: bytes) -> None:
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            message = "Invalid HTTP request received."
            self.logger.warning(message)
            self.send_400_response(message)
        except httptools.HttpParserUpgrade as upgrade:
            if not self._should_upgrade():
                self._unsupported_upgrade_warning()
                return
            self.handle_websocket_upgrade()  # the WebSocket protocol now owns the transport
            # The parser's callbacks hold this protocol in a cycle: without it, the request's
            # state goes at once instead of waiting for a garbage collection.
            self.parser = None  # type: ignore[assignment]
            rest = data[upgrade.args[0] :]
            if rest and not self.transport.is_closing():
                websocket = self.transport.get_protocol()
                assert isinstance(websocket, asyncio.Protocol)
                websocket.data_received(rest)
