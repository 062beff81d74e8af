"""Redis: an instance listens only to users it has tabs of; one user's keys share a cluster slot."""

import asyncio
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as redis
from redis.crc import key_slot

from tasklive.realtime.brokers.redis import RedisBroker
from tasklive.realtime.events import make_event
from tests.realtime.conftest import Live, next_event, open_ws, sqlite_url, ws_url


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path)


@pytest.fixture
def settings_overrides(redis_broker_url: str) -> dict[str, Any]:
    return {"broker_url": redis_broker_url}


def broker(live: Live) -> RedisBroker:
    assert isinstance(live.hub.broker, RedisBroker)
    return live.hub.broker


async def listeners(client: redis.Redis, channel: str) -> int:
    [(_, count)] = await client.pubsub_numsub(channel)
    return count


async def until_listeners(client: redis.Redis, channel: str, count: int) -> None:
    """Unsubscribing follows the tab's close asynchronously: wait for Redis to show it."""
    for _ in range(200):
        if await listeners(client, channel) == count:
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"{channel} kept {await listeners(client, channel)} listeners")


async def test_subscribed_per_user_while_tabs_are_open(live: Live, new_user) -> None:
    alice, bob = await new_user(), await new_user()
    channel = broker(live)._channel
    client = redis.from_url(broker(live).url, decode_responses=True)
    try:
        assert await listeners(client, channel(alice.id)) == 0
        async with open_ws(ws_url(live, alice)) as tab1, open_ws(ws_url(live, alice)) as tab2:
            await next_event(tab1)
            await next_event(tab2)
            assert await listeners(client, channel(alice.id)) == 1  # one per instance, not tab
            assert await listeners(client, channel(bob.id)) == 0
            ours = await client.pubsub_channels(f"{broker(live).prefix}:*")
            assert sorted(ours) == sorted([channel(alice.id), broker(live)._control_channel])
            await live.hub.publish(alice.id, make_event("tool_progress", "to both"))
            assert (await next_event(tab1))["message"] == (await next_event(tab2))["message"]
        await until_listeners(client, channel(alice.id), 0)

        async with open_ws(ws_url(live, alice)) as again:  # subscribed anew, events flow
            await next_event(again)
            await live.hub.publish(alice.id, make_event("tool_progress", "after return"))
            assert (await next_event(again))["message"] == "after return"
    finally:
        await client.aclose()


async def test_every_key_of_a_user_hashes_to_one_cluster_slot(live: Live, new_user) -> None:
    alice = await new_user()
    async with open_ws(ws_url(live, alice)) as tab:
        await next_event(tab)
        await live.hub.publish(alice.id, make_event("tool_progress", "one"))
        await next_event(tab)
    client = redis.from_url(broker(live).url, decode_responses=True)
    try:
        keys = [key async for key in client.scan_iter(match=f"{broker(live).prefix}:*")]
    finally:
        await client.aclose()
    mine = [key for key in keys if alice.id in key]
    assert len(mine) == 2  # the seq/epoch state and the history
    assert all(f"{{user:{alice.id}}}" in key for key in mine)
    assert len({key_slot(key.encode()) for key in mine}) == 1
