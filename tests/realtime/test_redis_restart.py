"""Redis restarted mid-stream: delivery comes back by itself and tabs are told to reload."""

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tasklive.realtime.events import make_event
from tests.realtime.conftest import Live, events_until, next_event, open_ws, sqlite_url, ws_url
from tests.support.redis_server import RedisServer


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path)


@pytest.fixture
def settings_overrides(private_redis: RedisServer) -> dict[str, Any]:
    return {"broker_url": f"{private_redis.url}/0"}


async def test_redis_restart_mid_stream(live: Live, new_user, private_redis: RedisServer) -> None:
    user = await new_user()
    reconnected = asyncio.Event()
    live.hub.broker.on_reconnect(reconnected.set)
    async with open_ws(ws_url(live, user)) as ws:
        hello = await next_event(ws)
        await live.hub.publish(user.id, make_event("tool_progress", "before", run_id="r"))
        assert (await next_event(ws))["message"] == "before"
        private_redis.kill()
        try:
            lost = await live.hub.publish(user.id, make_event("tool_progress", "lost"))
        finally:
            await asyncio.to_thread(private_redis.start)
        assert lost is None  # publishing failed fast instead of hanging the run
        await asyncio.wait_for(reconnected.wait(), 20)
        assert await live.hub.publish(user.id, make_event("tool_progress", "after", run_id="r"))
        frames = await events_until(ws, lambda e: e["message"] == "after")
    notices, after = frames[:-1], frames[-1]
    assert notices and all(e["event_type"] == "resumed" for e in notices)
    assert not any(e["recovered"] for e in notices)
    assert after["epoch"] != hello["epoch"]  # the history died with Redis: a new epoch
    assert after["seq"] == 1
