"""Quick add over REST: one line of text becomes a task (201 with spans) or a 422 that says why."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


async def _berliner(client, sign_up):
    account = await sign_up()
    response = await client.patch(
        "/api/auth/me", json={"timezone": "Europe/Berlin"}, headers=account["headers"]
    )
    assert response.status_code == 200, response.text
    return account


async def test_one_line_becomes_a_task_with_its_details_and_spans(client, sign_up):
    account = await _berliner(client, sign_up)
    text = "call mom tomorrow at 5pm p1 #family on my Home list"
    response = await client.post(
        "/api/tasks/quick", json={"text": text}, headers=account["headers"]
    )
    assert response.status_code == 201, response.text
    body = response.json()
    task = body["task"]
    due = datetime.fromisoformat(task["due"]).astimezone(BERLIN)
    assert task["title"] == "call mom"
    assert due.date() == datetime.now(BERLIN).date() + timedelta(days=1)
    assert (due.hour, due.minute) == (17, 0)
    assert (task["priority"], task["labels"], task["list"]) == (1, ["family"], "Home")
    read = {(span["kind"], text[span["start"] : span["end"]]) for span in body["spans"]}
    assert read == {
        ("due", "tomorrow at 5pm"),
        ("priority", "p1"),
        ("label", "#family"),
        ("list", "Home"),
    }
    listed = await client.get("/api/tasks", headers=account["headers"])
    assert [t["title"] for t in listed.json()["items"]] == ["call mom"]


async def test_repeats_reminders_and_descriptions(client, sign_up):
    account = await _berliner(client, sign_up)
    text = (
        "water the plants every other tuesday at 8am, remind me 15 minutes before, note: the ferns"
    )
    response = await client.post(
        "/api/tasks/quick", json={"text": text}, headers=account["headers"]
    )
    assert response.status_code == 201, response.text
    task = response.json()["task"]
    assert (task["title"], task["description"]) == ("water the plants", "the ferns")
    assert task["recurrence"] == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    due = datetime.fromisoformat(task["due"]).astimezone(BERLIN)
    assert (due.weekday(), due.hour) == (1, 8)
    assert datetime.fromisoformat(task["remind_at"]) == due - timedelta(minutes=15)
    kinds = [span["kind"] for span in response.json()["spans"]]
    assert sorted(kinds) == ["description", "due", "recurrence", "reminder"]


async def test_quoted_text_and_names_stay_in_the_title(client, sign_up):
    account = await sign_up()
    for text, title in (
        ("read 'Friday Black'", "read 'Friday Black'"),
        ("watch Monday Night Football", "watch Monday Night Football"),
        ("email the weekly report", "email the weekly report"),
    ):
        response = await client.post(
            "/api/tasks/quick", json={"text": text}, headers=account["headers"]
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert (body["task"]["title"], body["task"]["due"], body["spans"]) == (title, None, [])
        assert body["task"]["recurrence"] is None


async def test_preview_reads_without_writing(client, sign_up):
    account = await _berliner(client, sign_up)
    text = "renew the lease on thursday #home"
    response = await client.post(
        "/api/tasks/quick/preview", json={"text": text}, headers=account["headers"]
    )
    assert response.status_code == 200, response.text
    body = response.json()
    draft = body["draft"]
    assert (draft["title"], draft["labels"]) == ("renew the lease", ["home"])
    assert date.fromisoformat(draft["due"]).weekday() == 3
    assert [(s["kind"], text[s["start"] : s["end"]]) for s in body["spans"]] == [
        ("due", "on thursday"),
        ("label", "#home"),
    ]
    listed = await client.get("/api/tasks", headers=account["headers"])
    assert listed.json()["total"] == 0


async def test_text_that_is_not_a_task_is_a_422_that_says_why(client, sign_up):
    account = await sign_up()
    for text, why in (
        ("tomorrow at 5pm p1", "only its details"),
        ("   ", "Type a task"),
        ("what's on my list?", "question"),
    ):
        for path in ("/api/tasks/quick", "/api/tasks/quick/preview"):
            response = await client.post(path, json={"text": text}, headers=account["headers"])
            assert response.status_code == 422, response.text
            assert response.json()["code"] == "invalid"
            assert why in response.json()["error"]
    listed = await client.get("/api/tasks", headers=account["headers"])
    assert listed.json()["total"] == 0


async def test_quick_add_needs_a_signed_in_caller(client):
    response = await client.post("/api/tasks/quick", json={"text": "buy milk"})
    assert response.status_code == 401


async def test_an_absurd_count_is_not_a_server_error(client, sign_up):
    """ "in 10^21 hours" overflowed a date and answered 500 on every entry point."""
    account = await sign_up()
    headers = account["headers"]
    text = "pay rent remind me 9999999999 days before"
    response = await client.post("/api/tasks/quick", json={"text": text}, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["task"]["remind_at"] is None
    text = "call bob in 999999999999999999999 hours"  # no day: asked about, not dropped
    response = await client.post("/api/tasks/quick", json={"text": text}, headers=headers)
    assert response.status_code == 422, response.text
    assert "in 999999999999999999999 hours" in response.text
