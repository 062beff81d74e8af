"""Past `max_active_turns`, turns wait in order and can be cancelled; approvals hold no slot."""

import asyncio
import json

import pytest

from tasklive.realtime.events import RecordingPublisher
from tests.agent.fixtures import post_chat, run_events

WAIT = 10


class WorkingPublisher(RecordingPublisher):
    """Holds the first turn's `agent_thinking` while `work` is unset: a turn busy with its own
    work, holding its slot (a turn waiting on its model gives the slot up)."""

    def __init__(self) -> None:
        super().__init__()
        self.work: asyncio.Event | None = None
        self.working = asyncio.Event()

    async def publish(self, user_id: str, event: dict) -> dict:
        if (
            self.work is not None
            and event["event_type"] == "agent_thinking"
            and not self.working.is_set()
        ):
            self.working.set()
            await asyncio.wait_for(self.work.wait(), WAIT)  # bounded: a failed test ends
        return await super().publish(user_id, event)


@pytest.fixture
def recorder() -> WorkingPublisher:
    return WorkingPublisher()


@pytest.fixture
def settings_overrides():
    return {"max_active_turns": 1}


async def test_a_turn_past_the_limit_waits_for_a_slot_then_runs(sign_up, runner, echo, recorder):
    recorder.work = asyncio.Event()
    alice, bob = await sign_up(), await sign_up()
    first = await runner.start(alice["user"]["id"], "hello from alice")
    await asyncio.wait_for(recorder.working.wait(), WAIT)
    second = await runner.start(bob["user"]["id"], "hello from bob")
    # Nothing happens while it waits, so only a bounded wait can show that nothing does.
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(recorder.first(bob["user"]["id"], lambda e: True), 0.5)
    assert len(echo.seen) == 0

    recorder.work.set()
    assert (await asyncio.wait_for(first.result(), WAIT)).body["response"].endswith("alice")
    assert (await asyncio.wait_for(second.result(), WAIT)).body["response"].endswith("bob")
    events = run_events(recorder, bob["user"]["id"], second.run_id)
    kinds = [e["event_type"] for e in events]
    assert kinds[0] == "agent_thinking" and kinds.count("agent_done") == 1


async def test_a_turn_waiting_for_a_slot_can_be_cancelled(client, sign_up, runner, echo, recorder):
    recorder.work = asyncio.Event()
    alice, bob = await sign_up(), await sign_up()
    first = await runner.start(alice["user"]["id"], "hello")
    await asyncio.wait_for(recorder.working.wait(), WAIT)
    waiting = await runner.start(bob["user"]["id"], "never mind")

    uid = bob["user"]["id"]
    cancel = await client.post(f"/api/{uid}/runs/{waiting.run_id}/cancel", headers=bob["headers"])
    assert cancel.status_code == 202
    body = (await asyncio.wait_for(waiting.result(), WAIT)).body
    assert body["cancelled"] is True
    done = [e for e in run_events(recorder, uid, waiting.run_id) if e["event_type"] == "agent_done"]
    assert len(done) == 1 and done[0]["cancelled"] is True
    assert len(echo.seen) == 0

    recorder.work.set()
    await asyncio.wait_for(first.result(), WAIT)
    assert len(echo.seen) == 1


async def test_a_turn_waiting_for_an_approval_lets_other_turns_work(
    client, sign_up, runner, recorder
):
    alice, bob = await sign_up(), await sign_up()
    uid = alice["user"]["id"]
    created = await client.post("/api/tasks", json={"title": "one"}, headers=alice["headers"])
    assert created.status_code == 201
    delete_all = "call " + json.dumps([["delete_all_tasks", {}]])
    waiting = await post_chat(client, alice, delete_all, client_message_id="ask-1")
    assert waiting.status_code == 202
    card = await asyncio.wait_for(
        recorder.first(uid, lambda e: e["event_type"] == "approval_required"), WAIT
    )

    # The only slot is free while alice decides: bob's turn runs to its reply.
    answered = await asyncio.wait_for(post_chat(client, bob, "hello from bob"), WAIT)
    assert answered.status_code == 200 and answered.json()["response"].endswith("bob")

    approved = await client.post(
        f"/api/{uid}/approvals/{card['approval_id']}",
        json={"approved": True},
        headers=alice["headers"],
    )
    assert approved.status_code == 200
    again = await post_chat(client, alice, delete_all, client_message_id="ask-1")
    assert again.status_code == 200, again.text
    assert (await client.get("/api/tasks", headers=alice["headers"])).json()["total"] == 0


async def test_a_refused_message_gives_its_slot_back(client, sign_up, runner):
    alice = await sign_up()
    refused = await post_chat(client, alice, "hello", conversation_id="no-such-conversation")
    assert refused.status_code == 404
    answered = await asyncio.wait_for(post_chat(client, alice, "hello again"), WAIT)
    assert answered.status_code == 200 and answered.json()["response"].endswith("again")
