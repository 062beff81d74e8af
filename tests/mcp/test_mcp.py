"""MCP at /mcp, driven by the mcp SDK's own client over streamable HTTP against a served app."""

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from websockets.asyncio.client import connect

from tasklive.auth.tokens import issue_token
from tasklive.tasks.models import ToolCallRecord
from tests.mcp.client import INITIALIZE, MCP_ACCEPT, mcp_tools
from tests.support.apps import services_of
from tests.support.live import serving

TOOLS = {
    "add_task",
    "list_tasks",
    "update_task",
    "complete_task",
    "uncomplete_task",
    "delete_task",
    "complete_all_tasks",
    "delete_all_tasks",
    "undo_last_change",
    "quick_add_task",
}


@pytest.fixture
async def base_url(app: Any) -> AsyncIterator[str]:
    async with serving(app) as url:
        yield url


async def test_lists_the_task_tools_with_described_schemas_and_hints(base_url, sign_up):
    account = await sign_up()
    async with mcp_tools(base_url, account["access_token"]) as call:
        listed = {tool.name: tool for tool in (await call.client.list_tools()).tools}
    assert set(listed) == TOOLS
    for tool in listed.values():
        assert tool.description
    number = listed["complete_task"].input_schema["properties"]["number"]
    assert number["type"] == "integer" and number["description"]
    assert listed["add_task"].input_schema["required"] == ["title"]
    assert listed["list_tasks"].input_schema["properties"]["status"]["enum"] == [
        "all",
        "pending",
        "completed",
    ]
    assert number["minimum"] == 1
    assert listed["list_tasks"].annotations.read_only_hint is True
    assert listed["delete_task"].annotations.destructive_hint is True
    assert listed["complete_task"].annotations.idempotent_hint is True
    assert listed["add_task"].annotations.destructive_hint is False
    # asks on a card in chat, so an MCP client is told to ask too
    assert listed["complete_all_tasks"].annotations.destructive_hint is True


async def test_add_list_update_complete_delete_by_number(base_url, client, sign_up):
    account = await sign_up()
    async with mcp_tools(base_url, account["access_token"]) as call:
        added = await call("add_task", title="  buy milk ", description="2 litres")
        await call("add_task", title="call mom")
        assert added == {
            "ok": True,
            "task": {
                "id": added["task"]["id"],
                "number": 1,
                "title": "buy milk",
                "description": "2 litres",
                "completed": False,
                "completed_at": None,
                "due": None,
                "priority": None,
                "labels": [],
                "list": None,
                "recurrence": None,
                "remind_at": None,
            },
        }
        assert (await call("update_task", number=2, title="call dad"))["task"][
            "title"
        ] == "call dad"
        done = await call("complete_task", number=1)
        assert done["task"]["completed"] is True
        pending = await call("list_tasks", status="pending")
        assert [t["title"] for t in pending["tasks"]] == ["call dad"]
        assert (pending["count"], pending["total"], pending["pending"], pending["completed"]) == (
            1,
            2,
            1,
            1,
        )
        assert (await call("delete_task", number=1))["task"]["title"] == "buy milk"
        everything = await call("complete_all_tasks")
        assert everything["count"] == 1 and everything["tasks"][0]["number"] == 2
        listed = await call("list_tasks")
        assert [(t["number"], t["completed"]) for t in listed["tasks"]] == [(2, True)]

        rest = await client.get("/api/tasks", headers=account["headers"])
        assert [(t["number"], t["title"]) for t in rest.json()["items"]] == [(2, "call dad")]

        assert await call("delete_all_tasks") == {"ok": True, "count": 1}
        assert (await call("list_tasks"))["total"] == 0


async def test_failures_are_tool_errors_in_plain_words(base_url, sign_up):
    account = await sign_up()
    async with mcp_tools(base_url, account["access_token"]) as call:
        assert await call.failure("complete_task", number=7) == "Task #7 doesn't exist."
        assert await call.failure("add_task", title="   ") == "title: A task needs a title."
        await call("add_task", title="keep me")
        assert "#1" in await call.failure("update_task", number=1)
        assert "number" in await call.failure("delete_task", number="first")
        assert "number" in await call.failure("delete_task", number=0)
        assert (await call("uncomplete_task", number=1))["task"]["completed"] is False
        assert (await call("list_tasks"))["tasks"][0]["title"] == "keep me"


