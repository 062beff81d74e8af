"""The per-user connection cap across instances: claims in Redis that expire with their instance."""

import asyncio
import contextlib
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

import redis.asyncio as redis
from redis.exceptions import RedisError

from tasklive.realtime.brokers.base import BrokerUnavailableError

CLAIM_SECONDS = 30.0
FAILURES = (RedisError, OSError)

# A sorted set per user: member `instance:connection`, score the time its claim runs out. Live
# instances push their claims' time forward; a dead instance's claims run out by themselves.
_CLAIM = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[3])))
return 1
"""

_RENEW = """
local clock = redis.call('TIME')
local expires = tonumber(clock[1]) + tonumber(clock[2]) / 1000000 + tonumber(ARGV[1])
for i = 2, #ARGV do
  redis.call('ZADD', KEYS[1], expires, ARGV[i])
end
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[1])))
return #ARGV - 1
"""


class Claims:
    """This instance's places in each user's cap; renewed every third of `seconds`."""

    def __init__(self, key: Callable[[str], str], seconds: float = CLAIM_SECONDS) -> None:
        self.key = key
        self.seconds = seconds
        self.instance = uuid.uuid4().hex[:12]
        self._mine: dict[str, set[str]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._client: redis.Redis | None = None
        self._renewer: asyncio.Task[None] | None = None

    def start(self, client: redis.Redis) -> None:
        self._client = client
        self._claim = client.register_script(_CLAIM)
        self._renew = client.register_script(_RENEW)
        self._renewer = asyncio.create_task(self._renew_forever(), name="redis-claims-renewer")

    async def claim(self, user_id: str, connection_id: str, limit: int) -> bool:
        member = f"{self.instance}:{connection_id}"
        if self._client is None:
            raise BrokerUnavailableError()
        try:
            taken = await self._claim(keys=[self.key(user_id)], args=[member, limit, self.seconds])
        except FAILURES as exc:
            raise BrokerUnavailableError() from exc
        if taken:
            self._mine.setdefault(user_id, set()).add(member)
        return bool(taken)

    def release(self, user_id: str, connection_id: str) -> None:
        member = f"{self.instance}:{connection_id}"
        mine = self._mine.get(user_id)
        if mine is None or member not in mine:
            return
        mine.discard(member)
        if not mine:
            del self._mine[user_id]
        self._spawn(self._remove(user_id, [member]))

    async def close(self) -> None:
        """Give back every place this instance holds (after a crash they run out instead)."""
        if self._renewer is not None:
            self._renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._renewer
        mine, self._mine = self._mine, {}
        for user_id, members in mine.items():
            self._spawn(self._remove(user_id, list(members)))
        await self.settled()

    async def settled(self) -> None:
        """Until every place given back so far is free in Redis too."""
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _remove(self, user_id: str, members: list[str]) -> None:
        if self._client is not None:
            with contextlib.suppress(*FAILURES):
                await self._client.zrem(self.key(user_id), *members)

    async def _renew_forever(self) -> None:
        while True:
            await asyncio.sleep(self.seconds / 3)
            for user_id, members in list(self._mine.items()):
                with contextlib.suppress(*FAILURES):  # Redis away: the next round tries again
                    await self._renew(keys=[self.key(user_id)], args=[self.seconds, *members])

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
