"""Double texting: a message typed while an approval card waits answers it or supersedes it."""

import asyncio
import json

import pytest

from tasklive.chat.double_texting import read_answer
from tests.agent.fixtures import post_chat, run_events
from tests.chat.conftest import DELETE_ALL, TwoTabs, until
from tests.chat.test_approvals import WAIT, add_tasks, asked

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


@pytest.mark.parametrize(
    "text",
    ["delete 2", "delete 12", "delete #3", "delete item", "delete ten", "delete tim", "five"],
)
def test_a_command_near_a_yes_is_not_an_answer(text):
    """A typo is forgiven in an answer's words, never turned into one from a number or a noun."""
    assert read_answer(text, "delete_all_tasks") is None


def test_a_yes_that_names_an_action_approves_only_that_action():
    assert read_answer("delete them", "delete_all_tasks") is True
    assert read_answer("complete them", "delete_all_tasks") is None
    assert read_answer("delete it", "complete_all_tasks") is None
    assert read_answer("mark them all done", "complete_all_tasks") is True


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


async def test_delete_one_task_while_a_delete_all_card_waits_is_a_new_turn_not_a_yes(
    client, sign_up, runner, recorder
):
    alice = await sign_up()
    await add_tasks(client, alice, "one", "two", "three")
    waiting, card = await _waiting_card(client, alice, recorder)

    other = await post_chat(client, alice, "delete 2", conversation_id=waiting["conversation_id"])

    assert other.status_code == 200, other.text
    assert other.json()["run_id"] != card["run_id"]  # its own turn (the scripted model echoes)
    assert _resolved(recorder, alice["user"]["id"], card["run_id"]) == [("superseded", False)]
    assert await _tasks(client, alice) == 3


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


@pytest.mark.parametrize(
    ("text", "status"),
    [("yes please", "approved"), ("no", "denied"), ("list my tasks", "superseded")],
)
async def test_two_tabs_see_a_card_answered_by_a_typed_chat_frame(two_tabs: TwoTabs, text, status):
    phone, laptop, card = two_tabs.phone, two_tabs.laptop, two_tabs.card
    typed = {"type": "chat", "message": text, "conversation_id": card["conversation_id"]}
    await laptop.send(json.dumps(typed))
    for tab in (phone, laptop):
        resolved = await until(tab, "approval_resolved")
        assert (resolved["approval_id"], resolved["status"]) == (card["approval_id"], status)
        assert (await until(tab, "agent_done"))["run_id"] == card["run_id"]
    if status == "superseded":
        for tab in (phone, laptop):
            done = await until(tab, "agent_done")
            assert done["run_id"] != card["run_id"]
    tasks = (await two_tabs.http.get("/api/tasks")).json()
    assert tasks["total"] == (0 if status == "approved" else 1)
