"""A reminder whose sender dies between claiming and publishing is sent by another, once."""

from datetime import datetime, timedelta

from tasklive.realtime.events import RecordingPublisher
from tasklive.tasks.reminders import LEASE, claim_due, mark_sent, send_due
from tests.support.apps import services_of


async def test_a_claimed_but_unsent_reminder_goes_out_once_its_lease_runs_out(app, client, sign_up):
    account = await sign_up()
    # An hour ahead, so the app's own reminder loop leaves it to this test's clock.
    remind_at = datetime.now().astimezone() + timedelta(hours=1)
    body = {"title": "pay rent", "remind_at": remind_at.isoformat()}
    created = await client.post("/api/tasks", json=body, headers=account["headers"])
    assert created.status_code == 201
    sessionmaker = services_of(app).sessionmaker
    recorder = RecordingPublisher()
    due = remind_at + timedelta(seconds=1)

    doomed = await claim_due(sessionmaker, due)  # this instance dies before it publishes
    assert [r.task_id for r in doomed.reminders] == [created.json()["id"]]
    assert await send_due(sessionmaker, recorder, now=due + LEASE / 2) == 0  # still leased
    assert await send_due(sessionmaker, recorder, now=due + LEASE) == 1
    assert await send_due(sessionmaker, recorder, now=due + 3 * LEASE) == 0  # sent: never again

    (reminder,) = [e for e in recorder.of(account["user"]["id"]) if e["event_type"] == "reminder"]
    assert (reminder["task_id"], reminder["message"]) == (
        created.json()["id"],
        "Reminder: #1 pay rent",
    )


async def test_a_reminder_moved_while_it_was_being_sent_still_goes_out_at_its_new_time(
    app, client, sign_up
):
    account = await sign_up()
    remind_at = datetime.now().astimezone() + timedelta(hours=1)
    body = {"title": "call mom", "remind_at": remind_at.isoformat()}
    task = (await client.post("/api/tasks", json=body, headers=account["headers"])).json()
    sessionmaker = services_of(app).sessionmaker
    recorder = RecordingPublisher()
    due = remind_at + timedelta(seconds=1)

    slow = await claim_due(sessionmaker, due)
    later = remind_at + timedelta(hours=1)
    moved = await client.patch(
        f"/api/tasks/{task['id']}",
        json={"remind_at": later.isoformat()},
        headers=account["headers"],
    )
    assert moved.status_code == 200
    await mark_sent(sessionmaker, slow, slow.reminders)  # the old time's reminder went out
    assert await send_due(sessionmaker, recorder, now=due) == 0
    assert await send_due(sessionmaker, recorder, now=later + timedelta(seconds=1)) == 1
