"""`redis://host:port/db[?prefix=name]`: several processes share seq, history and delivery."""

import asyncio
import contextlib
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import redis.asyncio as redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff, NoBackoff
from redis.exceptions import RedisError

from tasklive.realtime.brokers.base import (
    BrokerUnavailableError,
    Position,
    Published,
    Subscribable,
    dump,
    event_fields,
    missed_events,
)
from tasklive.realtime.brokers.claims import CLAIM_SECONDS, Claims
from tasklive.realtime.brokers.subscriptions import Subscriptions

logger = logging.getLogger(__name__)

STATE_SECONDS = 7 * 24 * 3600
IDLE_PING_SECONDS = 5.0
SILENCE_LIMIT_SECONDS = 20.0
RECONNECT_MAX_SECONDS = 2.0
FIRST_CONNECT_SECONDS = 5.0
FAILURES = (RedisError, OSError)
_NUMBERED = re.compile(r'^\{"seq":(\d+),"epoch":"([^"]*)"')

# One atomic step: number the event, keep it, publish it. Scripts run one at a time, so the
# channel carries every user's events in seq order even with several publishing instances.
_PUBLISH = """
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[1]
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'seq', 0)
  redis.call('DEL', KEYS[2])
end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
local data = '{"seq":' .. seq .. ',"epoch":"' .. epoch .. '",' .. ARGV[2]
redis.call('ZADD', KEYS[2], seq, data)
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[4]) + 1))
redis.call('EXPIRE', KEYS[2], ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[6])
redis.call('PUBLISH', ARGV[3], data)
return {seq, epoch}
"""

_HEAD = """
if redis.call('HSETNX', KEYS[1], 'epoch', ARGV[1]) == 1 then
  redis.call('HSET', KEYS[1], 'seq', 0)
  redis.call('DEL', KEYS[2])
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return redis.call('HMGET', KEYS[1], 'epoch', 'seq')
"""


