"""One declaration per tool: agent tools, MCP tools and REST accept and reject the same inputs."""

from typing import Any

import pytest
from pydantic import ValidationError

from tasklive.agent.tools import TOOLS as AGENT_TOOLS
from tasklive.tasks.toolkit import TOOLS
from tests.agent.fixtures import post_chat, run_events
from tests.mcp.client import mcp_tools
from tests.support.live import serving

LONG = "x" * 201
# (tool, arguments, accepted, the same input over REST or None when REST has no such input)
CASES: list[tuple[str, dict[str, Any], bool, dict[str, Any] | None]] = [
    ("add_task", {"title": "buy milk"}, True, {"title": "buy milk"}),
    ("add_task", {"title": "  padded  "}, True, {"title": "  padded  "}),
    ("add_task", {"title": "x" * 200}, True, {"title": "x" * 200}),
    ("add_task", {"title": ""}, False, {"title": ""}),
    ("add_task", {"title": "   "}, False, {"title": "   "}),
    ("add_task", {"title": LONG}, False, {"title": LONG}),
    ("add_task", {}, False, {}),
    ("add_task", {"title": "ok", "description": "d" * 2000}, True, None),
    (
        "add_task",
        {"title": "ok", "description": "d" * 2001},
        False,
        {"title": "ok", "description": "d" * 2001},
    ),
    ("add_task", {"title": "ok", "priority": 5}, False, {"title": "ok", "priority": 5}),
    ("add_task", {"title": "ok", "priority": 1}, True, {"title": "ok", "priority": 1}),
    ("add_task", {"title": "ok", "due": "friday"}, False, {"title": "ok", "due": "friday"}),
    ("add_task", {"title": "ok", "due": "2026-12-04"}, True, {"title": "ok", "due": "2026-12-04"}),
    (
        "add_task",
        {"title": "ok", "recurrence": "FREQ=WEEKLY;BYDAY=MO"},
        True,
        {"title": "ok", "recurrence": "FREQ=WEEKLY;BYDAY=MO"},
    ),
    (
        "add_task",
        {"title": "ok", "recurrence": "every monday"},
        False,
        {"title": "ok", "recurrence": "every monday"},
    ),
    ("add_task", {"title": "ok", "labels": ["a b"]}, False, {"title": "ok", "labels": ["a b"]}),
    ("add_task", {"title": "ok", "labels": ["#Work"]}, True, {"title": "ok", "labels": ["#Work"]}),
    (
        "add_task",
        {"title": "ok", "remind_at": "2026-12-04"},
        False,
        {"title": "ok", "remind_at": "2026-12-04"},
    ),
    ("add_task", {"title": "nul\x00"}, False, {"title": "nul\x00"}),
    ("update_task", {"number": 1, "clear": ["due"]}, True, {"due": None}),
    ("update_task", {"number": 1, "clear": ["title"]}, False, None),
    ("list_tasks", {"view": "today", "sort": "due"}, True, None),
    ("list_tasks", {"view": "someday"}, False, None),
    ("update_task", {"number": 1, "title": LONG}, False, {"title": LONG}),
    ("update_task", {"number": 1, "title": " "}, False, {"title": " "}),
    ("update_task", {"number": 1, "title": "renamed"}, True, {"title": "renamed"}),
    ("complete_task", {"number": 0}, False, None),
    ("complete_task", {"number": -3}, False, None),
    ("complete_task", {"number": "first"}, False, None),
    ("complete_task", {"number": 1}, True, None),
    ("uncomplete_task", {"number": 0}, False, None),
    ("delete_task", {"number": 0}, False, None),
    ("list_tasks", {"status": "pending"}, True, None),
    ("list_tasks", {"status": "nope"}, False, None),
]


@pytest.fixture
def database_url(tmp_path):
    """The rules live in the types, not the database: SQLite is enough here."""
    return f"sqlite+aiosqlite:///{tmp_path / 'tasklive.db'}"


def agent_accepts(tool: str, args: dict[str, Any]) -> bool:
    """Whether pydantic-ai's validator for the generated tool takes these arguments."""
    generated = next(t for t in AGENT_TOOLS if t.name == tool)
    try:
        generated.function_schema.validator.validate_python(args)
    except ValidationError:
        return False
    return True


