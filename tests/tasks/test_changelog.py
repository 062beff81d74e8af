"""Every task change from any source enters the change log CalDAV sync tokens are made of."""

from datetime import timedelta

from sqlalchemy import select, update

from tasklive.db import utcnow
from tasklive.services import services_of
from tasklive.tasks.collections import latest_change, prune_changes, token_valid
from tasklive.tasks.models import TaskChangeEntry


async def _log(app, user_id):
    async with services_of(app).sessionmaker() as session:
        rows = await session.execute(
            select(
                TaskChangeEntry.seq,
                TaskChangeEntry.list_name,
                TaskChangeEntry.name,
                TaskChangeEntry.deleted,
            )
            .where(TaskChangeEntry.user_id == user_id)
            .order_by(TaskChangeEntry.id)
        )
        return [tuple(row) for row in rows]


async def test_changes_moves_deletes_and_undo_are_logged_in_order(app, client, sign_up):
    account = await sign_up()
    headers, user_id = account["headers"], account["user"]["id"]
    created = (await client.post("/api/tasks", json={"title": "a"}, headers=headers)).json()
    name = f"{created['id']}.ics"
    path = f"/api/tasks/{created['id']}"
    await client.patch(path, json={"list": "Home"}, headers=headers)
    await client.delete(path, headers=headers)
    await client.post("/api/activity/undo", headers=headers)
    assert await _log(app, user_id) == [
        (1, "", name, False),
        (2, "", name, True),
        (2, "Home", name, False),
        (3, "Home", name, True),
        (4, "Home", name, False),
    ]


async def test_a_token_from_before_pruned_entries_is_no_longer_valid(app, client, sign_up):
    account = await sign_up()
    for title in ("a", "b", "c"):
        await client.post("/api/tasks", json={"title": title}, headers=account["headers"])
    user_id = account["user"]["id"]
    sessionmaker = services_of(app).sessionmaker
    async with sessionmaker() as session:
        assert [await token_valid(session, user_id, n) for n in (0, 1, 3, 4)] == [
            True,
            True,
            True,
            False,
        ]
        await session.execute(
            update(TaskChangeEntry)
            .where(TaskChangeEntry.seq <= 2)
            .values(created_at=utcnow() - timedelta(days=100))
        )
        await session.commit()
        assert await prune_changes(session, 90) == 2
        assert [await token_valid(session, user_id, n) for n in (0, 1, 2, 3)] == [
            False,
            False,
            True,
            True,
        ]


async def test_change_numbers_stay_dense_when_one_turn_adds_several_tasks(app, client, sign_up):
    account = await sign_up()
    headers, user_id = account["headers"], account["user"]["id"]
    await client.post("/api/tasks", json={"title": "a"}, headers=headers)
    said = {"message": "add milk, eggs and bread to my Groceries list"}
    reply = await client.post(f"/api/{user_id}/chat", json=said, headers=headers)
    assert reply.status_code == 200, reply.text
    await client.post("/api/tasks", json={"title": "b"}, headers=headers)
    log = await _log(app, user_id)
    assert len(log) == 5
    async with services_of(app).sessionmaker() as session:
        latest = await latest_change(session, user_id)
    assert sorted({seq for seq, *_ in log}) == list(range(1, latest + 1))