async def test_each_token_acts_only_on_its_own_users_tasks(base_url, sign_up):
    alice, bob = await sign_up(), await sign_up()
    async with mcp_tools(base_url, alice["access_token"]) as as_alice:
        await as_alice("add_task", title="alice's secret")
    async with mcp_tools(base_url, bob["access_token"]) as as_bob:
        assert (await as_bob("list_tasks"))["tasks"] == []
        assert await as_bob.failure("delete_task", number=1) == "Task #1 doesn't exist."
        assert (await as_bob("delete_all_tasks"))["count"] == 0
        assert (await as_bob("add_task", title="bob's"))["task"]["number"] == 1
    async with mcp_tools(base_url, alice["access_token"]) as as_alice:
        titles = [t["title"] for t in (await as_alice("list_tasks"))["tasks"]]
    assert titles == ["alice's secret"]


async def test_no_token_or_a_bad_one_is_401(base_url, settings, sign_up):
    account = await sign_up()
    initialize, accept = INITIALIZE, MCP_ACCEPT
    forged = issue_token(account["user"]["id"], "another-secret-" * 4, 60).token
    expired = issue_token(account["user"]["id"], settings.resolved_secret_key, -1).token
    metadata_url = f"{base_url}/.well-known/oauth-protected-resource"
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        for token in (None, "garbage", forged, expired):
            headers = accept if token is None else {**accept, "Authorization": f"Bearer {token}"}
            response = await http.post("/mcp", json=initialize, headers=headers)
            assert response.status_code == 401, token
            challenge = response.headers["www-authenticate"]
            assert challenge.startswith("Bearer ")
            assert f'resource_metadata="{metadata_url}"' in challenge
        good = {**accept, "Authorization": f"Bearer {account['access_token']}"}
        response = await http.post("/mcp", json=initialize, headers=good)
        assert response.status_code == 200
        metadata = (await http.get(metadata_url)).json()
    assert metadata["resource"] == f"{base_url}/mcp"
    assert metadata["bearer_methods_supported"] == ["header"]


async def test_every_call_is_audited_as_mcp(app, base_url, sign_up):
    account = await sign_up()
    async with mcp_tools(base_url, account["access_token"]) as call:
        await call("add_task", title="audit me")
        await call.failure("delete_task", number=5)
    async with services_of(app).sessionmaker() as session:
        rows = list(
            await session.scalars(select(ToolCallRecord).order_by(ToolCallRecord.created_at))
        )
    assert [(r.source, r.tool, r.ok, r.user_id) for r in rows] == [
        ("mcp", "add_task", True, account["user"]["id"]),
        ("mcp", "delete_task", False, account["user"]["id"]),
    ]
    assert rows[0].args == {"title": "audit me", "description": ""}
    assert rows[0].outcome == "Created #1: audit me"
    assert rows[1].outcome == "Task #5 doesn't exist."


async def test_changes_reach_the_users_websocket_as_task_events(base_url, sign_up):
    alice, bob = await sign_up(), await sign_up()
    ws_base = base_url.replace("http", "ws", 1)

    def events_url(account):
        return f"{ws_base}/ws/{account['user']['id']}/chat?token={account['access_token']}"

    async with connect(events_url(alice)) as alice_ws, connect(events_url(bob)) as bob_ws:
        for socket in (alice_ws, bob_ws):
            established = json.loads(await asyncio.wait_for(socket.recv(), 10))
            assert established["event_type"] == "connection_established"
        async with mcp_tools(base_url, alice["access_token"]) as call:
            await call("add_task", title="live one")
            await call("complete_task", number=1)
            await call("delete_task", number=1)
        received = [json.loads(await asyncio.wait_for(alice_ws.recv(), 10)) for _ in range(3)]
        await bob_ws.send(json.dumps({"type": "ping"}))
        bobs_next = json.loads(await asyncio.wait_for(bob_ws.recv(), 10))
    assert [(e["event_type"], e["message"]) for e in received] == [
        ("task_created", "Created #1: live one"),
        ("task_updated", "Marked #1 as complete"),
        ("task_deleted", "Deleted #1: live one"),
    ]
    assert received[0]["result"]["title"] == "live one"
    assert bobs_next["event_type"] == "pong"  # nothing of Alice's reached Bob first


