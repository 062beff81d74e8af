"""Two service instances on one database and the machine's Redis: one stream, one seq."""

from typing import Any

import httpx
import pytest

from tasklive.realtime.events import make_event
from tests.realtime.conftest import (
    Live,
    User,
    next_event,
    open_ws,
    ws_url,
)


@pytest.fixture
def settings_overrides(redis_broker_url: str) -> dict[str, Any]:
    return {"broker_url": redis_broker_url}


async def test_tab_on_one_instance_sees_changes_made_on_the_other(two: list[Live]) -> None:
    a, b = two
    async with httpx.AsyncClient(base_url=b.url, timeout=30) as http:
        body = {"email": "two@example.com", "password": "correct horse"}
        account = (await http.post("/api/auth/sign-up", json=body)).json()
        headers = {"Authorization": f"Bearer {account['access_token']}"}
        user_id = account["user"]["id"]
        user = User(user_id, account["access_token"])
        async with open_ws(ws_url(a, user)) as on_a, open_ws(ws_url(b, user)) as on_b:
            await next_event(on_a)
            await next_event(on_b)
            created = await http.post("/api/tasks", json={"title": "buy milk"}, headers=headers)
            assert created.status_code == 201
            await a.hub.publish(user_id, make_event("agent_thinking", "Thinking...", run_id="r"))
            seen_a = [await next_event(on_a) for _ in range(2)]
            seen_b = [await next_event(on_b) for _ in range(2)]
    assert seen_a == seen_b
    assert [(e["event_type"], e["seq"]) for e in seen_a] == [
        ("task_created", 1),
        ("agent_thinking", 2),
    ]
    assert seen_a[0]["result"]["title"] == "buy milk"
