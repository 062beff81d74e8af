"""Admission: past `max_active_turns`, turns wait in memory, in order, and can be cancelled."""

import asyncio

import pytest

from tests.agent.fixtures import run_events

WAIT = 10


@pytest.fixture
def settings_overrides():
    return {"max_active_turns": 1}


async def test_a_turn_past_the_limit_waits_for_a_slot_then_runs(sign_up, runner, echo, recorder):
    echo.gate = asyncio.Event()
    alice, bob = await sign_up(), await sign_up()
    first = await runner.start(alice["user"]["id"], "hello from alice")
    await asyncio.wait_for(echo.started.wait(), WAIT)
    second = await runner.start(bob["user"]["id"], "hello from bob")
    # Nothing happens while it waits, so only a bounded wait can show that nothing does.
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(recorder.first(bob["user"]["id"], lambda e: True), 0.5)
    assert len(echo.seen) == 1

    echo.gate.set()
    assert (await asyncio.wait_for(first.result(), WAIT)).body["response"].endswith("alice")
    assert (await asyncio.wait_for(second.result(), WAIT)).body["response"].endswith("bob")
    events = run_events(recorder, bob["user"]["id"], second.run_id)
    kinds = [e["event_type"] for e in events]
    assert kinds[0] == "agent_thinking" and kinds.count("agent_done") == 1


async def test_a_turn_waiting_for_a_slot_can_be_cancelled(client, sign_up, runner, echo, recorder):
    echo.gate = asyncio.Event()
    alice, bob = await sign_up(), await sign_up()
    first = await runner.start(alice["user"]["id"], "hello")
    await asyncio.wait_for(echo.started.wait(), WAIT)
    waiting = await runner.start(bob["user"]["id"], "never mind")

    uid = bob["user"]["id"]
    cancel = await client.post(f"/api/{uid}/runs/{waiting.run_id}/cancel", headers=bob["headers"])
    assert cancel.status_code == 202
    body = (await asyncio.wait_for(waiting.result(), WAIT)).body
    assert body["cancelled"] is True
    done = [e for e in run_events(recorder, uid, waiting.run_id) if e["event_type"] == "agent_done"]
    assert len(done) == 1 and done[0]["cancelled"] is True
    assert len(echo.seen) == 1

    echo.gate.set()
    await asyncio.wait_for(first.result(), WAIT)
