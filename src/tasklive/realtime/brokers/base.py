"""The broker interface: numbered per-user events, recent history, delivery and control messages."""

import asyncio
import inspect
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from tasklive.errors import UnavailableError

logger = logging.getLogger(__name__)


class BrokerUnavailableError(UnavailableError):
    """The broker cannot take or hand out events right now."""

    def __init__(self, message: str = "Live updates are unavailable right now.") -> None:
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Position:
    """A point in a user's event stream: the last `seq` seen within an `epoch`."""

    epoch: str
    seq: int


@dataclass(frozen=True, slots=True)
class Published:
    """One numbered event of one user, serialized once; `data` is what every socket receives."""

    user_id: str
    seq: int
    epoch: str
    data: str

    def envelope(self) -> dict[str, Any]:
        """The event as a dict."""
        envelope: dict[str, Any] = json.loads(self.data)
        return envelope


EventCallback = Callable[[Published], None]
ControlCallback = Callable[[dict[str, Any]], Awaitable[None] | None]
ReconnectCallback = Callable[[], None]


class Broker(Protocol):
    """Allocates `seq`, keeps recent events, and delivers them to every subscribed instance."""

    @property
    def available(self) -> bool:
        """Whether events reach subscribers right now (live connects are refused otherwise)."""
        ...

    async def connect(self) -> None: ...

    async def watch(self, user_id: str) -> None:
        """Deliver this user's events here from now on (returns once that holds)."""
        ...

    def unwatch(self, user_id: str) -> None:
        """This instance has no tab of the user left: stop delivering their events here."""
        ...

    async def close(self) -> None: ...

    async def claim(self, user_id: str, connection_id: str, limit: int) -> bool:
        """Count a new live connection of the user unless `limit` are open on all instances."""
        ...

    def release(self, user_id: str, connection_id: str) -> None:
        """A claimed connection ended: its place is free again."""
        ...

    async def ping(self) -> None:
        """Raise BrokerUnavailableError unless events can be published and delivered now."""
        ...

    async def publish(self, user_id: str, event: dict[str, Any]) -> dict[str, Any]:
        """Number, store and deliver one event; returns the envelope (with seq, epoch, ts)."""
        ...

    async def head(self, user_id: str) -> Position:
        """The user's current epoch and latest seq (0 when nothing was published yet)."""
        ...

    async def replay(self, user_id: str, after: Position) -> list[Published] | None:
        """Every event after `after`, or None when some of them are gone or the epoch changed."""
        ...

    async def recent(self, user_id: str, limit: int) -> list[Published]:
        """The user's latest `limit` events still held, oldest first."""
        ...

    async def send_control(self, payload: dict[str, Any]) -> None:
        """Hand a command to every instance (this one included)."""
        ...

    def on_event(self, callback: EventCallback) -> None: ...

    def on_control(self, callback: ControlCallback) -> None: ...

    def on_reconnect(self, callback: ReconnectCallback) -> None:
        """Called after delivery was interrupted and works again: events may have been missed."""
        ...


def utc_timestamp() -> str:
    """Now as ISO-8601 UTC with milliseconds, e.g. 2025-01-31T09:15:02.123Z."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def event_fields(event: dict[str, Any]) -> dict[str, Any]:
    """The event with a timestamp, minus any numbering a caller might have set."""
    return {
        "ts": utc_timestamp(),
        **{k: v for k, v in event.items() if k not in ("seq", "epoch", "ts")},
    }


def dump(value: dict[str, Any]) -> str:
    """Compact JSON; anything unusual (datetimes, UUIDs) becomes a string."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


def missed_events(after: Position, head: Position, held: list[Published]) -> list[Published] | None:
    """The events after `after` up to `head`, when `held` still has every one of them."""
    if after.epoch != head.epoch or after.seq > head.seq:
        return None
    wanted = [event for event in held if event.seq > after.seq]
    expected = list(range(after.seq + 1, head.seq + 1))
    if [event.seq for event in wanted] != expected:
        return None
    return wanted


class Callbacks:
    """The callbacks a broker calls; control callbacks may be coroutines and run as tasks."""

    def __init__(self) -> None:
        self.events: list[EventCallback] = []
        self.controls: list[ControlCallback] = []
        self.reconnects: list[ReconnectCallback] = []
        self._tasks: set[asyncio.Task[Any]] = set()

    def deliver(self, published: Published) -> None:
        for callback in self.events:
            try:
                callback(published)
            except Exception:
                logger.exception("An event callback failed")

    def control(self, payload: dict[str, Any]) -> None:
        for callback in self.controls:
            try:
                result = callback(payload)
            except Exception:
                logger.exception("A control callback failed")
                continue
            if inspect.isawaitable(result):
                task = asyncio.ensure_future(result)
                self._tasks.add(task)
                task.add_done_callback(self._finished)

    def reconnected(self) -> None:
        for callback in self.reconnects:
            try:
                callback()
            except Exception:
                logger.exception("A reconnect callback failed")

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("A control callback failed", exc_info=task.exception())

    async def cancel_pending(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


class Subscribable:
    """Callback registration shared by every broker."""

    def __init__(self) -> None:
        self._callbacks = Callbacks()

    def on_event(self, callback: EventCallback) -> None:
        self._callbacks.events.append(callback)

    def on_control(self, callback: ControlCallback) -> None:
        self._callbacks.controls.append(callback)

    def on_reconnect(self, callback: ReconnectCallback) -> None:
        self._callbacks.reconnects.append(callback)
