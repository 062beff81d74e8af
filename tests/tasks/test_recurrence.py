"""Repeating tasks: series of next occurrences, and completing one creates the next."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from tasklive.tasks.recurrence import next_due

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = date(2026, 11, 30)


def series(rule: str, due, count: int, zone=BERLIN):
    """The next `count` dues, completing each occurrence on its own day."""
    found = []
    for _ in range(count):
        moment = due if isinstance(due, datetime) else datetime.combine(due, datetime.min.time())
        due = next_due(rule, due, zone, moment.replace(tzinfo=moment.tzinfo or zone))
        found.append(due)
    return found


def test_every_monday():
    assert series("FREQ=WEEKLY;BYDAY=MO", MONDAY, 3) == [
        date(2026, 12, 7),
        date(2026, 12, 14),
        date(2026, 12, 21),
    ]


def test_every_two_weeks_keeps_the_weekday():
    assert series("FREQ=WEEKLY;INTERVAL=2", date(2026, 12, 2), 3) == [
        date(2026, 12, 16),
        date(2026, 12, 30),
        date(2027, 1, 13),
    ]


def test_weekdays_skip_the_weekend():
    friday = date(2026, 12, 4)
    assert series("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", friday, 3) == [
        date(2026, 12, 7),
        date(2026, 12, 8),
        date(2026, 12, 9),
    ]


def test_a_timed_series_keeps_its_local_time_across_a_dst_change():
    nine = datetime(2026, 10, 19, 9, 0, tzinfo=BERLIN)  # summer time
    following = series("FREQ=WEEKLY", nine, 2)
    assert [d.astimezone(BERLIN).hour for d in following] == [9, 9]
    assert [d.astimezone(UTC).hour for d in following] == [8, 8]  # winter time from 25 Oct


def test_a_late_completion_moves_to_the_next_future_occurrence():
    late = next_due("FREQ=DAILY", date(2026, 12, 1), BERLIN, datetime(2026, 12, 10, 9, tzinfo=UTC))
    assert late == date(2026, 12, 11)


def test_a_finished_series_has_no_next():
    rule = "FREQ=DAILY;UNTIL=20261202"
    assert next_due(rule, date(2026, 12, 2), BERLIN, datetime(2026, 12, 2, tzinfo=UTC)) is None


@pytest.fixture
def on_day(monkeypatch):
    from tasklive.tasks import service

    moment = datetime(2026, 11, 30, 12, tzinfo=UTC)
    monkeypatch.setattr(service, "utcnow", lambda: moment)


async def test_completing_a_repeating_task_creates_the_next_occurrence(client, sign_up, on_day):
    account = await sign_up()
    headers = account["headers"]
    body = {
        "title": "water plants",
        "due": "2026-11-30T08:00:00Z",
        "remind_at": "2026-11-30T07:30:00Z",
        "recurrence": "FREQ=WEEKLY;BYDAY=MO",
        "labels": ["home"],
        "priority": 2,
    }
    task = (await client.post("/api/tasks", json=body, headers=headers)).json()
    done = await client.patch(f"/api/tasks/{task['id']}", json={"completed": True}, headers=headers)
    assert done.json()["completed"] is True
    listing = (await client.get("/api/tasks", headers=headers)).json()["items"]
    assert [(t["number"], t["completed"]) for t in listing] == [(1, True), (2, False)]
    following = listing[1]
    assert following["due"] == "2026-12-07T08:00:00Z"
    assert following["remind_at"] == "2026-12-07T07:30:00Z"
    assert (following["title"], following["labels"], following["priority"]) == (
        "water plants",
        ["home"],
        2,
    )
    assert following["recurrence"] == "FREQ=WEEKLY;BYDAY=MO"
    again = await client.patch(
        f"/api/tasks/{task['id']}", json={"completed": True}, headers=headers
    )
    assert again.status_code == 200
    assert (await client.get("/api/tasks", headers=headers)).json()["total"] == 2
