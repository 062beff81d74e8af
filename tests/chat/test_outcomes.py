"""How turns end: wait=false, failures that still end the turn, leases taken over, leftovers."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from tasklive.agent.translate import RunTranslator
from tasklive.chat.models import Message, Run
from tasklive.chat.runner import TurnRunner
from tasklive.chat.store import ConversationStore
from tasklive.db import new_id, utcnow
from tasklive.realtime.events import make_event
from tests.agent.fixtures import post_chat, run_events
from tests.agent.scripted import EchoModel
from tests.support.apps import services_of

WAIT = 10


def kinds(recorder, uid, run_id):
    return [e["event_type"] for e in run_events(recorder, uid, run_id)]


async def replies(app, run_id):
    async with services_of(app).sessionmaker() as session:
        rows = await session.scalars(
            select(Message).where(Message.run_id == run_id, Message.role == "assistant")
        )
        return list(rows)


async def test_wait_false_answers_202_and_the_retry_gets_the_reply(client, sign_up, runner):
    alice = await sign_up()
    accepted = await client.post(
        f"/api/{alice['user']['id']}/chat?wait=false",
        json={"message": "hello there", "client_message_id": "c-1"},
        headers=alice["headers"],
    )
    assert accepted.status_code == 202, accepted.text
    ids = accepted.json()
    assert set(ids) == {"conversation_id", "message_id", "run_id", "approval_id"}
    assert ids["approval_id"] is None
    final = await post_chat(client, alice, "hello there", client_message_id="c-1")
    assert final.status_code == 200
    assert final.json()["run_id"] == ids["run_id"]
    assert final.json()["response"] == "You said: hello there"


real_history = ConversationStore.history


def broken(*args, **kwargs):
    raise OperationalError("SELECT 1", {}, Exception("connection reset"))


async def test_a_database_failure_in_a_queued_turn_still_ends_it(
    client, sign_up, runner, echo, recorder, monkeypatch, app
):
    alice = await sign_up()
    uid = alice["user"]["id"]
    echo.gate = asyncio.Event()
    first = await runner.start(uid, "first question")
    await asyncio.wait_for(echo.started.wait(), WAIT)
    # Queued behind the first turn, it reads its history only once it may run.
    monkeypatch.setattr(ConversationStore, "history", broken)
    queued = await runner.start(
        uid, "hello", conversation_id=first.conversation_id, client_message_id="c-2"
    )
    echo.gate.set()
    result = await queued.answer(WAIT)
    assert result is not None
    error = result.error()
    assert error is not None and error.code == "turn_failed" and error.status_code == 500
    assert "connection reset" not in error.message
    assert kinds(recorder, uid, queued.run_id) == ["agent_thinking", "agent_done"]
    assert run_events(recorder, uid, queued.run_id)[-1]["error"]
    assert len(await replies(app, queued.run_id)) == 1

    echo.gate = None
    monkeypatch.setattr(ConversationStore, "history", real_history)
    again = await post_chat(
        client, alice, "hello", conversation_id=first.conversation_id, client_message_id="c-2"
    )
    assert again.status_code == 200
    assert again.json()["response"] == "You said: hello"


async def test_a_database_failure_while_storing_the_message_stores_nothing(
    client, sign_up, runner, monkeypatch, app
):
    alice = await sign_up()
    opened = await post_chat(client, alice, "hello")
    conversation_id = opened.json()["conversation_id"]
    # The history of a turn that may start at once is read as its message is stored.
    monkeypatch.setattr(ConversationStore, "history", broken)
    response = await post_chat(client, alice, "and again", conversation_id=conversation_id)
    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"
    async with services_of(app).sessionmaker() as session:
        stored = await session.scalar(select(func.count()).select_from(Message))
        runs_stored = await session.scalar(select(func.count()).select_from(Run))
    assert (stored, runs_stored) == (2, 1)
    monkeypatch.setattr(ConversationStore, "history", real_history)
    retried = await post_chat(client, alice, "and again", conversation_id=conversation_id)
    assert retried.json()["response"] == "You said: and again"


async def test_an_expired_lease_is_finished_elsewhere_exactly_once(client, sign_up, app, recorder):
    services = services_of(app)
    busy = EchoModel(gate=asyncio.Event())
    dying = TurnRunner(services.settings, services.sessionmaker, recorder, model=busy.model())
    survivor = TurnRunner(
        services.settings, services.sessionmaker, recorder, model=EchoModel().model()
    )
    alice = await sign_up()
    uid = alice["user"]["id"]
    try:
        turn = await dying.start(uid, "a slow question")
        await asyncio.wait_for(busy.started.wait(), WAIT)
        await dying.keeper.aclose()  # it stops renewing, as a frozen or dead process would
        async with services.sessionmaker() as session:
            await session.execute(
                update(Run)
                .where(Run.id == turn.run_id)
                .values(lease_expires_at=utcnow() - timedelta(seconds=1))
            )
            await session.commit()

        assert await survivor.keeper.sweep() == 1
        done = run_events(recorder, uid, turn.run_id)[-1]
        assert done["event_type"] == "agent_done" and "interrupted" in done["error"]

        busy.gate.set()  # the stale owner wakes up: it must not add a second reply
        result = await asyncio.wait_for(turn.result(), WAIT)
        assert result.error() is not None and result.error().code == "interrupted"
        assert kinds(recorder, uid, turn.run_id).count("agent_done") == 1
        assert len(await replies(app, turn.run_id)) == 1

        nxt = await survivor.start(uid, "next one", conversation_id=turn.conversation_id)
        assert (await asyncio.wait_for(nxt.result(), WAIT)).body["response"] == (
            "You said: next one"
        )
    finally:
        busy.gate.set()
        await dying.aclose()
        await survivor.aclose()


@pytest.fixture
def settings_overrides():
    return {"instance_id": "host-a:8000"}


async def left_running(
    services, uid: str, text: str, owner: str, lease: timedelta, client_id: str | None = None
) -> Run:
    """A running turn stored as if by `owner`, whose lease ends `lease` from now."""
    async with services.sessionmaker() as session:
        added = await ConversationStore(session, uid).add_user_message(
            text,
            conversation_id=None,
            client_message_id=client_id,
            run_id=new_id(),
            daily_limit=100,
            owner=owner,
            lease_expires_at=utcnow() + lease,
        )
        await session.commit()
    assert added.run is not None
    return added.run


async def test_a_restarted_instance_finishes_its_leftovers_at_start(
    client, sign_up, app, recorder, runner
):
    services = services_of(app)
    alice = await sign_up()
    uid = alice["user"]["id"]
    run = await left_running(
        services, uid, "left behind", "host-a:8000/earlier-boot", timedelta(hours=1), "c-3"
    )
    restarted = TurnRunner(
        services.settings, services.sessionmaker, recorder, model=EchoModel().model()
    )
    try:
        await restarted.open()
        # It was running when its process stopped, so its agent_thinking went out back then.
        assert kinds(recorder, uid, run.id) == ["agent_done"]
        async with services.sessionmaker() as session:
            status = await session.scalar(select(Run.status).where(Run.id == run.id))
        assert status == "interrupted"
    finally:
        await restarted.aclose()

    retried = await post_chat(client, alice, "left behind", client_message_id="c-3")
    assert retried.status_code == 200
    assert retried.json()["response"] == "You said: left behind"
    async with services.sessionmaker() as session:
        users = await session.scalar(
            select(func.count()).select_from(Message).where(Message.content == "left behind")
        )
    assert users == 1


async def test_a_run_whose_process_died_mid_tool_ends_that_tool(client, sign_up, app, recorder):
    services = services_of(app)
    alice = await sign_up()
    uid = alice["user"]["id"]
    run = await left_running(
        services, uid, "delete task 1", "host-b:8000/dead-boot", timedelta(seconds=-1)
    )
    translator = RunTranslator(run.id, run.conversation_id)
    await recorder.publish(uid, translator.thinking())
    started = make_event(
        "tool_starting", "Deleting task #1...", run_id=run.id, tool="delete_task", tool_call_id="t1"
    )
    await recorder.publish(uid, started)
    survivor = TurnRunner(services.settings, services.sessionmaker, recorder, model=None)
    try:
        assert await survivor.keeper.sweep() == 1
    finally:
        await survivor.aclose()
    events = run_events(recorder, uid, run.id)
    assert [e["event_type"] for e in events] == [
        "agent_thinking",
        "tool_starting",
        "tool_error",
        "agent_done",
    ]
    assert events[2]["tool_call_id"] == "t1" and events[2]["error"]
    assert events[3]["error"]
