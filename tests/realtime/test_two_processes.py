"""Two `tasklive serve` processes on one PostgreSQL and Redis: a tab on each, chat on one."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import SECRET
from tests.realtime.conftest import next_event, open_ws
from tests.support.backends import (
    REDIS_URL,
    create_postgres_database,
    drop_postgres_database,
    drop_redis_prefix,
    redis_prefix,
)
from tests.support.service import ServiceProcess

pytestmark = pytest.mark.slow


@pytest.fixture
async def two_processes(tmp_path: Path) -> AsyncIterator[tuple[ServiceProcess, ServiceProcess]]:
    database, prefix = await create_postgres_database(), await redis_prefix()
    env = {
        "TASKLIVE_DATABASE_URL": database,
        "TASKLIVE_BROKER_URL": f"{REDIS_URL}/0?prefix={prefix}",
        "TASKLIVE_SECRET_KEY": SECRET,
    }
    first = ServiceProcess({**env, "TASKLIVE_DATA_DIR": str(tmp_path / "a")})
    second = ServiceProcess({**env, "TASKLIVE_DATA_DIR": str(tmp_path / "b")})
    try:
        first.start()
        second.start()
        yield first, second
    finally:
        first.stop()
        second.stop()
        await drop_redis_prefix(prefix)
        await drop_postgres_database(database)


async def _events_until_done(ws) -> list[dict]:
    events = []
    while not events or events[-1]["event_type"] != "agent_done":
        events.append(await next_event(ws))
    return events


async def test_chat_on_one_process_streams_to_tabs_on_both(two_processes) -> None:
    first, second = two_processes
    async with httpx.AsyncClient(base_url=second.url, timeout=20) as http:
        body = {"email": "procs@example.com", "password": "correct horse"}
        account = (await http.post("/api/auth/sign-up", json=body)).json()
        token, user_id = account["access_token"], account["user"]["id"]
        path = f"/ws/{user_id}/chat?token={token}"
        async with open_ws(first.ws_url + path) as tab_a, open_ws(second.ws_url + path) as tab_b:
            assert (await next_event(tab_a))["event_type"] == "connection_established"
            assert (await next_event(tab_b))["event_type"] == "connection_established"
            reply = await http.post(
                f"/api/{user_id}/chat",
                json={"message": "Add a task to buy milk"},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert reply.status_code == 200, reply.text
            on_a, on_b = await _events_until_done(tab_a), await _events_until_done(tab_b)

    assert on_a == on_b
    assert [e["seq"] for e in on_a] == list(range(1, len(on_a) + 1))
    kinds = [e["event_type"] for e in on_a]
    assert kinds[0] == "agent_thinking" and kinds[-1] == "agent_done"
    assert {"tool_starting", "tool_progress", "tool_complete", "task_created"} <= set(kinds)
    assert on_a[-1]["response"] == reply.json()["response"]
    async with httpx.AsyncClient(base_url=first.url, timeout=10) as http:
        tasks = await http.get("/api/tasks", headers={"Authorization": f"Bearer {token}"})
    assert [t["title"] for t in tasks.json()["items"]] == ["buy milk"]
