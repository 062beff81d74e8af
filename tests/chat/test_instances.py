"""Several server processes: cancels reach the turn's instance; PostgreSQL orders turns."""

import asyncio

import pytest
from pydantic_ai.messages import ModelResponse

from tasklive.chat.control import ControlChannel
from tasklive.chat.runner import TurnRunner
from tasklive.realtime.events import RecordingPublisher
from tasklive.realtime.hub import Hub
from tests.agent.scripted import EchoModel
from tests.support.apps import services_of

WAIT = 10


def instance(app, publisher, echo):
    """Another runner on the same database, as a second server process would have."""
    services = services_of(app)
    control = ControlChannel(publisher) if isinstance(publisher, Hub) else None
    return TurnRunner(
        services.settings, services.sessionmaker, publisher, model=echo.model(), control=control
    )


async def test_cancel_sent_to_another_instance_stops_the_turn(app, sign_up):
    alice = await sign_up()
    uid = alice["user"]["id"]
    busy, idle = EchoModel(gate=asyncio.Event()), EchoModel()
    running_here = instance(app, services_of(app).hub, busy)
    elsewhere = instance(app, services_of(app).hub, idle)
    try:
        turn = await running_here.start(uid, "add a slow task")
        await asyncio.wait_for(busy.started.wait(), WAIT)
        assert await elsewhere.cancel(uid, turn.run_id) is True
        body = (await asyncio.wait_for(turn.result(), WAIT)).body
        assert body["cancelled"] is True
        assert await elsewhere.cancel(uid, turn.run_id) is False
        assert await elsewhere.cancel("someone-else", "no-such-run") is False
    finally:
        await running_here.aclose()
        await elsewhere.aclose()


# The database orders the turns of one conversation, whichever instance runs them.
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_turns_of_one_conversation_are_ordered_across_instances(app, sign_up):
    alice = await sign_up()
    uid = alice["user"]["id"]
    recorder = RecordingPublisher()
    first_model, second_model = EchoModel(gate=asyncio.Event()), EchoModel()
    one, two = instance(app, recorder, first_model), instance(app, recorder, second_model)
    try:
        first = await one.start(uid, "first")
        await asyncio.wait_for(first_model.started.wait(), WAIT)
        second = await two.start(uid, "second", conversation_id=first.conversation_id)
        first_model.gate.set()
        await asyncio.wait_for(asyncio.gather(first.result(), second.result()), WAIT)
    finally:
        await one.aclose()
        await two.aclose()
    order = [(e["run_id"], e["event_type"]) for e in recorder.of(uid)]
    assert order.index((first.run_id, "agent_done")) < order.index(
        (second.run_id, "agent_thinking")
    )
    seen = second_model.seen[0]
    assert isinstance(seen[-2], ModelResponse) and "first" in seen[-2].parts[0].content


async def test_a_burst_sent_to_two_instances_never_overlaps(app, sign_up):
    alice = await sign_up()
    uid = alice["user"]["id"]
    recorder = RecordingPublisher()
    models = [EchoModel(), EchoModel()]
    one, two = (instance(app, recorder, model) for model in models)
    try:
        opening = await one.start(uid, "message 0")
        await asyncio.wait_for(opening.result(), WAIT)
        turns = await asyncio.gather(
            *(
                (one, two)[n % 2].start(
                    uid, f"message {n}", conversation_id=opening.conversation_id
                )
                for n in range(1, 9)
            )
        )
        results = await asyncio.wait_for(asyncio.gather(*(t.result() for t in turns)), WAIT * 3)
    finally:
        await one.aclose()
        await two.aclose()
    assert all(r.body["response"].startswith("You said: message") for r in results)
    running: str | None = None
    for event in recorder.of(uid):
        if event["event_type"] == "agent_thinking":
            assert running is None, "two turns of one conversation ran at once"
            running = event["run_id"]
        elif event["event_type"] == "agent_done":
            assert event["run_id"] == running
            running = None
    # Each turn saw every earlier reply of the conversation.
    for model in models:
        for seen in model.seen:
            replies = [m for m in seen if isinstance(m, ModelResponse)]
            asked = [m for m in seen if not isinstance(m, ModelResponse)]
            assert len(replies) == len(asked) - 1
