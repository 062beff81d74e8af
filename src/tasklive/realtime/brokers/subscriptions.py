"""Which Redis channels this instance listens on: one per user with local tabs, kept in sync."""

import asyncio
from collections.abc import Callable, Iterable

from redis.asyncio.client import PubSub

from tasklive.realtime.brokers.base import BrokerUnavailableError

CONFIRM_SECONDS = 5.0


class Subscriptions:
    """The channels wanted, the ones Redis confirmed, and a task that sends the difference.

    Wanting a channel waits for Redis to confirm it, so no event published afterwards is missed.
    """

    def __init__(self, channel_of: Callable[[str], str]) -> None:
        self.channel_of = channel_of
        self.users: set[str] = set()
        self._confirmed: set[str] = set()
        self._waiters: dict[str, asyncio.Future[None]] = {}
        self._changed = asyncio.Event()
        self._live = False

    @property
    def channels(self) -> list[str]:
        return [self.channel_of(user_id) for user_id in self.users]

    async def want(self, user_id: str) -> None:
        """Listen for this user's events; returns once Redis confirmed the subscription."""
        self.users.add(user_id)
        channel = self.channel_of(user_id)
        if channel in self._confirmed:
            return
        if not self._live:
            raise BrokerUnavailableError()
        waiter = self._waiters.get(channel)
        if waiter is None:
            waiter = self._waiters[channel] = asyncio.get_running_loop().create_future()
        self._changed.set()
        try:
            await asyncio.wait_for(asyncio.shield(waiter), CONFIRM_SECONDS)
        except TimeoutError:
            raise BrokerUnavailableError() from None

    def drop(self, user_id: str) -> None:
        """No local tab of this user is left: stop listening for their events."""
        if user_id in self.users:
            self.users.discard(user_id)
            self._confirmed.discard(self.channel_of(user_id))
            self._changed.set()

    def confirmed(self, channel: str) -> None:
        """Redis answered `subscribe` for this channel."""
        self._confirmed.add(channel)
        waiter = self._waiters.pop(channel, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def started(self, channels: Iterable[str]) -> None:
        """A new listener connection is subscribed to `channels`."""
        self._live = True
        for channel in channels:
            self.confirmed(channel)

    def lost(self) -> None:
        """The listener connection is gone: nothing is confirmed any more."""
        self._live = False
        self._confirmed.clear()
        waiters, self._waiters = self._waiters, {}
        for waiter in waiters.values():
            if not waiter.done():
                waiter.set_exception(BrokerUnavailableError())
                waiter.exception()  # seen: a waiter that gave up already must not log it

    async def sync(self, pubsub: PubSub, subscribed: set[str]) -> None:
        """Send SUBSCRIBE/UNSUBSCRIBE for what changed, for as long as `pubsub` lives."""
        while True:
            await self._changed.wait()
            self._changed.clear()
            wanted = set(self.channels)
            added, removed = wanted - subscribed, subscribed - wanted
            if added:
                await pubsub.subscribe(*added)
            if removed:
                await pubsub.unsubscribe(*removed)
            subscribed = wanted
