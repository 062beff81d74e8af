"""Broker unreachable: REST works, live connects close 1013, events flow once it is back."""

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from tests.realtime.conftest import (
    Live,
    User,
    events_until,
    next_event,
    open_ws,
    sqlite_url,
    ws_url,
)
from tests.support.redis_server import RedisServer


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path)


@pytest.fixture
def settings_overrides(redis_server: RedisServer) -> dict[str, Any]:
    return {"broker_url": f"{redis_server.url}/0"}  # not started: Redis is down at server start


async def refused_code(live: Live, user: User) -> int:
    async with open_ws(ws_url(live, user)) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await next_event(ws)
    return closed.value.rcvd.code


async def create_task(http: httpx.AsyncClient, title: str) -> None:
    response = await http.post("/api/tasks", json={"title": title})
    assert response.status_code == 201, response.text


async def back_up(live: Live, redis_server: RedisServer) -> None:
    reconnected = asyncio.Event()
    live.hub.broker.on_reconnect(reconnected.set)
    await asyncio.to_thread(redis_server.start)
    await asyncio.wait_for(reconnected.wait(), 20)


def is_task(title: str):
    return lambda e: e["event_type"] == "task_created" and e["result"]["title"] == title


async def test_redis_down_at_start_then_up_then_killed_and_back(
    live: Live, new_user, redis_server: RedisServer
) -> None:
    user = await new_user()
    headers = {"Authorization": f"Bearer {user.token}"}
    async with httpx.AsyncClient(base_url=live.url, headers=headers, timeout=10) as http:
        await create_task(http, "while Redis is down")  # REST does not need the broker
        assert await refused_code(live, user) == 1013
        assert (await http.get(f"/api/{user.id}/events")).status_code == 503

        await back_up(live, redis_server)
        async with open_ws(ws_url(live, user)) as ws:
            hello = await next_event(ws)
            await create_task(http, "first after start")
            first = await events_until(ws, is_task("first after start"))

            redis_server.kill()
            assert await refused_code(live, user) == 1013
            await create_task(http, "while Redis is gone")
            await back_up(live, redis_server)
            await create_task(http, "after the restart")
            old_tab = await events_until(ws, is_task("after the restart"))

        resume = {"last_seq": hello["seq"], "epoch": hello["epoch"]}
        async with open_ws(ws_url(live, user, **resume)) as ws:
            await next_event(ws)
            resumed = await next_event(ws)
            await create_task(http, "to a resumed tab")
            after_resume = await events_until(ws, is_task("to a resumed tab"))

    assert hello["event_type"] == "connection_established"
    assert len(first) == 1
    assert [e["event_type"] for e in old_tab[:-1]] == ["resumed"] * (len(old_tab) - 1)
    assert old_tab[:-1] and not any(e["recovered"] for e in old_tab[:-1])
    assert (resumed["event_type"], resumed["recovered"]) == ("resumed", False)
    assert len(after_resume) == 1
