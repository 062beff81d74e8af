"""A due reminder goes to each push subscription once; dead ones are dropped, busy ones retried."""

from datetime import datetime, timedelta

import pytest

from tasklive.db import utcnow
from tasklive.tasks.notify.ledger import Delivery, record
from tasklive.tasks.notify.models import PushSubscription
from tasklive.tasks.reminders import LEASE, claim_due
from tests.support.apps import services_of
from tests.support.push_service import b64

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


async def test_each_subscription_gets_one_encrypted_push_naming_the_task(
    client, sign_up, subscribe, due_task, run_due, recorder
):
    account = await sign_up()
    phone, laptop = await subscribe(account), await subscribe(account)
    task = await due_task(account)

    assert await run_due() == 1
    received = await recorder.wait_for(2)
    assert not recorder.errors
    assert {r.payload["task_id"] for r in received} == {task["id"]}
    assert received[0].payload["number"] == 1
    assert received[0].payload["title"] == "leave for the airport"
    assert {len(recorder.delivered(s["endpoint"])) for s in (phone, laptop)} == {1}
    headers = received[0].headers
    assert (headers["urgency"], headers["topic"], headers["ttl"]) == ("high", task["id"], "3600")

    assert await run_due() == 0  # sent: never again
    assert len(recorder.received) == 2
    detail = (await client.get(f"/api/tasks/{task['id']}", headers=account["headers"])).json()
    assert [(d["channel"], d["status"]) for d in detail["reminder_deliveries"]] == [
        ("push", "sent"),
        ("push", "sent"),
    ]
    listed = (await client.get("/api/push/subscriptions", headers=account["headers"])).json()
    assert all(s["last_used_at"] is not None for s in listed)


async def test_a_subscription_the_push_service_calls_gone_is_deleted(
    client, sign_up, subscribe, due_task, run_due, recorder
):
    account = await sign_up()
    dead = await subscribe(account, 410)
    alive = await subscribe(account)
    task = await due_task(account)

    await run_due()
    listed = (await client.get("/api/push/subscriptions", headers=account["headers"])).json()
    assert [s["id"] for s in listed] == [alive["id"]]
    assert dead["id"] not in {s["id"] for s in listed}
    detail = (await client.get(f"/api/tasks/{task['id']}", headers=account["headers"])).json()
    assert sorted(d["status"] for d in detail["reminder_deliveries"]) == ["gone", "sent"]


async def test_a_busy_push_service_is_retried_once_and_the_push_arrives_once(
    client, sign_up, subscribe, due_task, run_due, recorder
):
    account = await sign_up()
    sub = await subscribe(account, 500)
    task = await due_task(account)

    await run_due()
    assert [r.status for r in recorder.received] == [500, 201]
    assert len(recorder.delivered(sub["endpoint"])) == 1
    detail = (await client.get(f"/api/tasks/{task['id']}", headers=account["headers"])).json()
    assert [(d["channel"], d["status"]) for d in detail["reminder_deliveries"]] == [
        ("push", "sent")
    ]


async def test_done_from_the_notification_completes_the_task_with_the_workers_credential(
    client, sign_up, subscribe, due_task
):
    account = await sign_up()
    sub = await subscribe(account)
    task = await due_task(account)
    worker = {"Authorization": f"Bearer {sub['credential']}"}

    refused = await client.post(
        f"/api/push/actions/{task['id']}/done", headers=account["headers"]
    )  # the session's token is not the worker's credential
    assert refused.status_code == 401
    done = await client.post(f"/api/push/actions/{task['id']}/done", headers=worker)
    assert done.status_code == 200 and done.json()["completed"] is True

    other = await sign_up()
    foreign = await due_task(other)
    assert (
        await client.post(f"/api/push/actions/{foreign['id']}/done", headers=worker)
    ).status_code == 404
    # The credential acts on the push actions only.
    assert (await client.get("/api/tasks", headers=worker)).status_code == 401
    await client.delete(f"/api/push/subscriptions/{sub['id']}", headers=account["headers"])
    assert (
        await client.post(f"/api/push/actions/{task['id']}/snooze", headers=worker)
    ).status_code == 401


