"""Activity from every source, and undo: a deleted task returns with its number, an edit is
reverted, a bulk change is reverted as one, a repeat's next occurrence goes with its completion."""

from datetime import UTC, datetime

from tasklive.services import services_of
from tasklive.tasks.models import ToolCallRecord
from tests.agent.fixtures import post_chat, post_chat_answering
from tests.mcp.client import mcp_tools
from tests.support.live import serving
from tests.support.rest import add_task, task_rows


async def _undo(client, account):
    return await client.post("/api/activity/undo", headers=account["headers"])


async def test_undo_reverts_each_kind_of_change_newest_first(client, sign_up):
    account = await sign_up()
    headers = account["headers"]
    first = await add_task(client, account, "buy milk", labels=["home"])
    await add_task(client, account, "call mom")
    await client.patch(
        f"/api/tasks/{first['id']}", json={"title": "buy oat milk", "priority": 1}, headers=headers
    )
    await client.delete(f"/api/tasks/{first['id']}", headers=headers)
    assert await task_rows(client, account) == [(2, "call mom", False)]

    undone = await _undo(client, account)
    assert undone.status_code == 200, undone.text
    assert undone.json()["undone"]["summary"] == "Deleted #1: buy oat milk"
    assert [t["number"] for t in undone.json()["tasks"]] == [1]
    restored = (await client.get(f"/api/tasks/{first['id']}", headers=headers)).json()
    assert (restored["number"], restored["title"], restored["priority"]) == (1, "buy oat milk", 1)

    await _undo(client, account)  # the edit
    reverted = (await client.get(f"/api/tasks/{first['id']}", headers=headers)).json()
    assert (reverted["title"], reverted["priority"], reverted["labels"]) == (
        "buy milk",
        None,
        ["home"],
    )

    await _undo(client, account)  # creating "call mom"
    assert await task_rows(client, account) == [(1, "buy milk", False)]
    await _undo(client, account)
    assert await task_rows(client, account) == []
    nothing = await _undo(client, account)
    assert nothing.status_code == 409 and nothing.json()["error"]
    assert (await add_task(client, account, "next"))["number"] == 3  # numbers are never reused


async def test_a_bulk_change_is_undone_as_one(client, sign_up, runner):
    account = await sign_up()
    for title in ("a", "b", "c"):
        await add_task(client, account, title)
    response = await post_chat_answering(client, account, 'call [["delete_all_tasks", {}]]')
    assert response.json()["tool_calls"][0]["summary"] == "Deleted 3 tasks"
    assert await task_rows(client, account) == []
    undone = await _undo(client, account)
    assert undone.json()["undone"]["summary"] == "Deleted 3 tasks"
    assert await task_rows(client, account) == [(1, "a", False), (2, "b", False), (3, "c", False)]


async def test_each_tool_call_of_a_chat_turn_is_its_own_change(client, sign_up, runner):
    account = await sign_up()
    await add_task(client, account, "a")
    both = 'call [["add_task", {"title": "b"}], ["add_task", {"title": "c"}]]'
    await post_chat(client, account, both)
    undone = await _undo(client, account)
    assert undone.json()["undone"]["summary"] == "Created #3: c"
    assert await task_rows(client, account) == [(1, "a", False), (2, "b", False)]


async def test_undoing_a_repeating_completion_removes_the_next_occurrence(client, sign_up):
    account = await sign_up()
    task = await add_task(client, account, "gym", due="2026-11-30", recurrence="FREQ=DAILY")
    await client.patch(
        f"/api/tasks/{task['id']}", json={"completed": True}, headers=account["headers"]
    )
    assert len(await task_rows(client, account)) == 2
    await _undo(client, account)
    assert await task_rows(client, account) == [(1, "gym", False)]


async def test_activity_lists_changes_from_every_source_newest_first(app, client, sign_up, runner):
    account = await sign_up()
    await add_task(client, account, "from rest")
    await post_chat(client, account, "add from chat")
    async with serving(app) as url, mcp_tools(url, account["access_token"]) as call:
        await call("add_task", title="from mcp")
        await call("list_tasks")  # reads are not changes
        undone = await call("undo_last_change")
        assert undone["summary"] == "Undid: Created #3: from mcp"
    response = await client.get("/api/activity", headers=account["headers"])
    items = response.json()["items"]
    assert [(i["source"], i["tool"], i["summary"], i["undone"]) for i in items] == [
        ("mcp", "undo_last_change", "Undid: Created #3: from mcp", False),
        ("mcp", "add_task", "Created #3: from mcp", True),
        ("chat", "add_task", "Created #2: from chat", False),
        ("rest", "add_task", "Created #1: from rest", False),
    ]
    older = await client.get(
        "/api/activity", params={"before": items[1]["id"], "limit": 1}, headers=account["headers"]
    )
    assert [i["summary"] for i in older.json()["items"]] == ["Created #2: from chat"]
    stranger = await sign_up()
    assert (await client.get("/api/activity", headers=stranger["headers"])).json()["items"] == []
    assert (await _undo(client, stranger)).status_code == 409


async def _stored_record(app, account, tool, changes):
    """A record as an older restore may have left it: dated in the future, so it is the latest."""
    record = ToolCallRecord(
        user_id=account["user"]["id"],
        source="import",
        tool=tool,
        ok=True,
        outcome=f"{tool} from a backup",
        changes=changes,
        created_at=datetime(2999, 1, 1, tzinfo=UTC),
    )
    async with services_of(app).sessionmaker() as session:
        session.add(record)
        await session.commit()


async def test_undo_passes_over_a_damaged_record_and_says_so(app, client, sign_up):
    account = await sign_up()
    await add_task(client, account, "buy milk")
    damaged = [{"before": {"id": "x", "number": 7, "title": 7}, "after": None}]
    await _stored_record(app, account, "delete_task", damaged)

    undone = await _undo(client, account)
    assert undone.status_code == 200, undone.text
    assert undone.json()["undone"]["summary"] == "Created #1: buy milk"
    again = await _undo(client, account)
    assert again.status_code == 409
    assert "the latest change's record is damaged" in again.json()["error"]


async def test_undo_keeps_a_task_number_when_the_record_names_another(app, client, sign_up):
    account = await sign_up()
    await add_task(client, account, "first")
    second = await add_task(client, account, "second")
    before = {**second, "number": 1, "title": "old", "user_id": account["user"]["id"]}
    await _stored_record(app, account, "update_task", [{"before": before, "after": second}])

    undone = await _undo(client, account)
    assert undone.status_code == 200, undone.text
    assert [(t["number"], t["title"]) for t in undone.json()["tasks"]] == [(2, "old")]
