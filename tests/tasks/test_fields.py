"""Task fields over REST: due, priority, labels, list, repeats, reminders; a 422 names the field."""

import pytest

from tests.support.rest import add_task

BAD_FIELDS = [
    ("due", "tomorrow"),
    ("due", "2026-13-01"),
    ("due", 20261201),
    ("priority", 0),
    ("priority", 5),
    ("priority", "high"),
    ("labels", ["two words"]),
    ("labels", "work"),
    ("labels", [""]),
    ("list", "   "),
    ("list", "x" * 101),
    ("recurrence", "FREQ=SOMETIMES"),
    ("recurrence", "every monday"),
    ("remind_at", "2026-12-01"),
    ("remind_at", "soon"),
    ("title", "nul\x00byte"),
]


@pytest.mark.parametrize(("field", "value"), BAD_FIELDS)
async def test_a_bad_field_is_a_422_that_names_it(client, sign_up, field, value):
    account = await sign_up()
    response = await client.post(
        "/api/tasks", json={"title": "t", field: value}, headers=account["headers"]
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "invalid"
    assert [f["field"].split(".")[1] for f in body["fields"]] == [field], body
    assert field in body["error"]
    task = await add_task(client, account)
    patched = await client.patch(
        f"/api/tasks/{task['id']}", json={field: value}, headers=account["headers"]
    )
    assert patched.status_code == 422 and field in patched.json()["error"]


async def test_every_field_is_stored_shown_and_cleared(client, sign_up):
    account = await sign_up()
    headers = account["headers"]
    task = await add_task(
        client,
        account,
        due="2026-12-01T17:00:00+01:00",
        priority=1,
        labels=["#Work", "home", "work"],
        list=" Groceries ",
        recurrence="rrule:freq=weekly;byday=mo",
        remind_at="2026-12-01T16:30:00+01:00",
    )
    # The user's time zone is UTC until they set one, so times are shown in UTC.
    assert task["due"] == "2026-12-01T16:00:00Z"
    assert task["remind_at"] == "2026-12-01T15:30:00Z"
    assert (task["priority"], task["labels"], task["list"]) == (1, ["work", "home"], "Groceries")
    assert task["recurrence"] == "FREQ=WEEKLY;BYDAY=MO"
    url = f"/api/tasks/{task['id']}"
    cleared = await client.patch(
        url,
        json={"due": None, "priority": None, "labels": [], "list": None, "remind_at": None},
        headers=headers,
    )
    body = cleared.json()
    assert (body["due"], body["priority"], body["labels"], body["list"], body["remind_at"]) == (
        None,
        None,
        [],
        None,
        None,
    )
    assert body["recurrence"] == "FREQ=WEEKLY;BYDAY=MO"  # not named, so kept
    day = await client.patch(url, json={"due": "2026-12-24"}, headers=headers)
    assert day.json()["due"] == "2026-12-24"


async def test_times_are_read_and_shown_in_the_users_time_zone(client, sign_up):
    account = await sign_up()
    headers = account["headers"]
    me = await client.patch("/api/auth/me", json={"timezone": "Europe/Berlin"}, headers=headers)
    assert me.status_code == 200 and me.json()["timezone"] == "Europe/Berlin"
    local = await add_task(client, account, due="2026-12-01T17:00")
    assert local["due"] == "2026-12-01T17:00:00+01:00"
    summer = await add_task(client, account, due="2026-07-01T17:00:00Z")
    assert summer["due"] == "2026-07-01T19:00:00+02:00"
    bad = await client.patch("/api/auth/me", json={"timezone": "Mars/Olympus"}, headers=headers)
    assert bad.status_code == 422 and "timezone" in bad.json()["error"]


async def test_completion_time_is_kept_and_cleared(client, sign_up):
    account = await sign_up()
    task = await add_task(client, account)
    url = f"/api/tasks/{task['id']}"
    done = (await client.patch(url, json={"completed": True}, headers=account["headers"])).json()
    assert done["completed"] is True and done["completed_at"] >= task["created_at"]
    undone = await client.patch(url, json={"completed": False}, headers=account["headers"])
    assert undone.json()["completed_at"] is None


async def test_sign_up_takes_the_time_zone_and_me_shows_it(client):
    body = {"email": "tz@example.com", "password": "correct horse", "timezone": "Asia/Tokyo"}
    created = await client.post("/api/auth/sign-up", json=body)
    assert created.status_code == 201 and created.json()["user"]["timezone"] == "Asia/Tokyo"
    headers = {"Authorization": f"Bearer {created.json()['access_token']}"}
    me = (await client.get("/api/auth/me", headers=headers)).json()
    assert (me["timezone"], me["email"]) == ("Asia/Tokyo", "tz@example.com")
    assert me["calendar_feed_url"].endswith(".ics")
    renamed = await client.patch("/api/auth/me", json={"name": "Kenji"}, headers=headers)
    assert (renamed.json()["name"], renamed.json()["timezone"]) == ("Kenji", "Asia/Tokyo")
    bad = {**body, "email": "tz2@example.com", "timezone": "Nowhere/Land"}
    assert (await client.post("/api/auth/sign-up", json=bad)).status_code == 422
    client.cookies.clear()
    assert (await client.get("/api/auth/me")).status_code == 401
