"""One live subscriber (a WebSocket or an SSE stream): event order, catch-up, and its sink."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tasklive.errors import WS_POLICY_VIOLATION, WS_TRY_AGAIN_LATER
from tasklive.realtime.brokers.base import Position, Published, dump, utc_timestamp
from tasklive.realtime.events import CONNECTION_ESTABLISHED, make_event
from tasklive.realtime.sinks import Item, QueueSink, Sink


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A frame for this connection alone and the seq it carries (the SSE `id:`)."""

    seq: int
    data: str


class Connection:
    """Takes events without ever waiting; a full backlog closes the connection with 1013."""

    __slots__ = (
        "_epoch",
        "_held",
        "_seq",
        "close_code",
        "id",
        "on_closed",
        "on_gap",
        "overflowed",
        "sink",
        "user_id",
    )  # fmt: skip

    def __init__(self, user_id: str, sink: Sink) -> None:
        self.id = uuid.uuid4().hex
        self.user_id = user_id
        self.sink = sink
        self.close_code: int | None = None
        self.overflowed = False
        self.on_gap: Callable[[Connection, Position], None] | None = None
        self.on_closed: Callable[[Connection], None] | None = None
        self._epoch: str | None = None
        self._seq = 0
        self._held: list[Published] | None = None

    @property
    def is_closed(self) -> bool:
        return self.close_code is not None

    @property
    def holding(self) -> bool:
        """Whether arriving events are kept aside while missed ones are fetched."""
        return self._held is not None

    @property
    def position(self) -> Position | None:
        """The last event sent here (None before the first)."""
        return None if self._epoch is None else Position(self._epoch, self._seq)

    @position.setter
    def position(self, position: Position | None) -> None:
        self._epoch, self._seq = (None, 0) if position is None else (position.epoch, position.seq)

    def deliver(self, published: Published) -> None:
        """Send a user event (held back while the connection catches up)."""
        if self.close_code is not None:
            return
        if self._held is not None:
            self._held.append(published)
            if len(self._held) > self.sink.size:
                self._overflow()
            return
        self._accept(published)

    def _accept(self, published: Published) -> None:
        if self._epoch == published.epoch:
            if published.seq <= self._seq:
                return
            if published.seq > self._seq + 1 and self._held is None and self.on_gap is not None:
                self._held = [published]
                self.on_gap(self, Position(self._epoch, self._seq))
                return
        self._epoch, self._seq = published.epoch, published.seq
        self._put(published, shared=True)

    def hold(self) -> None:
        """Keep arriving events aside until `release`, while missed ones are fetched."""
        if self._held is None:
            self._held = []

    def catch_up(self, start: Position, missed: list[Published]) -> None:
        """Continue after `start`, sending `missed` first (they are already in order)."""
        self.position = start
        self.sink.allow(len(missed))
        for published in missed:
            self._accept(published)

    def show_earlier(self, events: list[Published]) -> None:
        """Send a run's events so far, as they are, before `catch_up` continues after them."""
        self.sink.allow(len(events))
        for published in events:
            self._put(published)

    def release(self) -> None:
        """Send the held events that came after what was already sent; go live."""
        held, self._held = self._held or [], None
        for published in held:
            if self._held is not None:
                self._held.append(published)
            elif self.close_code is None:
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

    def _put(self, item: Item, *, shared: bool = False) -> None:
        if self.close_code is None and not self.sink.put(item, shared=shared):
            self._overflow()

    def _overflow(self) -> None:
        """Too far behind: drop what waits and close with 1013; the client may resume."""
        self.overflowed = True
        self.close(WS_TRY_AGAIN_LATER, drain=False)

    def close(self, code: int, *, drain: bool = True) -> None:
        """Stop taking events; `drain` lets the pending ones still go out first."""
        if self.close_code is not None:
            return
        self.close_code = code
        self._held = None
        self.sink.closing(code, drain=drain)
        if self.on_closed is not None:
            self.on_closed(self)

    def expire(self) -> None:
        """The credential that opened it ran out: close with 1008 at once."""
        self.close(WS_POLICY_VIOLATION, drain=False)

    async def next(self) -> Item | None:
        """The next frame of a queued connection, or None once it is closed and drained."""
        if not isinstance(self.sink, QueueSink):
            raise TypeError("This connection writes straight to its socket.")
        return await self.sink.next()
