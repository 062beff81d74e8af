"""One live subscriber (a WebSocket or an SSE stream) with its bounded outbound queue."""

from __future__ import annotations

import asyncio
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tasklive.errors import WS_TRY_AGAIN_LATER
from tasklive.realtime.brokers.base import Position, Published, dump, utc_timestamp
from tasklive.realtime.events import CONNECTION_ESTABLISHED, make_event


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A serialized frame and the seq it carries (the SSE `id:`)."""

    seq: int
    data: str


class Connection:
    """Takes events without ever waiting; a full queue closes the connection with 1013."""

    def __init__(self, user_id: str, queue_size: int) -> None:
        self.id = uuid.uuid4().hex
        self.user_id = user_id
        self.queue_size = queue_size
        self.position: Position | None = None
        self.close_code: int | None = None
        self.closed = asyncio.Event()
        self.on_gap: Callable[[Connection, Position], None] | None = None
        self._items: deque[Outgoing] = deque()
        self._ready = asyncio.Event()
        self._held: list[Published] | None = None
        self._replay_allowance = 0  # replayed events may exceed the queue bound, once

    @property
    def is_closed(self) -> bool:
        return self.close_code is not None

    def deliver(self, published: Published) -> None:
        """Queue a user event (held back while the connection catches up)."""
        if self.is_closed:
            return
        if self._held is not None:
            self._held.append(published)
            if len(self._held) > self.queue_size:
                self.close(WS_TRY_AGAIN_LATER, drain=False)
            return
        self._accept(published)

    def _accept(self, published: Published) -> None:
        position = self.position
        if position is not None and position.epoch == published.epoch:
            if published.seq <= position.seq:
                return
            gap = published.seq > position.seq + 1
            if gap and self._held is None and self.on_gap is not None:
                self._held = [published]
                self.on_gap(self, position)
                return
        self.position = Position(published.epoch, published.seq)
        self._put(Outgoing(published.seq, published.data))

    def hold(self) -> None:
        """Keep arriving events aside until `release`, while missed ones are fetched."""
        if self._held is None:
            self._held = []

    def catch_up(self, start: Position, missed: list[Published]) -> None:
        """Continue after `start`, sending `missed` first (they are already in order)."""
        self.position = start
        self._replay_allowance += len(missed)
        for published in missed:
            self._accept(published)

    def restart_at(self, head: Position) -> None:
        """After an outage: continue from `head`, yet keep the held events that came after it."""
        first_held = next((p.seq for p in self._held or () if p.epoch == head.epoch), None)
        seq = head.seq if first_held is None else min(head.seq, first_held - 1)
        self.position = Position(head.epoch, seq)

    def release(self) -> None:
        """Send the held events that came after what was already sent; go live."""
        held, self._held = self._held or [], None
        for published in held:
            if self._held is not None:
                self._held.append(published)
            elif not self.is_closed:
                self._accept(published)

    def established(self) -> None:
        """The first frame of every connection."""
        position = self.position or Position("", 0)
        body = {
            "event_type": CONNECTION_ESTABLISHED,
            "message": "Connected to real-time updates",
            "user_id": self.user_id,
            "connection_id": self.id,
            "seq": position.seq,
            "epoch": position.epoch,
        }
        self._put(Outgoing(position.seq, dump(body)))

    def reply(self, event_type: str, message: str, **fields: Any) -> None:
        """An event for this connection only: it carries the last seq sent here, unchanged."""
        position = self.position or Position("", 0)
        envelope = {
            "seq": position.seq,
            "epoch": position.epoch,
            "ts": utc_timestamp(),
            **make_event(event_type, message, **fields),
        }
        self._put(Outgoing(position.seq, dump(envelope)))

    def _put(self, item: Outgoing) -> None:
        if self.is_closed:
            return
        if len(self._items) >= self.queue_size + self._replay_allowance:
            self.close(WS_TRY_AGAIN_LATER, drain=False)
            return
        self._items.append(item)
        self._ready.set()

    def close(self, code: int, *, drain: bool = True) -> None:
        """Stop taking events; `drain` lets the queued ones still go out first."""
        if self.is_closed:
            return
        self.close_code = code
        self._held = None
        if not drain:
            self._items.clear()
        self.closed.set()
        self._ready.set()

    async def next(self) -> Outgoing | None:
        """The next frame to send, or None once the connection is closed and drained."""
        while not self._items:
            if self.is_closed:
                return None
            self._ready.clear()
            await self._ready.wait()
        self._replay_allowance = max(0, self._replay_allowance - 1)
        return self._items.popleft()
