"""Two instances on one PostgreSQL and a private Redis push each reminder exactly once, and an
instance killed after claiming a reminder is covered by the other."""

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tasklive.db import utcnow
from tasklive.tasks.reminders import send_due
from tests.realtime.conftest import start_live, stop_live
from tests.support.apps import services_of
from tests.support.push_service import HANG
from tests.support.redis_server import RedisServer
from tests.support.service import ServiceProcess

pytestmark = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
USERS, TASKS = 3, 8


@pytest.fixture
def redis(tmp_path: Path):  # type: ignore[no-untyped-def]
    with RedisServer(tmp_path / "redis") as server:
        yield server


@pytest.fixture
def settings_overrides(redis: RedisServer) -> dict[str, Any]:
    return {
        "broker_url": redis.url,
        "push_allow_http": True,
        "push_retry_base_seconds": 0.01,
        "reminder_poll_seconds": 3600.0,  # the app's own loop runs once, at start
    }


async def _account(http: httpx.AsyncClient, n: int) -> dict[str, str]:
    body = {"email": f"push{n}@example.com", "password": "correct horse"}
    token = (await http.post("/api/auth/sign-up", json=body)).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


async def _recorded(http: httpx.AsyncClient, task_id: str, headers: dict[str, str]) -> Any:
    """The task once its delivery is recorded (written just after the push service answered)."""
    async with asyncio.timeout(10):
        while True:
            detail = (await http.get(f"/api/tasks/{task_id}", headers=headers)).json()
            if detail["reminder_deliveries"]:
                return detail
            await asyncio.sleep(0.05)


async def test_two_instances_push_each_reminder_once(settings, recorder):
    a, task_a = await start_live(settings)
    b, task_b = await start_live(settings)
    try:
        async with httpx.AsyncClient(base_url=a.url, timeout=30) as http:
            past = (utcnow() - timedelta(minutes=1)).isoformat()
            for n in range(USERS):
                headers = await _account(http, n)
                for _ in range(2):
                    sub = recorder.subscribe()
                    await http.post("/api/push/subscriptions", json=sub, headers=headers)
                for t in range(TASKS):
                    body = {"title": f"thing {t}", "remind_at": past}
                    assert (await http.post("/api/tasks", json=body, headers=headers)).is_success
        passes = []
        for live in (a, b) * 3:
            services = services_of(live.app)
            channels = services.reminder_channels
            passes.append(send_due(services.sessionmaker, services.hub, channels=channels))
        published = await asyncio.gather(*passes)
    finally:
        await stop_live(b, task_b)
        await stop_live(a, task_a)
    assert sum(published) == USERS * TASKS
    assert not recorder.errors
    delivered = recorder.delivered()
    assert len(delivered) == USERS * TASKS * 2
    per_target = {(r.subscriber, r.payload["task_id"]) for r in delivered}
    assert len(per_target) == len(delivered)  # no subscription got a task twice


async def test_an_instance_killed_after_claiming_is_covered_by_the_other(
    settings, recorder, tmp_path
):
    env = {
        "TASKLIVE_DATA_DIR": str(tmp_path / "doomed"),
        "TASKLIVE_DATABASE_URL": settings.database_url,
        "TASKLIVE_BROKER_URL": settings.broker_url,
        "TASKLIVE_SECRET_KEY": settings.secret_key,
        "TASKLIVE_PUSH_ALLOW_HTTP": "true",
        "TASKLIVE_REMINDER_POLL_SECONDS": "0.2",
        "TASKLIVE_REMINDER_LEASE_SECONDS": "4",
    }
    doomed = ServiceProcess(env)
    await asyncio.to_thread(doomed.start)
    try:
        async with httpx.AsyncClient(base_url=doomed.url, timeout=30) as http:
            headers = await _account(http, 0)
            sub = recorder.subscribe(HANG)
            await http.post("/api/push/subscriptions", json=sub, headers=headers)
            body = {"title": "leave for the airport", "remind_at": utcnow().isoformat()}
            task = (await http.post("/api/tasks", json=body, headers=headers)).json()
        await recorder.wait_for_hung()  # claimed, and its push is on the wire
    finally:
        doomed.kill()
    covering = settings.model_copy(
        update={"reminder_poll_seconds": 0.2, "reminder_lease_seconds": 4.0}
    )
    live, running = await start_live(covering)
    try:
        (received,) = await recorder.wait_for(1)
        async with httpx.AsyncClient(base_url=live.url, timeout=30) as http:
            detail = await _recorded(http, task["id"], headers)
    finally:
        recorder.release()
        await stop_live(live, running)
    assert received.payload["task_id"] == task["id"]
    assert [(d["channel"], d["status"]) for d in detail["reminder_deliveries"]] == [
        ("push", "sent")
    ]
    assert len(recorder.delivered()) == 1