def comparable(schema: dict[str, Any]) -> Any:
    """A JSON schema without the parts each SDK adds on its own (titles, closedness)."""
    if isinstance(schema, dict):
        return {
            key: comparable(value)
            for key, value in schema.items()
            if key not in ("title", "additionalProperties")
        }
    if isinstance(schema, list):
        return [comparable(item) for item in schema]
    return schema


async def test_agent_and_mcp_offer_the_same_tools_with_the_same_schemas(app, sign_up):
    account = await sign_up()
    async with serving(app) as url, mcp_tools(url, account["access_token"]) as call:
        listed = {tool.name: tool for tool in (await call.client.list_tools()).tools}
    agents = {tool.name: tool for tool in AGENT_TOOLS}
    assert set(listed) == set(TOOLS)
    # quick_add_task is for clients that can't fill add_task's typed fields; a model can.
    assert set(agents) == set(TOOLS) - {"quick_add_task"}
    assert listed["quick_add_task"].description == TOOLS["quick_add_task"].description
    for name, spec in TOOLS.items():
        if name not in agents:
            continue
        assert listed[name].description == agents[name].description == spec.description
        agent_schema = agents[name].function_schema.json_schema
        assert comparable(listed[name].input_schema) == comparable(agent_schema), name
        for prop in agent_schema["properties"].values():
            assert prop.get("description"), (name, prop)


async def test_agent_mcp_and_rest_accept_and_reject_the_same_inputs(app, client, sign_up):
    account = await sign_up()
    headers = account["headers"]
    created = await client.post("/api/tasks", json={"title": "target"}, headers=headers)
    task_url = f"/api/tasks/{created.json()['id']}"
    async with serving(app) as url, mcp_tools(url, account["access_token"]) as call:
        for tool, args, accepted, rest_body in CASES:
            assert agent_accepts(tool, args) is accepted, ("agent", tool, args)
            result = await call.client.call_tool(tool, args)
            assert result.is_error is not accepted, ("mcp", tool, args, result.content)
            if not accepted:
                sentence = result.content[0].text
                assert "validation error" not in sentence and "Error executing" not in sentence
            if rest_body is None:
                continue
            if tool == "add_task":
                response = await client.post("/api/tasks", json=rest_body, headers=headers)
            else:
                response = await client.patch(task_url, json=rest_body, headers=headers)
            assert (response.status_code < 300) is accepted, ("rest", tool, args, response.text)
            if not accepted:
                assert response.status_code == 422
                assert response.json()["fields"], response.json()


async def test_a_listing_tool_announces_its_count(client, sign_up, runner, recorder):
    account = await sign_up()
    for title in ("one", "two"):
        await client.post("/api/tasks", json={"title": title}, headers=account["headers"])
    response = await post_chat(client, account, 'call [["list_tasks", {}]]')
    events = run_events(recorder, account["user"]["id"], response.json()["run_id"])
    complete = next(e for e in events if e["event_type"] == "tool_complete")
    assert (complete["count"], complete["message"]) == (2, "Found 2 tasks")


async def test_quick_add_over_mcp_and_rest_accepts_and_rejects_the_same_lines(app, client, sign_up):
    account = await sign_up()
    lines = ["buy milk", "", "   ", "x" * 2001, "nul\x00 milk", "p1 #home", "buy milk p1"]
    async with serving(app) as url, mcp_tools(url, account["access_token"]) as call:
        for text in lines:
            result = await call.client.call_tool("quick_add_task", {"text": text})
            response = await client.post(
                "/api/tasks/quick", json={"text": text}, headers=account["headers"]
            )
            assert (response.status_code == 201) is not result.is_error, (text, response.text)
            if result.is_error:
                assert response.status_code == 422
                sentence = result.content[0].text
                assert "validation error" not in sentence and "Error executing" not in sentence
    titles = [
        t["title"]
        for t in (await client.get("/api/tasks", headers=account["headers"])).json()["items"]
    ]
    assert titles == ["buy milk", "buy milk", "buy milk", "buy milk"]