async def test_snooze_reminds_again_ten_minutes_later(
    client, sign_up, subscribe, due_task, run_due, recorder
):
    account = await sign_up()
    sub = await subscribe(account)
    task = await due_task(account)
    await run_due()
    worker = {"Authorization": f"Bearer {sub['credential']}"}

    snoozed = await client.post(f"/api/push/actions/{task['id']}/snooze", headers=worker)
    assert snoozed.status_code == 200
    again = datetime.fromisoformat(snoozed.json()["remind_at"])
    assert abs(again - (datetime.now().astimezone() + timedelta(minutes=10))) < timedelta(
        seconds=30
    )
    assert await run_due(again + timedelta(seconds=1)) == 1
    assert len(await recorder.wait_for(2)) == 2


async def test_the_next_occurrence_of_a_repeating_task_is_reminded_at_the_same_offset(
    client, sign_up, subscribe, run_due, recorder
):
    account = await sign_up()
    await subscribe(account)
    due = (datetime.now().astimezone() + timedelta(hours=2)).replace(microsecond=0)
    body = {
        "title": "water the plants",
        "due": due.isoformat(),
        "remind_at": (due - timedelta(hours=1)).isoformat(),
        "recurrence": "FREQ=DAILY",
    }
    first = (await client.post("/api/tasks", json=body, headers=account["headers"])).json()
    await run_due(due - timedelta(minutes=59))
    done = await client.patch(
        f"/api/tasks/{first['id']}", json={"completed": True}, headers=account["headers"]
    )
    assert done.status_code == 200
    listed = (await client.get("/api/tasks?status=pending", headers=account["headers"])).json()
    (following,) = listed["items"]
    assert datetime.fromisoformat(following["remind_at"]) == due + timedelta(days=1, hours=-1)

    assert await run_due(due + timedelta(hours=23, minutes=1)) == 1
    received = await recorder.wait_for(2)
    assert [r.payload["task_id"] for r in received] == [first["id"], following["id"]]


async def test_a_reclaimed_reminder_skips_the_browsers_its_dead_sender_reached(
    app, client, sign_up, subscribe, due_task, run_due, recorder
):
    account = await sign_up()
    reached, missed = await subscribe(account), await subscribe(account)
    task = await due_task(account)
    services = services_of(app)
    due = datetime.fromisoformat(task["remind_at"]) + timedelta(seconds=1)

    doomed = await claim_due(services.sessionmaker, due)  # pushed to one browser, then died
    (reminder,) = doomed.reminders
    async with services.sessionmaker() as session:
        pushed = Delivery(
            reminder.user_id, task["id"], reminder.occurrence, "push", reached["id"], "sent", 1,
            utcnow(),
        )  # fmt: skip
        await record(session, [pushed], [])
        await session.commit()

    assert await run_due(due + LEASE) == 1
    assert [len(recorder.delivered(s["endpoint"])) for s in (reached, missed)] == [0, 1]


async def test_a_stored_subscription_with_a_broken_key_fails_alone_and_the_rest_get_one_push(
    app, client, sign_up, subscribe, due_task, run_due, recorder
):
    account = await sign_up()
    good = await subscribe(account)
    broken = await subscribe(account)
    services = services_of(app)
    async with services.sessionmaker() as session:  # stored before keys were checked on subscribe
        row = await session.get(PushSubscription, broken["id"])
        assert row is not None
        row.p256dh = b64(b"\x04" + b"\x01" * 64)  # the right shape, but not a point on P-256
        await session.commit()
    task = await due_task(account)

    assert await run_due() == 1
    assert await run_due(datetime.now().astimezone() + timedelta(hours=1, seconds=1) + LEASE) == 0
    assert len(recorder.delivered(good["endpoint"])) == 1
    detail = (await client.get(f"/api/tasks/{task['id']}", headers=account["headers"])).json()
    assert sorted(d["status"] for d in detail["reminder_deliveries"]) == ["failed", "sent"]
