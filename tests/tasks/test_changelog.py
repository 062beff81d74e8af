"""Every task change from any source enters the change log CalDAV sync tokens are made of."""

from sqlalchemy import select

from tasklive.services import services_of
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
