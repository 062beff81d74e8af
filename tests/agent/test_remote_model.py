"""A remote OpenAI-compatible model over real HTTP: tool calls, streamed replies, retries, 503."""

import json
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from tasklive.chat.models import Message
from tests.agent.fixtures import post_chat, remote_model_settings
from tests.support.apps import services_of


@pytest.fixture
def settings_overrides(openai_server):
    return remote_model_settings(openai_server)


async def test_remote_model_calls_a_tool_and_answers(client, sign_up, openai_server, app):
    openai_server.replies = [
        {"status": 500},
        {"status": 429},
        {"tool": "add_task", "args": {"title": "buy milk"}},
        {"text": "Added task #1: buy milk."},
    ]
    alice = await sign_up()
    response = await post_chat(client, alice, "Please add a task to buy milk")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["response"] == "Added task #1: buy milk."
    assert body["tool_calls"] == [
        {
            "tool": "add_task",
            "args": {"title": "buy milk"},
            "ok": True,
            "summary": "Created #1: buy milk",
        }
    ]
    tasks = await client.get("/api/tasks", headers=alice["headers"])
    assert [t["title"] for t in tasks.json()["items"]] == ["buy milk"]

    # Two failed attempts were retried; then the tool round trip took two requests.
    assert len(openai_server.requests) == 4
    first, last = openai_server.requests[2], openai_server.requests[3]
    assert first["model"] == "scripted-model" and first["stream"] is True
    assert {t["function"]["name"] for t in first["tools"]} >= {"add_task", "delete_all_tasks"}
    assert first["messages"][0]["role"] == "system"
    assert "task" in first["messages"][0]["content"].lower()
    assert first["messages"][-1] == {"role": "user", "content": "Please add a task to buy milk"}
    assert last["messages"][-1]["role"] == "tool" and '"ok":true' in last["messages"][-1]["content"]

    stored = await client.get(
        f"/api/{alice['user']['id']}/conversations/{body['conversation_id']}/messages",
        headers=alice["headers"],
    )
    assert [(m["role"], m["content"]) for m in stored.json()] == [
        ("user", "Please add a task to buy milk"),
        ("assistant", "Added task #1: buy milk."),
    ]


async def test_a_model_that_answers_errors_gets_503_model_error_and_keeps_the_message(
    client, sign_up, openai_server, app
):
    # Three streamed attempts, then the same request once unstreamed: all answer 500.
    openai_server.replies = [{"status": 500, "message": "model is on fire"}] * 4
    openai_server.replies.append({"text": "too late"})
    alice = await sign_up()
    response = await post_chat(client, alice, "What are my tasks?", client_message_id="m-1")
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "model_error"
    assert body["error"] == "The model answered with an error: model is on fire"
    assert {"conversation_id", "message_id", "run_id"} <= body.keys()
    assert int(response.headers["Retry-After"]) > 0
    assert [r["stream"] for r in openai_server.requests] == [True, True, True, False]

    async with services_of(app).sessionmaker() as session:
        kept = await session.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.role == "user", Message.content == "What are my tasks?")
        )
    assert kept == 1

    # A failed turn sent again with the same client_message_id runs again, streamed: the
    # unstreamed request failed too, so nothing was learnt about streaming.
    again = await post_chat(client, alice, "What are my tasks?", client_message_id="m-1")
    assert again.status_code == 200, again.text
    assert again.json()["response"] == "too late"
    assert again.json()["run_id"] != body["run_id"]
    assert [r["stream"] for r in openai_server.requests] == [True] * 3 + [False, True]
    # The model saw the question once more, not the earlier apology.
    assert [m["role"] for m in openai_server.requests[-1]["messages"]] == ["system", "user"]


async def test_a_model_that_cannot_be_reached_gets_503_model_unavailable(
    client, sign_up, openai_server
):
    await openai_server.__aexit__()  # nothing listens on its port any more
    alice = await sign_up()
    response = await post_chat(client, alice, "What are my tasks?")
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "model_unavailable"
    assert body["error"].startswith("I couldn't reach the language model")
    assert int(response.headers["Retry-After"]) > 0


async def test_a_remote_model_is_told_the_zone_and_the_message_time(
    client, sign_up, openai_server, app
):
    openai_server.replies = [{"text": "Noted."}]
    alice = await sign_up()
    zone = {"timezone": "Asia/Kolkata"}
    assert (await client.patch("/api/auth/me", json=zone, headers=alice["headers"])).is_success
    response = await post_chat(client, alice, "remind me to pay rent on friday")
    assert response.status_code == 200, response.text
    async with services_of(app).sessionmaker() as session:
        sent = await session.scalar(select(Message.created_at).where(Message.role == "user"))
    assert sent is not None
    local = sent.astimezone(ZoneInfo("Asia/Kolkata")).isoformat(timespec="seconds")
    system = openai_server.requests[-1]["messages"][0]["content"]
    assert f"The user's time zone is Asia/Kolkata; now is {local}." in system
    assert "+05:30" in local


async def test_a_remote_model_sees_its_earlier_tool_call_and_result(client, sign_up, openai_server):
    openai_server.replies = [
        {"tool": "add_task", "args": {"title": "buy milk"}},
        {"text": "Added task #1: buy milk."},
        {"text": "It is task #1."},
    ]
    alice = await sign_up()
    first = await post_chat(client, alice, "Please add a task to buy milk")
    assert first.status_code == 200, first.text
    second = await post_chat(
        client, alice, "Which number was that?", conversation_id=first.json()["conversation_id"]
    )
    assert second.status_code == 200, second.text

    sent = openai_server.requests[-1]["messages"]
    calls = [m for m in sent if m["role"] == "assistant" and m.get("tool_calls")]
    assert [c["tool_calls"][0]["function"]["name"] for c in calls] == ["add_task"]
    assert json.loads(calls[0]["tool_calls"][0]["function"]["arguments"]) == {"title": "buy milk"}
    results = [m for m in sent if m["role"] == "tool"]
    assert [r["tool_call_id"] for r in results] == [calls[0]["tool_calls"][0]["id"]]
    assert '"number":1' in results[0]["content"]
    roles = [m["role"] for m in sent if m["role"] != "system"]
    assert roles == ["user", "assistant", "tool", "assistant", "user"]
    assert sent[-1] == {"role": "user", "content": "Which number was that?"}