def split_prefix(url: str, default: str = "tasklive") -> tuple[str, str]:
    """The Redis URL without our `prefix` query parameter, and that prefix."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    prefix = next((value for key, value in query if key == "prefix"), default) or default
    rest = urlencode([(key, value) for key, value in query if key != "prefix"])
    return urlunsplit(parts._replace(query=rest)), prefix


def _new_epoch() -> str:
    return uuid.uuid4().hex[:16]


class RedisBroker(Subscribable):
    """INCR-style seq in a hash, a sorted set of recent events, pub/sub for delivery."""

    def __init__(
        self,
        url: str,
        history_size: int,
        history_seconds: float,
        prefix: str | None = None,
        claim_seconds: float = CLAIM_SECONDS,
    ) -> None:
        self.url, url_prefix = split_prefix(url)
        self.prefix = prefix or url_prefix
        self.history_size = history_size
        self.history_seconds = history_seconds
        super().__init__()
        self._client: redis.Redis | None = None
        self._listener: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()
        self._first_attempt = asyncio.Event()
        self.subscriptions = Subscriptions(self._channel)
        self.claims = Claims(lambda user_id: self._key(user_id, "connections"), claim_seconds)

    def _key(self, user_id: str, kind: str) -> str:
        """`prefix:{user:id}:kind`: the hash tag keeps a user's keys in one Redis Cluster slot."""
        return f"{self.prefix}:{{user:{user_id}}}:{kind}"

    def _channel(self, user_id: str) -> str:
        return self._key(user_id, "events")

    def _user_of(self, channel: str) -> str | None:
        head, tail = f"{self.prefix}:{{user:", "}:events"
        if channel.startswith(head) and channel.endswith(tail):
            return channel[len(head) : -len(tail)]
        return None

    async def watch(self, user_id: str) -> None:
        await self.subscriptions.want(user_id)

    def unwatch(self, user_id: str) -> None:
        self.subscriptions.drop(user_id)

    @property
    def _control_channel(self) -> str:
        return f"{self.prefix}:control"

    def _new_client(self, retries: int) -> redis.Redis:
        retry = Retry(ExponentialBackoff(cap=0.5, base=0.05), retries) if retries else None
        return redis.from_url(
            self.url,
            decode_responses=True,
            socket_connect_timeout=2,
            socket_timeout=5,
            retry=retry or Retry(NoBackoff(), 0),
        )

    async def connect(self) -> None:
        self._client = self._new_client(retries=2)
        self._publish_script = self._client.register_script(_PUBLISH)
        self._head_script = self._client.register_script(_HEAD)
        self.claims.start(self._client)
        self._listener = asyncio.create_task(self._listen(), name="redis-broker-listener")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._first_attempt.wait(), FIRST_CONNECT_SECONDS)
        if not self._listening.is_set():
            logger.warning("Redis is not answering yet; live events start when it does.")

    @property
    def available(self) -> bool:
        """Whether events are being delivered right now."""
        return self._listening.is_set()

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self._callbacks.cancel_pending()
        await self.claims.close()
        if self._client is not None:
            await self._client.aclose()

    async def claim(self, user_id: str, connection_id: str, limit: int) -> bool:
        return await self.claims.claim(user_id, connection_id, limit)

    def release(self, user_id: str, connection_id: str) -> None:
        self.claims.release(user_id, connection_id)

    @property
    def client(self) -> redis.Redis:
        if self._client is None:
            raise BrokerUnavailableError()
        return self._client

    async def publish(self, user_id: str, event: dict[str, Any]) -> dict[str, Any]:
        if not self._listening.is_set():
            raise BrokerUnavailableError()
        fields = event_fields(event)
        rest = dump(fields)[1:]
        keys = [self._key(user_id, "state"), self._key(user_id, "history")]
        args: list[str | int] = [
            _new_epoch(),
            rest,
            self._channel(user_id),
            self.history_size,
            max(1, int(self.history_seconds)),
            STATE_SECONDS,
        ]
        try:
            seq, epoch = await self._publish_script(keys=keys, args=args)
        except FAILURES as exc:
            raise BrokerUnavailableError() from exc
        return {"seq": int(seq), "epoch": epoch, **fields}

    async def ping(self) -> None:
        if not self._listening.is_set():
            raise BrokerUnavailableError()
        try:
            await self.client.ping()
        except FAILURES as exc:
            raise BrokerUnavailableError() from exc

    async def head(self, user_id: str) -> Position:
        keys = [self._key(user_id, "state"), self._key(user_id, "history")]
        try:
            epoch, seq = await self._head_script(keys=keys, args=[_new_epoch(), STATE_SECONDS])
        except FAILURES as exc:
            raise BrokerUnavailableError() from exc
        return Position(epoch, int(seq))

    async def replay(self, user_id: str, after: Position) -> list[Published] | None:
        try:
            async with self.client.pipeline(transaction=True) as pipe:
                pipe.hmget(self._key(user_id, "state"), "epoch", "seq")
                pipe.zrangebyscore(self._key(user_id, "history"), f"({after.seq}", "+inf")
                (epoch, seq), members = await pipe.execute()
        except FAILURES as exc:
            raise BrokerUnavailableError() from exc
        if epoch is None or seq is None:
            return None
        held = [self._parse(user_id, data) for data in members]
        missed = missed_events(after, Position(epoch, int(seq)), held)
        if missed and self._too_old(missed[0]):
            return None
        return missed

    async def recent(self, user_id: str, limit: int) -> list[Published]:
        try:
            members = await self.client.zrange(self._key(user_id, "history"), -limit, -1)
        except FAILURES as exc:
            raise BrokerUnavailableError() from exc
        # decode_responses=True makes every reply a str; redis-py's types cannot follow that option.
        return [self._parse(user_id, data) for data in members]  # type: ignore[arg-type]

    async def send_control(self, payload: dict[str, Any]) -> None:
        try:
            await self.client.publish(self._control_channel, dump(payload))
        except FAILURES as exc:
            raise BrokerUnavailableError() from exc

    def _too_old(self, published: Published) -> bool:
        ts = datetime.fromisoformat(published.envelope()["ts"])
        return ts < datetime.now(UTC) - timedelta(seconds=self.history_seconds)

    @staticmethod
    def _parse(user_id: str, data: str) -> Published:
        numbered = _NUMBERED.match(data)
        if numbered is None:
            raise ValueError("not a numbered event")
        return Published(user_id, int(numbered[1]), numbered[2], data)

    async def _listen(self) -> None:
        """Deliver forever; after any interruption, resubscribe with backoff and report the gap."""
        delay = 0.05
        interrupted = False
        while True:
            pubsub_client = self._new_client(retries=0)
            pubsub = pubsub_client.pubsub()
            sync: asyncio.Task[None] | None = None
            try:
                channels = [self._control_channel, *self.subscriptions.channels]
                early = await self._subscribe(pubsub, channels)
                self.subscriptions.started(channels)
                sync = asyncio.create_task(self.subscriptions.sync(pubsub, set(channels[1:])))
                self._listening.set()
                self._first_attempt.set()
                if interrupted:
                    logger.warning("Redis is back; live event delivery resumed.")
                    self._callbacks.reconnected()
                delay = 0.05
                for message in early:
                    self._handle(message)
                await self._pump(pubsub, sync)
            except FAILURES as exc:
                if self._listening.is_set() or not interrupted:
                    logger.warning("Redis connection lost (%s); reconnecting.", exc)
                self._listening.clear()
                interrupted = True
            finally:
                self.subscriptions.lost()
                if sync is not None:
                    sync.cancel()
                    with contextlib.suppress(asyncio.CancelledError, *FAILURES):
                        await sync
                self._first_attempt.set()
                with contextlib.suppress(*FAILURES):
                    await pubsub.aclose()
                with contextlib.suppress(*FAILURES):
                    await pubsub_client.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, RECONNECT_MAX_SECONDS)

    async def _pump(self, pubsub: PubSub, sync: asyncio.Task[None]) -> None:
        last_heard = time.monotonic()
        pinged = False
        while True:
            if sync.done():
                sync.result()  # (re)subscribing failed: raise it to reconnect
            message = await pubsub.get_message(timeout=IDLE_PING_SECONDS)
            if message is None:
                silent = time.monotonic() - last_heard
                if silent > SILENCE_LIMIT_SECONDS:
                    raise ConnectionError("Redis stopped answering pings")
                if silent >= IDLE_PING_SECONDS and not pinged:
                    await pubsub.ping()
                    pinged = True
                continue
            last_heard = time.monotonic()
            pinged = False
            self._handle(message)

    async def _subscribe(self, pubsub: PubSub, channels: list[str]) -> list[dict[str, Any]]:
        """Subscribe, and return only once Redis confirmed it, so no publish slips past us."""
        await pubsub.subscribe(*channels)
        awaiting, early = set(channels), []
        deadline = time.monotonic() + SILENCE_LIMIT_SECONDS
        while awaiting:
            message = await pubsub.get_message(timeout=IDLE_PING_SECONDS)
            if message is None:
                if time.monotonic() > deadline:
                    raise ConnectionError("Redis did not confirm the subscription")
            elif message["type"] == "subscribe":
                awaiting.discard(message["channel"])
            else:
                early.append(message)
        return early

    def _handle(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "subscribe":
            self.subscriptions.confirmed(message["channel"])
            return
        if kind != "message":
            return
        channel: str = message["channel"]
        if channel == self._control_channel:
            self._control(message["data"])
        elif (user_id := self._user_of(channel)) is not None:
            try:
                published = self._parse(user_id, message["data"])
            except ValueError:
                logger.warning("Ignored a malformed event on %s", message["channel"])
                return
            self._callbacks.deliver(published)

    def _control(self, data: str) -> None:
        try:
            payload = json.loads(data)
        except ValueError:
            return
        if isinstance(payload, dict):
            self._callbacks.control(payload)
