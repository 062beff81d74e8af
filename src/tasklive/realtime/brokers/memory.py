"""`memory://`: one process; a counter and a ring of recent events per user."""

import asyncio
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tasklive.realtime.brokers.base import (
    Position,
    Published,
    Subscribable,
    dump,
    event_fields,
    missed_events,
)

SWEEP_EVERY = 1024


@dataclass
class _UserLog:
    seq: int = 0
    recent: deque[tuple[float, Published]] = field(default_factory=deque)


class MemoryBroker(Subscribable):
    """Delivers synchronously inside `publish`, so publishing never waits for anyone."""

    def __init__(
        self,
        history_size: int,
        history_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.epoch = uuid.uuid4().hex[:16]
        self.clock = clock
        self.history_size = history_size
        self.history_seconds = history_seconds
        self._logs: dict[str, _UserLog] = {}
        self._published = 0
        super().__init__()

    available = True

    async def connect(self) -> None:
        return None

    async def watch(self, user_id: str) -> None:
        return None

    def unwatch(self, user_id: str) -> None:
        return None

    async def claim(self, user_id: str, connection_id: str, limit: int) -> bool:
        return True  # one process: the hub's own count of its connections is the whole count

    def release(self, user_id: str, connection_id: str) -> None:
        return None

    async def close(self) -> None:
        await self._callbacks.cancel_pending()

    async def ping(self) -> None:
        return None

    async def publish(self, user_id: str, event: dict[str, Any]) -> dict[str, Any]:
        log = self._logs.setdefault(user_id, _UserLog())
        log.seq += 1
        envelope = {"seq": log.seq, "epoch": self.epoch, **event_fields(event)}
        published = Published(user_id, log.seq, self.epoch, dump(envelope))
        log.recent.append((self.clock(), published))
        self._forget_old(log)
        self._published += 1
        if self._published % SWEEP_EVERY == 0:
            for other in self._logs.values():  # idle users' events age out too (seq stays)
                self._forget_old(other)
        self._callbacks.deliver(published)
        # Yield once per event, as a networked broker does, so connection writers drain
        # between the events of a burst (say, "complete all" on a long list).
        await asyncio.sleep(0)
        return envelope

    async def head(self, user_id: str) -> Position:
        log = self._logs.get(user_id)
        return Position(self.epoch, log.seq if log else 0)

    async def replay(self, user_id: str, after: Position) -> list[Published] | None:
        log = self._logs.get(user_id) or _UserLog()
        self._forget_old(log)
        held = [published for _, published in log.recent]
        return missed_events(after, Position(self.epoch, log.seq), held)

    async def recent(self, user_id: str, limit: int) -> list[Published]:
        log = self._logs.get(user_id) or _UserLog()
        self._forget_old(log)
        return [published for _, published in list(log.recent)[-limit:]]

    async def send_control(self, payload: dict[str, Any]) -> None:
        self._callbacks.control(payload)

    def _forget_old(self, log: _UserLog) -> None:
        oldest_kept = self.clock() - self.history_seconds
        while log.recent and (
            len(log.recent) > self.history_size or log.recent[0][0] < oldest_kept
        ):
            log.recent.popleft()
