"""Double texting: a message typed while an approval card waits answers it or supersedes it."""

import asyncio
import json

import httpx
import pytest

from tasklive.chat.control import ControlChannel
from tasklive.chat.double_texting import read_answer
from tasklive.chat.runner import TurnRunner
from tests.agent.fixtures import post_chat, run_events
from tests.agent.scripted import EchoModel
from tests.chat.test_approvals import DELETE_ALL, WAIT, add_tasks, asked
from tests.realtime.conftest import live, new_user, next_event, open_ws, ws_url
from tests.support.apps import services_of, use_runner

__all__ = ["live", "new_user"]

YES = ["yes", "Yes please", "go ahead", "do it", "yse, go ahaed!"]
NO = ["no", "don't", "No, keep them", "nope, kepe them"]


@pytest.fixture
def settings_overrides(request):
    return getattr(request, "param", {})


@pytest.mark.parametrize(
    ("text", "meaning"),
    [
        *((t, True) for t in YES),
        *((t, False) for t in NO),
        *((t, None) for t in ("yes, and add milk", "add milk", "delete task 3")),
    ],
)
def test_which_messages_answer_a_card(text, meaning):
    assert read_answer(text) is meaning


async def _tasks(client, account) -> int:
    return (await client.get("/api/tasks", headers=account["headers"])).json()["total"]


async def _waiting_card(client, account, recorder, conversation_id=None):
    extra = {"conversation_id": conversation_id} if conversation_id else {}
    waiting = await post_chat(client, account, DELETE_ALL, **extra)
    assert waiting.status_code == 202
    card = await asked(recorder, account["user"]["id"])
    return waiting.json(), card


def _resolved(recorder, uid, run_id):
    return [
        (e["status"], e["approved"])
        for e in run_events(recorder, uid, run_id)
        if e["event_type"] == "approval_resolved"
    ]


@pytest.mark.parametrize(("text", "approved"), [*((t, True) for t in YES), (NO[0], False)])
async def test_a_typed_answer_resolves_the_card_like_its_button(
    client, sign_up, runner, recorder, text, approved
):
    alice = await sign_up()
    uid = alice["user"]["id"]
    await add_tasks(client, alice, "one", "two")
    waiting, card = await _waiting_card(client, alice, recorder)

    typed = await post_chat(client, alice, text, conversation_id=waiting["conversation_id"])

    assert typed.status_code == 200, typed.text
    body = typed.json()
    assert body["run_id"] == card["run_id"]  # the card's run, finished
    status = "approved" if approved else "denied"
    assert _resolved(recorder, uid, card["run_id"]) == [(status, approved)]
    assert await _tasks(client, alice) == (0 if approved else 2)
    events = run_events(recorder, uid, card["run_id"])
    assert [e["event_type"] for e in events].count("agent_done") == 1
    messages = await client.get(
        f"/api/{uid}/conversations/{waiting['conversation_id']}/messages",
        headers=alice["headers"],
    )
    assert text in [m["content"] for m in messages.json() if m["role"] == "user"]


@pytest.mark.parametrize("text", NO[1:])
async def test_a_typed_no_in_other_words_denies_the_card(client, sign_up, runner, recorder, text):
    alice = await sign_up()
    await add_tasks(client, alice, "keep me")
    waiting, card = await _waiting_card(client, alice, recorder)
    typed = await post_chat(client, alice, text, conversation_id=waiting["conversation_id"])
    assert typed.status_code == 200, typed.text
    assert _resolved(recorder, alice["user"]["id"], card["run_id"]) == [("denied", False)]
    assert await _tasks(client, alice) == 1


async def test_another_message_supersedes_the_card_and_runs_as_a_turn(
    client, sign_up, runner, recorder
):
    alice = await sign_up()
    uid = alice["user"]["id"]
    await add_tasks(client, alice, "keep me")
    waiting, card = await _waiting_card(client, alice, recorder)

    other = await post_chat(client, alice, "add milk", conversation_id=waiting["conversation_id"])

    assert other.status_code == 200, other.text
    body = other.json()
    assert body["run_id"] != card["run_id"]
    assert [t["title"] for t in body["tasks"]] == ["milk"]
    assert _resolved(recorder, uid, card["run_id"]) == [("superseded", False)]
    first = run_events(recorder, uid, card["run_id"])
    errors = [e for e in first if e["event_type"] == "tool_error"]
    assert [e["tool_call_id"] for e in errors] == [card["tool_call_id"]]
    assert first[-1]["event_type"] == "agent_done"
    assert await _tasks(client, alice) == 2  # nothing deleted, milk added


