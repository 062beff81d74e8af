"""Approval before bulk-destructive tools: approve, deny, expire, cancel, answer from anywhere."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pydantic_ai.messages import ModelMessage
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, FunctionModel

from tasklive.chat.runner import TurnRunner
from tests.agent.fixtures import post_chat, run_events
from tests.chat.conftest import DELETE_ALL
from tests.support.apps import running, services_of
from tests.support.rest import add_task

WAIT = 10


@pytest.fixture
def settings_overrides(request):
    return getattr(request, "param", {})


async def add_tasks(client, account, *titles):
    for title in titles:
        await add_task(client, account, title)


async def asked(recorder, uid):
    """The approval the user is being asked for, once it is published."""
    return await asyncio.wait_for(
        recorder.first(uid, lambda e: e["event_type"] == "approval_required"), WAIT
    )


async def answer(client, account, approval_id, approved):
    return await client.post(
        f"/api/{account['user']['id']}/approvals/{approval_id}",
        json={"approved": approved},
        headers=account["headers"],
    )


async def finished(client, account, client_message_id):
    """The turn's final answer: sending the same message again waits for it."""
    response = await post_chat(client, account, DELETE_ALL, client_message_id=client_message_id)
    assert response.status_code == 200, response.text
    return response.json()


async def test_an_approved_bulk_delete_runs(client, sign_up, runner, recorder):
    alice = await sign_up()
    uid = alice["user"]["id"]
    await add_tasks(client, alice, "one", "two")
    waiting = await post_chat(client, alice, DELETE_ALL, client_message_id="a-1")
    assert waiting.status_code == 202  # parked on the approval, not stuck until a timeout
    card = await asked(recorder, uid)
    assert waiting.json()["approval_id"] == card["approval_id"]
    assert card["tool"] == "delete_all_tasks" and card["message"] == "Delete all your tasks?"
    assert (await client.get("/api/tasks", headers=alice["headers"])).json()["total"] == 2

    approved = await answer(client, alice, card["approval_id"], True)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    body = await finished(client, alice, "a-1")
    assert (await client.get("/api/tasks", headers=alice["headers"])).json()["total"] == 0
    kinds = [e["event_type"] for e in run_events(recorder, uid, body["run_id"])]
    assert kinds.index("approval_required") < kinds.index("approval_resolved")
    assert kinds.index("approval_resolved") < kinds.index("tool_complete")
    assert kinds[-1] == "agent_done"
    again = await answer(client, alice, card["approval_id"], False)
    assert again.status_code == 409


async def test_a_denied_bulk_delete_changes_nothing_and_the_run_goes_on(
    client, sign_up, runner, recorder
):
    alice = await sign_up()
    uid = alice["user"]["id"]
    await add_tasks(client, alice, "keep me")
    await post_chat(client, alice, DELETE_ALL, client_message_id="a-2")
    card = await asked(recorder, uid)
    assert (await answer(client, alice, card["approval_id"], False)).json()["status"] == "denied"
    body = await finished(client, alice, "a-2")
    events = run_events(recorder, uid, body["run_id"])
    errors = [e for e in events if e["event_type"] == "tool_error"]
    assert [e["tool_call_id"] for e in errors] == [card["tool_call_id"]]
    assert events[-1]["event_type"] == "agent_done" and events[-1]["error"] is None
    assert (await client.get("/api/tasks", headers=alice["headers"])).json()["total"] == 1


@pytest.mark.parametrize("settings_overrides", [{"approval_seconds": 0.2}], indirect=True)
async def test_an_unanswered_approval_expires(client, sign_up, runner, recorder):
    alice = await sign_up()
    uid = alice["user"]["id"]
    await add_tasks(client, alice, "keep me")
    await post_chat(client, alice, DELETE_ALL, client_message_id="a-3")
    card = await asked(recorder, uid)
    await asyncio.wait_for(
        recorder.first(uid, lambda e: e["event_type"] == "approval_resolved"), WAIT
    )
    body = await finished(client, alice, "a-3")
    resolved = [
        e
        for e in run_events(recorder, uid, body["run_id"])
        if e["event_type"] == "approval_resolved"
    ]
    assert [(e["status"], e["approved"]) for e in resolved] == [("expired", False)]
    late = await answer(client, alice, card["approval_id"], True)
    assert late.status_code == 409
    assert (await client.get("/api/tasks", headers=alice["headers"])).json()["total"] == 1


