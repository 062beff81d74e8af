"""Where a connection's frames go: straight onto a WebSocket transport, or a queue a task drains."""

from __future__ import annotations

import asyncio
import functools
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import Frame, Opcode
from websockets.protocol import OPEN


class Item(Protocol):
    """A serialized event and the seq it carries (the SSE `id:`)."""

    @property
    def seq(self) -> int: ...

    @property
    def data(self) -> str: ...


class Sink(Protocol):
    """Takes frames without ever waiting; `put` answers False when its backlog is full."""

    size: int

    def put(self, item: Item, *, shared: bool = False) -> bool: ...

    def allow(self, extra: int) -> None:
        """Let the backlog exceed its bound by `extra` items once (a replay)."""
        ...

    def closing(self, code: int, *, drain: bool) -> None:
        """No more items: end after the backlog went out (`drain`) or at once."""
        ...


def text_frame(data: str) -> bytes:
    """An unmasked, uncompressed server text frame."""
    return Frame(Opcode.TEXT, data.encode()).serialize(mask=False)


@functools.lru_cache(maxsize=64)
def shared_text_frame(data: str) -> bytes:
    """The frame of an event that goes to many sockets: encoded once, the same bytes for all."""
    return text_frame(data)


class QueueSink:
    """A bounded queue that one task drains with `next()`: SSE, or any other ASGI server."""

    __slots__ = ("_allowance", "_ended", "_items", "_ready", "size")

    def __init__(self, size: int) -> None:
        self.size = size
        self._allowance = 0
        self._items: deque[Item] = deque()
        self._ready = asyncio.Event()
        self._ended = False

    def put(self, item: Item, *, shared: bool = False) -> bool:
        if len(self._items) >= self.size + self._allowance:
            return False
        self._items.append(item)
        self._ready.set()
        return True

    def allow(self, extra: int) -> None:
        self._allowance += extra

    def closing(self, code: int, *, drain: bool) -> None:
        if not drain:
            self._items.clear()
        self._ended = True
        self._ready.set()

    async def next(self) -> Item | None:
        """The next item, or None once the sink is closed and drained."""
        while not self._items:
            if self._ended:
                return None
            self._ready.clear()
            await self._ready.wait()
        self._allowance = max(0, self._allowance - 1)
        return self._items.popleft()


class TransportSink:
    """Writes each frame straight to the socket's transport; queues only while it is paused.

    As python-websockets' `broadcast()` does, but bounded: a peer whose backlog overflows is
    closed (by the connection) instead of buffering without end.
    """

    __slots__ = ("_allowance", "_backlog", "_closing", "_flusher", "_protocol", "on_close", "size")

    def __init__(self, protocol: Any, size: int) -> None:
        self.size = size
        self.on_close: Callable[[int], None] | None = None
        self._protocol = protocol
        self._allowance = 0
        self._backlog: deque[bytes] | None = None
        self._flusher: asyncio.Task[None] | None = None
        self._closing: int | None = None

    @classmethod
    def of(cls, receive: Any, size: int) -> TransportSink | None:
        """A sink for the uvicorn WebSocket behind an ASGI `receive`, when it allows one."""
        protocol = getattr(receive, "__self__", None)
        if not isinstance(protocol, WebSocketsSansIOProtocol):
            return None
        conn = getattr(protocol, "conn", None)
        if getattr(conn, "extensions", None) != [] or not hasattr(protocol, "writable"):
            return None  # per-message deflate frames must be encoded per connection
        return cls(protocol, size)

    def put(self, item: Item, *, shared: bool = False) -> bool:
        frame = shared_text_frame(item.data) if shared else text_frame(item.data)
        if self._backlog is None and self._protocol.writable.is_set():
            self._write(frame)
            return True
        if self._backlog is None:
            self._backlog = deque()
            self._flusher = asyncio.get_running_loop().create_task(self._flush())
        if len(self._backlog) >= self.size + self._allowance:
            return False
        self._backlog.append(frame)
        return True

    def allow(self, extra: int) -> None:
        self._allowance += extra

    def closing(self, code: int, *, drain: bool) -> None:
        if self._backlog and drain:
            self._closing = code  # the flusher closes once the backlog went out
            return
        if self._backlog is not None:
            self._backlog.clear()
        self._finish(code)

    def abort(self) -> None:
        """Drop the TCP connection (a peer that would not even take the close frame)."""
        self._protocol.transport.abort()

    def discard(self) -> None:
        """The connection ended: stop flushing."""
        self.on_close = None
        if self._flusher is not None:
            self._flusher.cancel()

    def _write(self, frame: bytes) -> None:
        protocol = self._protocol
        if protocol.conn.state is OPEN and not protocol.close_sent:
            protocol.transport.write(frame)

    async def _flush(self) -> None:
        backlog, writable = self._backlog, self._protocol.writable
        while backlog:
            await writable.wait()
            while backlog and writable.is_set():
                self._write(backlog.popleft())
                self._allowance = max(0, self._allowance - 1)
        self._backlog = self._flusher = None
        if self._closing is not None:
            self._finish(self._closing)

    def _finish(self, code: int) -> None:
        if self.on_close is not None:
            on_close, self.on_close = self.on_close, None
            on_close(code)
