"""The seven task tools through a real agent run: result shapes, plain errors, audit, isolation."""

import json

from sqlalchemy import select

from tasklive.tasks.models import ToolCallRecord
from tasklive.tasks.schemas import TaskOut
from tests.agent.fixtures import post_chat, post_chat_answering, run_events
from tests.support.apps import services_of
from tests.support.rest import task_rows


def call(*calls):
    return "call " + json.dumps([list(c) for c in calls])


def tool_results(recorder, user_id, run_id):
    """{tool_call_id: event} for the run's tool_complete / tool_error events."""
    return {
        e["tool_call_id"]: e
        for e in run_events(recorder, user_id, run_id)
        if e["event_type"] in ("tool_complete", "tool_error")
    }


async def test_each_tool_changes_the_database_and_reports_fixed_shapes(
    client, sign_up, runner, recorder, app
):
    alice = await sign_up()
    uid = alice["user"]["id"]
    first = await post_chat(
        client,
        alice,
        call(
            ("add_task", {"title": "buy milk", "description": "2 litres"}),
            ("add_task", {"title": "call mom"}),
            ("add_task", {"title": "write report"}),
        ),
    )
    assert first.status_code == 200, first.text
    body = first.json()
    added = [r["result"]["task"] for r in tool_results(recorder, uid, body["run_id"]).values()]
    assert {t["title"] for t in added} == {"buy milk", "call mom", "write report"}
    assert set(added[0]) == set(TaskOut.model_fields) - {"created_at", "updated_at"}
    assert sorted(t["title"] for t in body["tasks"]) == ["buy milk", "call mom", "write report"]
    assert body["tool_calls"][0]["summary"].startswith("Created #")

    second = await post_chat(
        client,
        alice,
        call(
            ("complete_task", {"number": 2}),
            ("update_task", {"number": 1, "title": "buy oat milk"}),
            ("delete_task", {"number": 3}),
        ),
        conversation_id=body["conversation_id"],
    )
    summaries = [c["summary"] for c in second.json()["tool_calls"]]
    assert summaries == [
        "Marked #2 as complete",
        "Updated #1: buy oat milk",
        "Deleted #3: write report",
    ]
    assert await task_rows(client, alice) == [(1, "buy oat milk", False), (2, "call mom", True)]
    assert {t["number"] for t in second.json()["tasks"]} == {1, 2}

    listing = await post_chat(client, alice, call(("list_tasks", {"status": "pending"})))
    result = tool_results(recorder, uid, listing.json()["run_id"])["call-0"]
    assert result["message"] == "Found 1 pending task"
    assert {k: v for k, v in result["result"].items() if k != "tasks"} == {
        "ok": True,
        "status": "pending",
        "count": 1,
        "total": 2,
        "pending": 1,
        "completed": 1,
    }
    assert [t["title"] for t in result["result"]["tasks"]] == ["buy oat milk"]

    everything = await post_chat_answering(client, alice, call(("complete_all_tasks", {})))
    result = tool_results(recorder, uid, everything.json()["run_id"])["call-0"]
    assert result["message"] == "Marked 1 task as complete"
    assert result["result"]["count"] == 1
    assert await task_rows(client, alice, "pending") == []

    wipe = await post_chat_answering(client, alice, call(("delete_all_tasks", {})))
    result = tool_results(recorder, uid, wipe.json()["run_id"])["call-0"]
    assert result["result"] == {"ok": True, "count": 2}
    assert await task_rows(client, alice) == []

    async with services_of(app).sessionmaker() as session:
        records = list(
            await session.scalars(select(ToolCallRecord).where(ToolCallRecord.user_id == uid))
        )
    assert len(records) == 9
    assert {r.source for r in records} == {"chat"}
    assert all(r.ok and r.run_id for r in records)
    assert any(r.tool == "delete_task" and r.args == {"number": 3} for r in records)


async def test_failures_come_back_as_plain_words_and_are_audited(
    client, sign_up, runner, recorder, app
):
    alice = await sign_up()
    uid = alice["user"]["id"]
    response = await post_chat(
        client,
        alice,
        call(("complete_task", {"number": 999}), ("update_task", {"number": 999, "title": "x"})),
    )
    assert response.status_code == 200
    calls = response.json()["tool_calls"]
    assert [(c["ok"], c["summary"]) for c in calls] == [
        (False, "Task #999 doesn't exist."),
        (False, "Task #999 doesn't exist."),
    ]
    errors = tool_results(recorder, uid, response.json()["run_id"])
    assert {e["event_type"] for e in errors.values()} == {"tool_error"}
    assert errors["call-0"]["error"] == "Task #999 doesn't exist."

    single = await post_chat(client, alice, "done 999")
    assert single.json()["response"] == "Task #999 doesn't exist."
    async with services_of(app).sessionmaker() as session:
        failed = list(
            await session.scalars(select(ToolCallRecord).where(ToolCallRecord.ok.is_(False)))
        )
    assert len(failed) == 3


async def test_tools_only_ever_touch_the_callers_tasks(client, sign_up, runner):
    alice, bob = await sign_up(), await sign_up()
    await client.post("/api/tasks", json={"title": "bob's task"}, headers=bob["headers"])
    response = await post_chat_answering(
        client,
        alice,
        call(("complete_task", {"number": 1}), ("delete_all_tasks", {}), ("list_tasks", {})),
    )
    summaries = [c["summary"] for c in response.json()["tool_calls"]]
    assert summaries == ["Task #1 doesn't exist.", "Deleted 0 tasks", "Found 0 tasks"]
    assert await task_rows(client, bob) == [(1, "bob's task", False)]


async def test_run_follows_the_contract_run_rules(client, sign_up, runner, recorder):
    alice = await sign_up()
    uid = alice["user"]["id"]
    response = await post_chat(
        client, alice, call(("add_task", {"title": "a"}), ("delete_task", {"number": 42}))
    )
    body = response.json()
    events = run_events(recorder, uid, body["run_id"])
    kinds = [e["event_type"] for e in events]
    assert kinds[0] == "agent_thinking"
    assert kinds[-1] == "agent_done" and kinds.count("agent_done") == 1
    assert all(e["conversation_id"] == body["conversation_id"] for e in events)
    done = events[-1]
    assert done["error"] is None and done["cancelled"] is False
    assert done["response"] == body["response"] == "Done."
    for start in (e for e in events if e["event_type"] == "tool_starting"):
        index = events.index(start)
        later = events[index + 1 :]
        ends = [
            e
            for e in later
            if e["event_type"] in ("tool_complete", "tool_error")
            and e["tool_call_id"] == start["tool_call_id"]
        ]
        assert len(ends) == 1
        between = later[: later.index(ends[0])]
        assert any(
            e["event_type"] == "tool_progress" and e["tool_call_id"] == start["tool_call_id"]
            for e in between
        )
    created = [e for e in events if e["event_type"] == "task_created"]
    assert len(created) == 1 and created[0]["result"]["title"] == "a"
    deltas = "".join(e["delta"] for e in events if e["event_type"] == "agent_message_delta")
    assert deltas.strip() == body["response"]
