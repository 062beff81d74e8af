"""Per-user fan-out: publish through the broker, deliver to this instance's connections."""

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any

from tasklive.config import Settings
from tasklive.errors import WS_GOING_AWAY, WS_TRY_AGAIN_LATER, TooManyConnectionsError
from tasklive.metrics import Metrics
from tasklive.realtime.brokers.base import (
    Broker,
    BrokerUnavailableError,
    ControlCallback,
    Position,
    Published,
)
from tasklive.realtime.connection import Connection
from tasklive.realtime.events import RESUMED
from tasklive.realtime.inflight import RECENT_EVENTS, runs_in_progress
from tasklive.realtime.sinks import QueueSink, Sink

logger = logging.getLogger(__name__)

CAUGHT_UP = "Caught up on missed events"
LOST = "Some events are no longer available; reload to catch up"
TOO_MANY = "too many connections"


class Hub:
    """Publishing never awaits a socket: frames go straight out, or wait in a bounded backlog."""

    def __init__(self, broker: Broker, settings: Settings, metrics: Metrics | None = None) -> None:
        self.broker = broker
        self.metrics = metrics or Metrics()
        self.queue_size = settings.ws_queue_size
        self.max_per_user = settings.max_connections_per_user
        self.check_seconds = settings.event_position_check_seconds
        self._local: dict[str, set[Connection]] = {}
        self._lost_users: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._idle = asyncio.Event()
        self._idle.set()
        self._closing = False
        broker.on_event(self._deliver)
        broker.on_reconnect(self._reconnected)

    async def start(self) -> None:
        await self.broker.connect()
        self._spawn(self._check_positions())

    async def aclose(self) -> None:
        """Close every connection with 1001, then the broker."""
        await self.close_all()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.broker.close()

    async def publish(self, user_id: str, event: dict[str, Any]) -> dict[str, Any] | None:
        """Number and deliver an event; None if it was lost (local tabs get `resumed` false)."""
        try:
            published = await self.broker.publish(user_id, event)
        except BrokerUnavailableError:
            logger.warning("Lost a %s event: the broker is unavailable", event.get("event_type"))
            self.metrics.event_dropped("broker_unavailable")
            if user_id not in self._lost_users:
                self._lost_users.add(user_id)
                for connection in self.connections(user_id):
                    connection.reply(RESUMED, LOST, recovered=False)
            return None
        self.metrics.event_published(published)
        return published

    async def recent_events(self, user_id: str, limit: int) -> list[dict[str, Any]]:
        """The user's latest events still held by the broker, oldest first."""
        return [published.envelope() for published in await self.broker.recent(user_id, limit)]

    def on_control(self, callback: ControlCallback) -> None:
        """Receive commands sent by any instance (this one included) with `send_control`."""
        self.broker.on_control(callback)

    async def send_control(self, payload: dict[str, Any]) -> None:
        await self.broker.send_control(payload)

    def connections(self, user_id: str) -> list[Connection]:
        """This instance's open connections of a user."""
        return [c for c in self._local.get(user_id, ()) if not c.is_closed]

    async def attach(
        self, user_id: str, resume: Position | None = None, sink: Sink | None = None
    ) -> Connection:
        """A new live connection: `connection_established`, then missed events and `resumed`.

        Without a `sink`, its frames wait in a bounded queue read with `connection.next()`.
        """
        if self._closing:
            raise BrokerUnavailableError("The server is shutting down.")
        if not self.broker.available:
            raise BrokerUnavailableError()
        if len(self.connections(user_id)) >= self.max_per_user:
            raise TooManyConnectionsError(TOO_MANY)
        connection = Connection(user_id, sink or QueueSink(self.queue_size))
        # The broker counts across instances (Redis); the local check above is the whole count
        # in one process, and nothing awaits between the claim and joining `_local`.
        if not await self.broker.claim(user_id, connection.id, self.max_per_user):
            raise TooManyConnectionsError(TOO_MANY)
        connection.on_gap = self._gap
        self._local.setdefault(user_id, set()).add(connection)
        self.metrics.connection_opened()
        self._idle.clear()
        connection.hold()
        try:
            await self.broker.watch(user_id)
            missed, start = await self._missed(user_id, resume)
            running = [] if resume is not None else await self._running(user_id, start)
        except BrokerUnavailableError:
            self.detach(connection)
            raise
        # A run in progress is shown from its start: the tab begins just before it, in seq order.
        connection.position = Position(start.epoch, running[0].seq - 1) if running else start
        connection.established()
        connection.show_earlier(running)
        connection.catch_up(start, missed or [])
        if resume is not None:
            recovered = missed is not None
            connection.reply(RESUMED, CAUGHT_UP if recovered else LOST, recovered=recovered)
        connection.release()
        return connection

    async def resume(self, connection: Connection, after: Position) -> None:
        """Replay what the client missed after `after`, then `resumed` {recovered}."""
        connection.hold()
        try:
            missed, start = await self._missed(connection.user_id, after)
        except BrokerUnavailableError:
            connection.release()
            raise
        connection.catch_up(start, missed or [])
        recovered = missed is not None
        connection.reply(RESUMED, CAUGHT_UP if recovered else LOST, recovered=recovered)
        connection.release()

    def detach(self, connection: Connection) -> None:
        """Forget a connection that ended."""
        connection.close(WS_GOING_AWAY, drain=False)
        mine = self._local.get(connection.user_id)
        if mine is not None and connection in mine:
            mine.discard(connection)
            self.broker.release(connection.user_id, connection.id)
            self.metrics.connection_closed()
            if connection.overflowed:
                self.metrics.event_dropped("slow_connection")
            if not mine:
                del self._local[connection.user_id]
                self.broker.unwatch(connection.user_id)
        if not self._local:
            self._idle.set()

    async def close_all(self, code: int = WS_GOING_AWAY, wait_seconds: float = 5.0) -> None:
        """Close every local connection (queued events still go out) and wait until they end."""
        self._closing = True
        for connections in list(self._local.values()):
            for connection in list(connections):
                connection.close(code)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), wait_seconds)

    async def _missed(
        self, user_id: str, after: Position | None
    ) -> tuple[list[Published] | None, Position]:
        resumable = after is not None and after.seq >= 0
        missed = (
            await self.broker.replay(user_id, after) if after is not None and resumable else None
        )
        start = after if missed is not None and after is not None else None
        return missed, start or await self.broker.head(user_id)

    async def _running(self, user_id: str, head: Position) -> list[Published]:
        """The events so far of the user's runs in progress, for a tab that joins mid-run."""
        return runs_in_progress(await self.broker.recent(user_id, RECENT_EVENTS), head)

    def _deliver(self, published: Published) -> None:
        connections = self._local.get(published.user_id)
        if connections:
            for connection in tuple(connections):
                connection.deliver(published)

    def _gap(self, connection: Connection, after: Position) -> None:
        self._spawn(self._repair(connection, after))

    async def _repair(self, connection: Connection, after: Position) -> None:
        """Events went missing in transit: replay them, or tell the client to reload."""
        try:
            missed, start = await self._missed(connection.user_id, after)
        except BrokerUnavailableError:
            connection.close(WS_TRY_AGAIN_LATER)
            return
        connection.catch_up(start, missed or [])
        if missed is None:
            connection.reply(RESUMED, LOST, recovered=False)
        connection.release()

    def _reconnected(self) -> None:
        self._lost_users.clear()
        for connections in list(self._local.values()):
            for connection in list(connections):
                connection.hold()
                self._spawn(self._restart(connection))

    async def _restart(self, connection: Connection) -> None:
        """After a broker outage: replay what the connection missed, or say the history is gone."""
        user_id, after = connection.user_id, connection.position
        try:
            head = await self.broker.head(user_id)
            lost = after is None or after.epoch != head.epoch
            start = Position(head.epoch, 0) if lost or after is None else after
            missed = await self.broker.replay(user_id, start)
        except BrokerUnavailableError:
            connection.close(WS_TRY_AGAIN_LATER)
            return
        if missed is None:
            start, missed, lost = head, [], True
        connection.position = start
        if lost:
            connection.reply(RESUMED, LOST, recovered=False)
        connection.catch_up(start, missed)
        connection.release()

    async def _check_positions(self) -> None:
        """Now and then compare each tab with the broker, so a lost last event still arrives."""
        last_heads: dict[str, Position] = {}
        while True:
            await asyncio.sleep(self.check_seconds)
            heads: dict[str, Position] = {}
            for user_id in list(self._local):
                try:
                    heads[user_id] = await self.broker.head(user_id)
                except BrokerUnavailableError:
                    break
                seen = last_heads.get(user_id)  # a head one period old: its events had time
                if seen is None:
                    continue
                for connection in self.connections(user_id):
                    position = connection.position
                    if connection.holding or position is None or position.epoch != seen.epoch:
                        continue
                    if position.seq < seen.seq:
                        connection.hold()
                        self._spawn(self._repair(connection, position))
            last_heads = heads

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
