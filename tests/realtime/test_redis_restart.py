"""Redis restarted mid-stream: delivery comes back by itself and tabs are told to reload."""

import asyncio
import subprocess
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as redis

from tasklive.realtime.events import make_event
from tests.realtime.conftest import Live, events_until, next_event, open_ws, sqlite_url, ws_url
from tests.support.backends import REDIS_URL

REDIS_START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379",
    "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis",
    "--logfile", "/var/log/redis/ci.log",
]  # fmt: skip


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path)


@pytest.fixture
def settings_overrides(redis_broker_url: str) -> dict[str, Any]:
    return {"broker_url": redis_broker_url}


async def wait_until_redis_answers() -> None:
    client = redis.from_url(REDIS_URL)
    try:
        for _ in range(200):  # a new process gives no event to await: poll until it answers
            try:
                if await client.ping():
                    return
            except (OSError, redis.RedisError):
                await asyncio.sleep(0.05)
        raise AssertionError("Redis did not come back")
    finally:
        await client.aclose()


async def test_redis_restart_mid_stream(live: Live, new_user) -> None:
    user = await new_user()
    reconnected = asyncio.Event()
    live.hub.broker.on_reconnect(reconnected.set)
    async with open_ws(ws_url(live, user)) as ws:
        hello = await next_event(ws)
        await live.hub.publish(user.id, make_event("tool_progress", "before", run_id="r"))
        assert (await next_event(ws))["message"] == "before"
        subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], check=False)
        try:
            lost = await live.hub.publish(user.id, make_event("tool_progress", "lost"))
        finally:
            subprocess.run(REDIS_START, check=True)
            await wait_until_redis_answers()
        assert lost is None  # publishing failed fast instead of hanging the run
        await asyncio.wait_for(reconnected.wait(), 20)
        assert await live.hub.publish(user.id, make_event("tool_progress", "after", run_id="r"))
        frames = await events_until(ws, lambda e: e["message"] == "after")
    notices, after = frames[:-1], frames[-1]
    assert notices and all(e["event_type"] == "resumed" for e in notices)
    assert not any(e["recovered"] for e in notices)
    assert after["epoch"] != hello["epoch"]  # the history died with Redis: a new epoch
    assert after["seq"] == 1