async def test_only_the_owner_can_answer(client, sign_up, runner, recorder):
    alice, mallory = await sign_up(), await sign_up()
    await add_tasks(client, alice, "mine")
    await post_chat(client, alice, DELETE_ALL, client_message_id="a-4")
    card = await asked(recorder, alice["user"]["id"])
    foreign = await answer(client, mallory, card["approval_id"], True)
    assert foreign.status_code == 404
    assert (await answer(client, alice, "no-such-approval", True)).status_code == 404
    await answer(client, alice, card["approval_id"], False)
    await finished(client, alice, "a-4")
    assert (await client.get("/api/tasks", headers=alice["headers"])).json()["total"] == 1


async def test_cancelling_a_run_ends_its_waiting_approval(client, sign_up, runner, recorder):
    alice = await sign_up()
    uid = alice["user"]["id"]
    await add_tasks(client, alice, "keep me")
    waiting = await post_chat(client, alice, DELETE_ALL, client_message_id="a-5")
    card = await asked(recorder, uid)
    cancel = await client.post(
        f"/api/{uid}/runs/{waiting.json()['run_id']}/cancel", headers=alice["headers"]
    )
    assert cancel.status_code == 202
    run_id = waiting.json()["run_id"]
    await asyncio.wait_for(
        recorder.first(uid, lambda e: e["event_type"] == "agent_done" and e["run_id"] == run_id),
        WAIT,
    )
    body = await finished(client, alice, "a-5")
    assert body["cancelled"] is True
    events = run_events(recorder, uid, body["run_id"])
    assert [e["error"] for e in events if e["event_type"] == "tool_error"] == ["cancelled"]
    assert [e["status"] for e in events if e["event_type"] == "approval_resolved"] == ["cancelled"]
    assert (await answer(client, alice, card["approval_id"], True)).status_code == 409


async def test_a_model_asking_again_after_a_no_gets_no_second_card(app, client, sign_up, recorder):
    asked_for = 0

    async def stubborn(messages: list[ModelMessage], _: AgentInfo) -> AsyncIterator[Any]:
        nonlocal asked_for
        if asked_for >= 2:
            yield "I left your tasks alone."
            return
        asked_for += 1
        yield {
            0: DeltaToolCall(name="delete_all_tasks", json_args="{}", tool_call_id=f"c{asked_for}")
        }

    services = services_of(app)
    model = FunctionModel(stream_function=stubborn, model_name="stubborn")
    runner = TurnRunner(services.settings, services.sessionmaker, recorder, model=model)
    async with running(app, runner):
        alice = await sign_up()
        uid = alice["user"]["id"]
        await add_tasks(client, alice, "keep me")
        await post_chat(client, alice, "clear everything", client_message_id="s-1")
        card = await asked(recorder, uid)
        assert (await answer(client, alice, card["approval_id"], False)).status_code == 200
        done = await asyncio.wait_for(
            recorder.first(uid, lambda e: e["event_type"] == "agent_done"), WAIT
        )
    events = run_events(recorder, uid, done["run_id"])
    assert [e["event_type"] for e in events].count("approval_required") == 1
    refusals = [e["error"] for e in events if e["event_type"] == "tool_error"]
    assert len(refusals) == 2 and all("nothing was changed" in r for r in refusals)
    assert done["response"] == "I left your tasks alone."
    assert (await client.get("/api/tasks", headers=alice["headers"])).json()["total"] == 1