async def test_a_yes_to_a_working_run_queues_as_a_message(client, sign_up, echo, runner):
    alice = await sign_up()
    echo.gate = asyncio.Event()
    uid = alice["user"]["id"]
    first = await client.post(
        f"/api/{uid}/chat?wait=false", json={"message": "hello"}, headers=alice["headers"]
    )
    await asyncio.wait_for(echo.started.wait(), WAIT)
    conversation = first.json()["conversation_id"]
    second = asyncio.create_task(post_chat(client, alice, "yes", conversation_id=conversation))
    echo.gate.set()
    reply = await asyncio.wait_for(second, WAIT)
    assert reply.status_code == 200, reply.text
    assert reply.json()["run_id"] != first.json()["run_id"]
    assert reply.json()["response"].strip() == "Working You said: yes"


@pytest.mark.parametrize("settings_overrides", [{"approval_seconds": 0.2}], indirect=True)
async def test_a_yes_after_the_card_expired_says_so(client, sign_up, runner, recorder):
    alice = await sign_up()
    uid = alice["user"]["id"]
    await add_tasks(client, alice, "keep me")
    waiting, _ = await _waiting_card(client, alice, recorder)
    await asyncio.wait_for(recorder.first(uid, lambda e: e["event_type"] == "agent_done"), WAIT)
    late = await post_chat(client, alice, "yes", conversation_id=waiting["conversation_id"])
    assert late.status_code == 200, late.text
    assert "expired" in late.json()["response"]
    assert "Delete all your tasks?" in late.json()["response"]
    assert await _tasks(client, alice) == 1


async def _runner_on(live) -> tuple[TurnRunner, object]:
    services = services_of(live.app)
    runner = TurnRunner(
        services.settings,
        services.sessionmaker,
        services.hub,
        EchoModel().model(),
        control=ControlChannel(services.hub),
    )
    return runner, use_runner(live.app, runner)


async def _until(ws, event_type: str) -> dict:
    while (event := await next_event(ws))["event_type"] != event_type:
        pass
    return event


@pytest.mark.parametrize(
    ("text", "status"),
    [("yes please", "approved"), ("no", "denied"), ("list my tasks", "superseded")],
)
async def test_two_tabs_see_a_card_answered_by_a_typed_chat_frame(live, new_user, text, status):
    runner, original = await _runner_on(live)
    user = await new_user()
    headers = {"Authorization": f"Bearer {user.token}"}
    try:
        async with httpx.AsyncClient(base_url=live.url, headers=headers, timeout=30) as http:
            await http.post("/api/tasks", json={"title": "doomed"})
            async with open_ws(ws_url(live, user)) as phone, open_ws(ws_url(live, user)) as laptop:
                for tab in (phone, laptop):
                    assert (await next_event(tab))["event_type"] == "connection_established"
                await phone.send(json.dumps({"type": "chat", "message": DELETE_ALL}))
                card = await _until(laptop, "approval_required")
                typed = {
                    "type": "chat",
                    "message": text,
                    "conversation_id": card["conversation_id"],
                }
                await laptop.send(json.dumps(typed))
                for tab in (phone, laptop):
                    resolved = await _until(tab, "approval_resolved")
                    assert (resolved["approval_id"], resolved["status"]) == (
                        card["approval_id"],
                        status,
                    )
                    assert (await _until(tab, "agent_done"))["run_id"] == card["run_id"]
                if status == "superseded":
                    for tab in (phone, laptop):
                        done = await _until(tab, "agent_done")
                        assert done["run_id"] != card["run_id"]
            tasks = (await http.get("/api/tasks")).json()
        assert tasks["total"] == (0 if status == "approved" else 1)
    finally:
        await runner.aclose()
        use_runner(live.app, original)