async def test_task_fields_are_typed_described_arguments(base_url, sign_up):
    account = await sign_up()
    async with mcp_tools(base_url, account["access_token"]) as call:
        listed = {tool.name: tool for tool in (await call.client.list_tools()).tools}
        properties = listed["add_task"].input_schema["properties"]
        assert {"due", "priority", "labels", "list", "recurrence", "remind_at"} <= set(properties)
        assert all(properties[name].get("description") for name in properties)
        added = await call(
            "add_task",
            title="pay rent",
            due="2026-12-04",
            priority=1,
            labels=["#Home"],
            list="Bills",
            recurrence="FREQ=MONTHLY",
        )
        task = added["task"]
        assert (task["due"], task["priority"], task["labels"], task["list"]) == (
            "2026-12-04",
            1,
            ["home"],
            "Bills",
        )
        await call("add_task", title="other")
        assert [t["title"] for t in (await call("list_tasks", label="home"))["tasks"]] == [
            "pay rent"
        ]
        cleared = await call("update_task", number=1, clear=["due", "labels"])
        assert (cleared["task"]["due"], cleared["task"]["labels"]) == (None, [])
        assert "priority" in await call.failure("add_task", title="x", priority=9)
        undone = await call("undo_last_change")
        assert undone["tasks"][0]["due"] == "2026-12-04"


async def test_quick_add_task_reads_one_line_into_a_task_with_the_spans_it_recognised(
    app, base_url, client, sign_up
):
    account = await sign_up()
    line = "call the landlord tomorrow at 5pm p1 #home"
    async with mcp_tools(base_url, account["access_token"]) as call:
        listed = {tool.name: tool for tool in (await call.client.list_tools()).tools}
        schema = listed["quick_add_task"].input_schema
        assert schema["required"] == ["text"] and schema["properties"]["text"]["description"]
        assert listed["quick_add_task"].annotations.destructive_hint is False
        added = await call("quick_add_task", text=line)
        not_a_task = await call.failure("quick_add_task", text="what is on my list?")
        empty = await call.failure("quick_add_task", text="")
    task = added["task"]
    assert (task["number"], task["title"], task["priority"], task["labels"]) == (
        1,
        "call the landlord",
        1,
        ["home"],
    )
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    assert task["due"].startswith(f"{tomorrow}T17:00")
    assert [(line[s["start"] : s["end"]], s["kind"]) for s in added["spans"]] == [
        ("tomorrow at 5pm", "due"),
        ("p1", "priority"),
        ("#home", "label"),
    ]
    # The REST endpoint reads the same line the same way.
    rest = await client.post("/api/tasks/quick", json={"text": line}, headers=account["headers"])
    assert rest.status_code == 201
    assert rest.json()["spans"] == added["spans"]
    assert not_a_task.endswith(".") and "Error executing" not in not_a_task
    said = await client.post("/api/tasks/quick", json={"text": ""}, headers=account["headers"])
    assert empty == said.json()["error"]  # the same sentence as the REST endpoint's
    async with services_of(app).sessionmaker() as session:
        rows = list(
            await session.scalars(select(ToolCallRecord).where(ToolCallRecord.source == "mcp"))
        )
    assert sorted((r.tool, r.ok, r.outcome) for r in rows) == sorted(
        [
            ("quick_add_task", False, not_a_task),
            ("quick_add_task", False, empty),
            ("quick_add_task", True, "Created #1: call the landlord"),
        ]
    )
