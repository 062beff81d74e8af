"""The calendar feed, parsed back with icalendar; its secret URL can be replaced."""

from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar


@pytest.fixture
def database_url(tmp_path):
    return f"sqlite+aiosqlite:///{tmp_path / 'tasklive.db'}"


async def _feed(client, url):
    path = url.removeprefix("http://testserver")
    return await client.get(path)


async def test_the_feed_holds_the_due_tasks_as_events(client, sign_up):
    account = await sign_up()
    headers = account["headers"]
    await client.patch("/api/auth/me", json={"timezone": "Europe/Berlin"}, headers=headers)
    for body in (
        {"title": "pay rent", "due": "2026-12-01", "priority": 1, "labels": ["home"]},
        {
            "title": "standup",
            "due": "2026-12-02T09:30:00+01:00",
            "recurrence": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        },
        {"title": "no date"},
    ):
        assert (await client.post("/api/tasks", json=body, headers=headers)).status_code == 201
    done = await client.post(
        "/api/tasks", json={"title": "done already", "due": "2026-12-01"}, headers=headers
    )
    await client.patch(f"/api/tasks/{done.json()['id']}", json={"completed": True}, headers=headers)

    me = (await client.get("/api/auth/me", headers=headers)).json()
    assert me["timezone"] == "Europe/Berlin"
    response = await _feed(client, me["calendar_feed_url"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"pay rent", "standup"}
    rent = events["pay rent"]
    assert rent.decoded("dtstart") == date(2026, 12, 1)
    assert rent.decoded("dtend") == date(2026, 12, 2)
    assert int(rent["priority"]) == 1
    standup = events["standup"]
    start = standup.decoded("dtstart")
    assert isinstance(start, datetime)
    assert start.utcoffset() == timedelta(hours=1) and (start.hour, start.minute) == (9, 30)
    assert standup["rrule"]["BYDAY"] == ["MO", "TU", "WE", "TH", "FR"]


async def test_replacing_the_feed_url_retires_the_old_one(client, sign_up):
    account, other = await sign_up(), await sign_up()
    old = (await client.get("/api/auth/me", headers=account["headers"])).json()["calendar_feed_url"]
    assert (await _feed(client, old)).status_code == 200
    replaced = await client.post("/api/auth/me/calendar-feed", headers=account["headers"])
    new = replaced.json()["calendar_feed_url"]
    assert new != old
    assert (await _feed(client, old)).status_code == 404
    assert (await _feed(client, new)).status_code == 200
    theirs = (await client.get("/api/auth/me", headers=other["headers"])).json()
    assert theirs["calendar_feed_url"] not in (old, new)
    assert (await client.get("/api/calendar/guess.ics")).status_code == 404
