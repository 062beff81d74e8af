"""Views (today, overdue, upcoming) in the user's time zone; filters by label, list, text; sorts."""

from datetime import UTC, datetime

import pytest

from tasklive.tasks import service
from tests.support.rest import add_task


@pytest.fixture
def clock(monkeypatch):
    """Sets what "now" is for the task service."""

    def set_now(iso: str) -> None:
        moment = datetime.fromisoformat(iso).astimezone(UTC)
        monkeypatch.setattr(service, "utcnow", lambda: moment)

    return set_now


async def _titles(client, account, **params):
    response = await client.get("/api/tasks", params=params, headers=account["headers"])
    assert response.status_code == 200, response.text
    return [t["title"] for t in response.json()["items"]]


async def _account_in(client, sign_up, zone):
    account = await sign_up()
    await client.patch("/api/auth/me", json={"timezone": zone}, headers=account["headers"])
    return account


async def test_the_same_tasks_fall_on_different_days_across_a_time_zone_boundary(
    client, sign_up, clock
):
    clock("2026-12-01T20:00:00Z")  # Auckland: 2 Dec 09:00; London: 1 Dec 20:00
    auckland = await _account_in(client, sign_up, "Pacific/Auckland")
    london = await _account_in(client, sign_up, "Europe/London")
    dues = {
        "second all day": "2026-12-02",
        "first all day": "2026-12-01",
        "later this evening utc": "2026-12-01T22:00:00Z",
        "an hour ago": "2026-12-01T19:00:00Z",
        "third all day": "2026-12-03",
    }
    for account in (auckland, london):
        for title, due in dues.items():
            await add_task(client, account, title, due=due)
        await add_task(client, account, "no date")

    assert await _titles(client, auckland, view="today") == [
        "second all day",
        "later this evening utc",
        "an hour ago",
    ]
    assert await _titles(client, auckland, view="overdue") == ["first all day", "an hour ago"]
    assert await _titles(client, auckland, view="upcoming") == ["third all day"]

    assert await _titles(client, london, view="today") == [
        "first all day",
        "later this evening utc",
        "an hour ago",
    ]
    assert await _titles(client, london, view="overdue") == ["an hour ago"]
    assert await _titles(client, london, view="upcoming") == ["second all day", "third all day"]


async def test_today_has_the_right_length_on_the_day_clocks_go_back(client, sign_up, clock):
    # Berlin leaves summer time at 03:00 on 25 Oct 2026: that day runs 22:00Z to 23:00Z next day.
    clock("2026-10-25T22:30:00Z")  # 23:30 local, winter time
    account = await _account_in(client, sign_up, "Europe/Berlin")
    await add_task(
        client, account, "just after midnight, summer time", due="2026-10-25T00:30:00+02:00"
    )
    await add_task(client, account, "late evening", due="2026-10-25T23:15:00+01:00")
    await add_task(client, account, "in an hour", due="2026-10-25T23:45:00Z")
    await add_task(client, account, "the day before", due="2026-10-24T23:30:00+02:00")
    assert await _titles(client, account, view="today") == [
        "just after midnight, summer time",
        "late evening",
    ]
    assert await _titles(client, account, view="upcoming") == ["in an hour"]
    assert await _titles(client, account, view="overdue", sort="due") == [
        "the day before",
        "just after midnight, summer time",
        "late evening",
    ]


async def test_completed_tasks_are_not_overdue_and_status_still_filters(client, sign_up, clock):
    clock("2026-12-10T12:00:00Z")
    account = await sign_up()
    late = await add_task(client, account, "late", due="2026-12-01")
    await add_task(client, account, "also late", due="2026-12-02")
    await client.patch(
        f"/api/tasks/{late['id']}", json={"completed": True}, headers=account["headers"]
    )
    assert await _titles(client, account, view="overdue") == ["also late"]
    assert await _titles(client, account, status="completed") == ["late"]


async def test_filters_by_label_list_and_text_and_sorts(client, sign_up):
    account = await sign_up()
    await add_task(client, account, "email boss", labels=["work"], priority=2, due="2026-12-05")
    await add_task(client, account, "milk", list="Groceries", priority=4, due="2026-12-03")
    await add_task(client, account, "deploy", labels=["work", "urgent"], priority=1)
    await add_task(client, account, "networking event", labels=["network"], due="2026-12-04")
    assert await _titles(client, account, label="work") == ["email boss", "deploy"]
    assert await _titles(client, account, label="#WORK") == ["email boss", "deploy"]
    assert await _titles(client, account, label="net") == []
    assert await _titles(client, account, list="groceries") == ["milk"]
    assert await _titles(client, account, q="BOSS") == ["email boss"]
    assert await _titles(client, account, sort="priority") == [
        "deploy",
        "email boss",
        "milk",
        "networking event",
    ]
    assert await _titles(client, account, sort="due") == [
        "milk",
        "networking event",
        "email boss",
        "deploy",
    ]
    bad = await client.get("/api/tasks", params={"view": "someday"}, headers=account["headers"])
    assert bad.status_code == 422 and "view" in bad.json()["error"]
