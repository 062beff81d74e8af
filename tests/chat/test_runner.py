"""The turn runner: cancellation, ordering within a conversation, the history window, shutdown."""

import asyncio

import pytest
from pydantic_ai.messages import ModelRequest, ModelResponse

from tasklive.chat.outcomes import TurnOutcome
from tasklive.chat.runner import TurnRunner
from tests.agent.fixtures import post_chat, run_events
from tests.support.apps import services_of

WAIT = 10


@pytest.fixture
def settings_overrides():
    return {"history_window": 4}


async def stored_messages(client, account, conversation_id):
    response = await client.get(
        f"/api/{account['user']['id']}/conversations/{conversation_id}/messages",
        headers=account["headers"],
    )
    return [(m["role"], m["content"]) for m in response.json()]


async def test_cancel_ends_the_run_and_stores_a_note(client, sign_up, runner, echo, recorder):
    echo.gate = asyncio.Event()
    alice = await sign_up()
    uid = alice["user"]["id"]
    turn = await runner.start(uid, "add something slow")
    await asyncio.wait_for(echo.started.wait(), WAIT)

    response = await client.post(f"/api/{uid}/runs/{turn.run_id}/cancel", headers=alice["headers"])
    assert response.status_code == 202
    body = (await asyncio.wait_for(turn.result(), WAIT)).body
    assert body["cancelled"] is True
    assert "Cancelled" in body["response"]

    events = run_events(recorder, uid, turn.run_id)
    assert events[0]["event_type"] == "agent_thinking"
    assert events[-1]["event_type"] == "agent_done" and events[-1]["cancelled"] is True
    assert [e["event_type"] for e in events].count("agent_done") == 1
    assert (await client.get("/api/tasks", headers=alice["headers"])).json()["total"] == 0
    assert await stored_messages(client, alice, turn.conversation_id) == [
        ("user", "add something slow"),
        ("assistant", body["response"]),
    ]


async def test_cancel_of_unknown_or_foreign_run_is_404(client, sign_up, runner):
    alice, bob = await sign_up(), await sign_up()
    turn = await runner.start(alice["user"]["id"], "hello")
    await turn.result()
    bob_cancel = await client.post(
        f"/api/{bob['user']['id']}/runs/{turn.run_id}/cancel", headers=bob["headers"]
    )
    assert bob_cancel.status_code == 404
    finished = await client.post(
        f"/api/{alice['user']['id']}/runs/{turn.run_id}/cancel", headers=alice["headers"]
    )
    assert finished.status_code == 202


async def test_two_rapid_messages_run_in_order(client, sign_up, runner, echo, recorder):
    echo.gate = asyncio.Event()
    alice = await sign_up()
    uid = alice["user"]["id"]
    first = await runner.start(uid, "first")
    second = await runner.start(uid, "second", conversation_id=first.conversation_id)
    await asyncio.wait_for(echo.started.wait(), WAIT)
    echo.gate.set()
    await asyncio.wait_for(asyncio.gather(first.result(), second.result()), WAIT)

    kinds = [(e["run_id"], e["event_type"]) for e in recorder.of(uid)]
    first_done = kinds.index((first.run_id, "agent_done"))
    second_start = kinds.index((second.run_id, "agent_thinking"))
    assert first_done < second_start, kinds
    # The first turn did not see the message queued behind it; the second saw the first reply.
    assert [m.parts[0].content for m in echo.seen[0]] == ["first"]
    second_history = echo.seen[-1]
    assert isinstance(second_history[-2], ModelResponse)
    assert "first" in second_history[-2].parts[0].content
    roles = [role for role, _ in await stored_messages(client, alice, first.conversation_id)]
    assert roles == ["user", "user", "assistant", "assistant"]


async def test_history_sent_to_the_model_is_a_bounded_window(client, sign_up, runner, echo):
    alice = await sign_up()
    conversation_id = None
    for n in range(6):
        response = await post_chat(
            client,
            alice,
            f"message {n}",
            **({"conversation_id": conversation_id} if conversation_id else {}),
        )
        conversation_id = response.json()["conversation_id"]
    given = [m for m in echo.seen[-1] if isinstance(m, ModelRequest | ModelResponse)]
    assert len(given) == 5  # history_window (4) plus the current message
    contents = [m.parts[0].content.strip() for m in given]
    assert contents == [
        "message 3",
        "You said: message 3",
        "message 4",
        "You said: message 4",
        "message 5",
    ]


async def test_shutdown_interrupts_a_running_turn_and_stores_its_note(
    client, sign_up, app, echo, recorder
):
    echo.gate = asyncio.Event()
    runner = TurnRunner(
        services_of(app).settings, services_of(app).sessionmaker, recorder, model=echo.model()
    )
    alice = await sign_up()
    uid = alice["user"]["id"]
    turn = await runner.start(uid, "hello")
    await asyncio.wait_for(echo.started.wait(), WAIT)
    await asyncio.wait_for(runner.aclose(grace_seconds=0.01), WAIT)
    result = await turn.result()
    body = result.body
    assert result.outcome is TurnOutcome.INTERRUPTED
    assert "interrupted" in body["response"]
    done = run_events(recorder, uid, turn.run_id)[-1]
    assert done["event_type"] == "agent_done" and done["error"] == body["response"]
    assert await stored_messages(client, alice, turn.conversation_id) == [
        ("user", "hello"),
        ("assistant", body["response"]),
    ]


async def test_cancel_while_waiting_for_an_earlier_turn(client, sign_up, runner, echo, recorder):
    echo.gate = asyncio.Event()
    alice = await sign_up()
    uid = alice["user"]["id"]
    first = await runner.start(uid, "first")
    await asyncio.wait_for(echo.started.wait(), WAIT)
    queued = await runner.start(uid, "queued", conversation_id=first.conversation_id)
    assert await runner.cancel(uid, queued.run_id) is True
    body = (await asyncio.wait_for(queued.result(), WAIT)).body
    assert body["cancelled"] is True
    kinds = [e["event_type"] for e in run_events(recorder, uid, queued.run_id)]
    assert kinds == ["agent_thinking", "agent_done"]
    echo.gate.set()
    assert (await asyncio.wait_for(first.result(), WAIT)).body["cancelled"] is False
    assert len(echo.seen) == 1  # the cancelled turn never reached the model


async def test_the_offline_model_is_ready_before_the_first_turn(app):
    from tasklive.agent.factory import OfflineTurnAgent
    from tasklive.tasks.quickadd.dates import load_parser

    runner = services_of(app).runner
    assert isinstance(runner.__dict__.get("agent"), OfflineTurnAgent)  # built at start-up
    assert load_parser.cache_info().currsize == 1
