"""The chat and conversation endpoints: validation, access, idempotency, limits, paging, delete."""

import json

import pytest
from sqlalchemy import func, select

from tasklive.chat.models import DailyUsage, Message
from tests.agent.fixtures import post_chat
from tests.support.apps import services_of


@pytest.fixture
def settings_overrides():
    return {"daily_message_limit": 4}


async def count_messages(app, **where):
    async with services_of(app).sessionmaker() as session:
        query = select(func.count()).select_from(Message)
        for column, value in where.items():
            query = query.where(getattr(Message, column) == value)
        return await session.scalar(query)


async def test_message_length_rules_say_what_is_wrong(client, sign_up, runner, app):
    alice = await sign_up()
    empty = await post_chat(client, alice, "   ")
    assert empty.status_code == 422 and "empty" in empty.json()["error"]
    too_long = await post_chat(client, alice, "x" * 10_001)
    assert too_long.status_code == 422
    assert "10,000 characters" in too_long.json()["error"]
    assert await count_messages(app) == 0
    longest = await post_chat(client, alice, "x" * 10_000)
    assert longest.status_code == 200


async def test_other_users_conversations_are_not_found(client, sign_up, runner):
    alice, bob = await sign_up(), await sign_up()
    first = (await post_chat(client, alice, "hello")).json()
    conversation = first["conversation_id"]
    alice_id = alice["user"]["id"]
    bob_id = bob["user"]["id"]

    as_bob = await post_chat(client, bob, "hi", conversation_id=conversation)
    assert as_bob.status_code == 404
    messages = f"/api/{bob_id}/conversations/{conversation}/messages"
    assert (await client.get(messages, headers=bob["headers"])).status_code == 404
    delete = f"/api/{bob_id}/conversations/{conversation}"
    assert (await client.delete(delete, headers=bob["headers"])).status_code == 404
    assert (await client.get(f"/api/{bob_id}/conversations", headers=bob["headers"])).json() == []

    foreign_path = await client.post(
        f"/api/{alice_id}/chat", json={"message": "hi"}, headers=bob["headers"]
    )
    assert foreign_path.status_code == 403
    unknown = await post_chat(client, alice, "hi", conversation_id="nope")
    assert unknown.status_code == 404
    anonymous = await client.post(f"/api/{alice_id}/chat", json={"message": "hi"})
    assert anonymous.status_code == 401


async def test_repeated_client_message_id_returns_the_first_result(client, sign_up, runner, app):
    alice = await sign_up()
    first = await post_chat(client, alice, "add buy milk", client_message_id="abc-1")
    again = await post_chat(client, alice, "add buy milk", client_message_id="abc-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    tasks = (await client.get("/api/tasks", headers=alice["headers"])).json()
    assert tasks["total"] == 1
    assert await count_messages(app, role="user") == 1
    async with services_of(app).sessionmaker() as session:
        used = await session.scalar(select(DailyUsage.count))
    assert used == 1

    bob = await sign_up()
    bobs = await post_chat(client, bob, "add bob's", client_message_id="abc-1")
    assert bobs.json()["run_id"] != first.json()["run_id"]


async def test_daily_limit_answers_429_with_reset_time(client, sign_up, runner, app):
    alice, bob = await sign_up(), await sign_up()
    for n in range(4):
        assert (await post_chat(client, alice, f"message {n}")).status_code == 200
    blocked = await post_chat(client, alice, "one too many")
    assert blocked.status_code == 429
    body = blocked.json()
    assert body["limit"] == 4
    assert body["reset_at"].endswith("T00:00:00Z")
    assert "limit" in body["error"]
    assert await count_messages(app, content="one too many") == 0
    assert (await post_chat(client, bob, "still fine")).status_code == 200


async def test_conversations_list_messages_page_and_delete(client, sign_up, runner):
    alice = await sign_up()
    uid = alice["user"]["id"]
    older = (await post_chat(client, alice, "Plan the   trip\nto Rome")).json()
    newer = (await post_chat(client, alice, "second conversation")).json()
    for n in range(2):
        await post_chat(client, alice, f"more {n}", conversation_id=older["conversation_id"])

    listed = (await client.get(f"/api/{uid}/conversations", headers=alice["headers"])).json()
    assert [c["id"] for c in listed] == [older["conversation_id"], newer["conversation_id"]]
    assert listed[0]["title"] == "Plan the trip to Rome"
    assert set(listed[0]) == {"id", "title", "created_at", "updated_at"}

    url = f"/api/{uid}/conversations/{older['conversation_id']}/messages"
    everything = (await client.get(url, headers=alice["headers"])).json()
    assert [m["content"] for m in everything] == [
        "Plan the   trip\nto Rome",
        "You said: Plan the   trip\nto Rome",
        "more 0",
        "You said: more 0",
        "more 1",
        "You said: more 1",
    ]
    assert set(everything[0]) == {"id", "role", "content", "created_at", "run_id", "steps"}
    assert (everything[0]["steps"], everything[1]["steps"]) == (None, [])
    assert everything[0]["run_id"] == everything[1]["run_id"] == older["run_id"]
    assert everything[1]["id"] == older["message_id"]

    latest = (await client.get(url, params={"limit": 2}, headers=alice["headers"])).json()
    assert [m["content"] for m in latest] == ["more 1", "You said: more 1"]
    earlier = await client.get(
        url, params={"limit": 2, "before": latest[0]["id"]}, headers=alice["headers"]
    )
    assert [m["content"] for m in earlier.json()] == ["more 0", "You said: more 0"]

    delete_url = f"/api/{uid}/conversations/{older['conversation_id']}"
    assert (await client.delete(delete_url, headers=alice["headers"])).status_code == 204
    assert (await client.get(url, headers=alice["headers"])).status_code == 404
    remaining = (await client.get(f"/api/{uid}/conversations", headers=alice["headers"])).json()
    assert [c["id"] for c in remaining] == [newer["conversation_id"]]


async def test_a_reply_lists_the_steps_its_run_took(client, sign_up, runner):
    alice = await sign_up()
    calls = [["add_task", {"title": "buy milk"}], ["complete_task", {"number": 9}]]
    sent = await post_chat(client, alice, "call " + json.dumps(calls))
    assert sent.status_code == 200, sent.text
    url = f"/api/{alice['user']['id']}/conversations/{sent.json()['conversation_id']}/messages"
    mine, reply = (await client.get(url, headers=alice["headers"])).json()
    assert mine["steps"] is None
    assert [(s["tool"], s["ok"]) for s in reply["steps"]] == [
        ("add_task", True),
        ("complete_task", False),
    ]
    assert reply["steps"][0]["message"] == "Created #1: buy milk"
    assert "9" in reply["steps"][1]["message"]
