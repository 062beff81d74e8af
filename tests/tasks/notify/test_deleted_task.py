"""A task deleted while its reminder was out costs nobody else theirs: the rest of the group it
was recorded with are recorded, marked sent, and never pushed again."""

import asyncio
from datetime import datetime, timedelta
from functools import partial

import pytest

from tasklive.tasks.notify.deliver import GroupWriter, Outcome, deliver
from tasklive.tasks.reminders import LEASE, claim_due, settle_outcomes
from tests.support.apps import services_of

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)


async def test_a_task_deleted_mid_push_does_not_send_other_users_reminders_again(
    app, client, sign_up, subscribe, due_task, run_due, recorder
):
    owner, other = await sign_up(), await sign_up()
    for account in (owner, other):
        await subscribe(account)
    doomed, kept = await due_task(owner), await due_task(other)
    services = services_of(app)
    due = datetime.fromisoformat(kept["remind_at"]) + timedelta(seconds=1)
    claim = await claim_due(services.sessionmaker, due)
    finished: list[Outcome] = []

    async def collect(outcomes: list[Outcome]) -> None:
        finished.extend(outcomes)

    deadline = asyncio.get_running_loop().time() + 30
    await deliver(
        services.reminder_channels, services.sessionmaker, claim.reminders,
        deadline=deadline, settle=collect,
    )  # fmt: skip
    assert len(recorder.delivered()) == 2
    deleted = await client.delete(f"/api/tasks/{doomed['id']}", headers=owner["headers"])
    assert deleted.status_code == 204
    published = {r.task_id for r in claim.reminders}
    writer = GroupWriter(partial(settle_outcomes, services.sessionmaker, claim, published))
    for outcome in finished:  # one group, as when both pushes end while a write is under way
        writer.add(outcome)
    await writer.close()

    assert await run_due(due + LEASE) == 0
    assert len(recorder.delivered()) == 2
    detail = (await client.get(f"/api/tasks/{kept['id']}", headers=other["headers"])).json()
    assert [(d["channel"], d["status"]) for d in detail["reminder_deliveries"]] == [
        ("push", "sent")
    ]
