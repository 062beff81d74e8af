"""Reminders: exactly once across two instances on one PostgreSQL and Redis; a reminder due
while every instance was down is sent on the next start."""

import asyncio
import json
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from tasklive.db import create_engine, utcnow
from tasklive.tasks.models import Task
from tasklive.tasks.reminders import send_due
from tests.realtime.conftest import User, next_event, open_ws, start_live, stop_live, ws_url
from tests.support.apps import services_of

DUE = 12


# PostgreSQL only: the claim must hold between instances sharing a real server.
pytestmark = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


@pytest.fixture
def settings_overrides(redis_broker_url: str) -> dict[str, Any]:
    return {"broker_url": redis_broker_url}


async def _account(http: httpx.AsyncClient) -> tuple[User, dict[str, str]]:
    body = {"email": "remind@example.com", "password": "correct horse"}
    account = (await http.post("/api/auth/sign-up", json=body)).json()
    return User(account["user"]["id"], account["access_token"]), {
        "Authorization": f"Bearer {account['access_token']}"
    }


async def _received_reminders(socket: Any, count: int) -> list[dict[str, Any]]:
    """The next `count` reminder events, then proof that no other reminder came before a pong.

    An event seen twice (sent live, then replayed by a resume that raced it) is one event, as
    for every client: it has the same seq.
    """
    reminders: dict[int, dict[str, Any]] = {}
    while len(reminders) < count:
        event = await next_event(socket)
        if event["event_type"] == "reminder":
            reminders[event["seq"]] = event
    await socket.send(json.dumps({"type": "ping"}))
    while (event := await next_event(socket))["event_type"] != "pong":
        assert event["event_type"] != "reminder" or event["seq"] in reminders, event
    return list(reminders.values())


async def test_each_reminder_is_delivered_once_by_two_instances(redis_broker_url, settings):
    a, task_a = await start_live(settings)
    b, task_b = await start_live(settings)
    try:
        async with httpx.AsyncClient(base_url=a.url, timeout=30) as http:
            user, headers = await _account(http)
            async with open_ws(ws_url(b, user)) as socket:
                await next_event(socket)
                past = (utcnow() - timedelta(minutes=1)).isoformat()
                for n in range(DUE):
                    body = {"title": f"thing {n}", "remind_at": past}
                    assert (await http.post("/api/tasks", json=body, headers=headers)).is_success
                # Both instances' loops run too; these passes race them and each other.
                makers = [services_of(a.app).sessionmaker, services_of(b.app).sessionmaker]
                hubs = [a.hub, b.hub]
                await asyncio.gather(*(send_due(makers[i % 2], hubs[i % 2]) for i in range(6)))
                reminders = await _received_reminders(socket, DUE)
    finally:
        await stop_live(b, task_b)
        await stop_live(a, task_a)
    titles = sorted(r["message"] for r in reminders)
    assert titles == sorted(f"Reminder: #{n + 1} thing {n}" for n in range(DUE))
    assert len({r["task_id"] for r in reminders}) == DUE


async def test_a_reminder_missed_while_down_is_sent_once_on_the_next_start(settings):
    first, task = await start_live(settings)
    async with httpx.AsyncClient(base_url=first.url, timeout=30) as http:
        user, headers = await _account(http)
        later = (utcnow() + timedelta(days=1)).isoformat()
        body = {"title": "pay rent", "remind_at": later}
        created = (await http.post("/api/tasks", json=body, headers=headers)).json()
    await stop_live(first, task)

    engine = create_engine(settings.database_url)  # a day passes while nothing runs
    async with engine.begin() as connection:
        await connection.execute(
            update(Task)
            .where(Task.id == created["id"])
            .values(remind_time=utcnow() - timedelta(hours=1))
        )
    await engine.dispose()

    again, task = await start_live(settings)
    try:
        async with open_ws(ws_url(again, user)) as socket:
            hello = await next_event(socket)
            frame = {"type": "resume", "last_seq": 0, "epoch": hello["epoch"]}
            await socket.send(json.dumps(frame))
            (reminder,) = await _received_reminders(socket, 1)
            sent_again = await send_due(services_of(again.app).sessionmaker, again.hub)
    finally:
        await stop_live(again, task)
    assert (reminder["task_id"], reminder["message"]) == (created["id"], "Reminder: #1 pay rent")
    assert sent_again == 0
