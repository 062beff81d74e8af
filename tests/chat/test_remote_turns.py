"""Turns on a remote model: retries shown as progress, and a deadline for a model that hangs."""

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from tasklive.chat.runner import TurnRunner
from tasklive.realtime.events import RecordingPublisher
from tests.agent.fixtures import post_chat, remote_model_settings, run_events
from tests.agent.openai_server import (
    EMPTY_STREAM,
    LLAMA_CPP,
    REJECTS_STREAM_OPTIONS,
    TOOL_CALL_WITHOUT_INDEX,
)
from tests.support.apps import running, services_of

WAIT = 10


@pytest.fixture
def settings_overrides(openai_server, request):
    # Only the hanging-model test wants a short deadline; on a busy machine three scripted
    # attempts can take longer than a second.
    marker = request.node.get_closest_marker("turn_deadline")
    streaming = request.node.get_closest_marker("model_streaming")
    limit = request.node.get_closest_marker("request_limit")
    return remote_model_settings(
        openai_server,
        turn_deadline_seconds=marker.args[0] if marker else 40,
        model_streaming=streaming.args[0] if streaming else "auto",
        model_request_limit=limit.args[0] if limit else 10,
    )


@pytest.fixture
async def recorded(app) -> AsyncIterator[RecordingPublisher]:
    """The app's runner on the configured remote model, recording its events."""
    recorder = RecordingPublisher()
    services = services_of(app)
    async with running(app, TurnRunner(services.settings, services.sessionmaker, recorder)):
        yield recorder


async def test_model_retries_are_shown_as_progress(client, sign_up, openai_server, recorded):
    openai_server.replies = [{"status": 503}, {"status": 429}, {"text": "Here you go."}]
    alice = await sign_up()
    response = await post_chat(client, alice, "what is on my list?")
    assert response.status_code == 200, response.text
    events = run_events(recorded, alice["user"]["id"], response.json()["run_id"])
    progress = [e["message"] for e in events if e["event_type"] == "tool_progress"]
    assert progress == ["Retrying the model, 2 of 3", "Retrying the model, 3 of 3"]
    assert events[-1]["event_type"] == "agent_done" and events[-1]["error"] is None


@pytest.mark.turn_deadline(1.0)
async def test_a_hanging_model_ends_the_turn_at_its_deadline(
    client, sign_up, openai_server, recorded, settings
):
    openai_server.replies = [{"hang": True}, {"text": "Back again."}]
    alice = await sign_up()
    began = time.monotonic()
    response = await post_chat(client, alice, "are you there?", client_message_id="h-1")
    waited = time.monotonic() - began
    assert response.status_code == 503, response.text
    body = response.json()
    assert body["code"] == "model_unavailable"
    assert "Retry-After" in response.headers
    assert waited < 30  # the deadline (1 s here), not the model's own timeouts and retries
    events = run_events(recorded, alice["user"]["id"], body["run_id"])
    assert events[-1]["event_type"] == "agent_done" and events[-1]["error"]

    # The retry's model answers at once, but a loaded machine can take longer than 1 s to get
    # there: give it the usual deadline (the runner reads the deadline at each turn).
    settings.turn_deadline_seconds = 40
    retried = await post_chat(client, alice, "are you there?", client_message_id="h-1")
    assert retried.status_code == 200
    assert retried.json()["response"] == "Back again."


async def test_a_remote_model_s_bulk_delete_waits_for_approval(
    client, sign_up, openai_server, recorded
):
    openai_server.replies = [{"tool": "delete_all_tasks", "args": {}}, {"text": "All gone."}]
    alice = await sign_up()
    await client.post("/api/tasks", json={"title": "old"}, headers=alice["headers"])
    waiting = await post_chat(client, alice, "delete everything", client_message_id="d-1")
    assert waiting.status_code == 202
    approval_id = waiting.json()["approval_id"]
    answered = await client.post(
        f"/api/{alice['user']['id']}/approvals/{approval_id}",
        json={"approved": True},
        headers=alice["headers"],
    )
    assert answered.status_code == 200
    final = await post_chat(client, alice, "delete everything", client_message_id="d-1")
    assert final.json()["response"] == "All gone."
    assert (await client.get("/api/tasks", headers=alice["headers"])).json()["total"] == 0


async def test_a_turn_waiting_on_the_model_leaves_its_slot_to_other_turns(
    client, sign_up, openai_server, app
):
    services = services_of(app)
    one_slot = services.settings.model_copy(update={"max_active_turns": 1})
    runner = TurnRunner(one_slot, services.sessionmaker, RecordingPublisher())
    answer_alice = asyncio.Event()

    def script(request: dict) -> dict:
        asked = request["messages"][-1]["content"]
        return (
            {"text": "Slow answer.", "after": answer_alice}
            if "alice" in asked
            else {"text": "Quick answer."}
        )

    openai_server.script = script
    async with running(app, runner):
        try:
            alice, bob = await sign_up(), await sign_up()
            slow = asyncio.create_task(post_chat(client, alice, "from alice"))
            await asyncio.wait_for(openai_server.arrived.wait(), WAIT)
            quick = await asyncio.wait_for(post_chat(client, bob, "from bob"), WAIT)
            assert quick.status_code == 200 and quick.json()["response"] == "Quick answer."
            answer_alice.set()
            answered = await asyncio.wait_for(slow, WAIT)
            assert answered.status_code == 200 and answered.json()["response"] == "Slow answer."
        finally:
            answer_alice.set()


TOOL_ENDS = ("tool_starting", "tool_complete", "tool_error")


def _deltas(events: list[dict]) -> list[str]:
    return [e["delta"] for e in events if e["event_type"] == "agent_message_delta"]


def _dones(events: list[dict]) -> list[dict]:
    return [e for e in events if e["event_type"] == "agent_done"]


def _add_milk(request: dict) -> dict:
    """Add milk when asked, then say so (whatever the request's streaming); else just talk."""
    last = request["messages"][-1]
    if last["role"] == "tool":
        return {"text": "Added task #1: buy milk."}
    if "milk" not in str(last.get("content")):
        return {"text": "Hello there."}
    return {"tool": "add_task", "args": {"title": "buy milk"}}


async def test_a_server_that_cannot_stream_tools_is_asked_unstreamed_from_then_on(
    client, sign_up, openai_server, recorded
):
    """llama-cpp-python with chatml-function-calling: 200, then a tool call's stream fails."""
    openai_server.quirks = {LLAMA_CPP}
    openai_server.script = _add_milk
    alice = await sign_up()
    chatting = await post_chat(client, alice, "hello")
    assert chatting.status_code == 200, chatting.text
    # A text answer streams; nothing is learnt from it.
    assert [r["stream"] for r in openai_server.requests] == [True]
    openai_server.requests.clear()

    first = await post_chat(client, alice, "add a task to buy milk")
    assert first.status_code == 200, first.text
    assert first.json()["response"] == "Added task #1: buy milk."
    assert [t["title"] for t in first.json()["tasks"]] == ["buy milk"]
    # One failed stream, then the same request unstreamed, then the reply after the tool.
    assert [r["stream"] for r in openai_server.requests] == [True, False, False]
    events = run_events(recorded, alice["user"]["id"], first.json()["run_id"])
    assert _deltas(events) == ["Added task #1: buy milk."]
    assert [d["error"] for d in _dones(events)] == [None]
    assert events[-1]["event_type"] == "agent_done"

    # The instance remembers: the next turn goes straight to unstreamed requests.
    openai_server.requests.clear()
    second = await post_chat(client, alice, "add a task to buy milk")
    assert second.status_code == 200, second.text
    assert [r["stream"] for r in openai_server.requests] == [False, False]
    assert [
        d["error"]
        for d in _dones(run_events(recorded, alice["user"]["id"], second.json()["run_id"]))
    ] == [None]


@pytest.mark.parametrize("quirk", [REJECTS_STREAM_OPTIONS, EMPTY_STREAM])
async def test_a_server_that_refuses_or_empties_a_stream_is_asked_unstreamed(
    client, sign_up, openai_server, recorded, quirk
):
    openai_server.quirks = {quirk}
    openai_server.script = _add_milk
    alice = await sign_up()
    response = await post_chat(client, alice, "add a task to buy milk")
    assert response.status_code == 200, response.text
    assert response.json()["response"] == "Added task #1: buy milk."
    assert [r["stream"] for r in openai_server.requests] == [True, False, False]
    events = run_events(recorded, alice["user"]["id"], response.json()["run_id"])
    assert [d["error"] for d in _dones(events)] == [None]


async def test_a_tool_call_streamed_whole_without_index_is_run(
    client, sign_up, openai_server, recorded
):
    openai_server.quirks = {TOOL_CALL_WITHOUT_INDEX}
    openai_server.script = _add_milk
    alice = await sign_up()
    response = await post_chat(client, alice, "add a task to buy milk")
    assert response.status_code == 200, response.text
    assert [t["title"] for t in response.json()["tasks"]] == ["buy milk"]
    assert [r["stream"] for r in openai_server.requests] == [True, True]
    events = run_events(recorded, alice["user"]["id"], response.json()["run_id"])
    assert [e["event_type"] for e in events if e["event_type"] in TOOL_ENDS] == [
        "tool_starting",
        "tool_complete",
    ]
    assert "".join(_deltas(events)).strip() == "Added task #1: buy milk."


@pytest.mark.model_streaming("off")
async def test_streaming_off_never_streams(client, sign_up, openai_server, recorded):
    openai_server.script = _add_milk
    alice = await sign_up()
    response = await post_chat(client, alice, "add a task to buy milk")
    assert response.status_code == 200, response.text
    assert [r["stream"] for r in openai_server.requests] == [False, False]
    events = run_events(recorded, alice["user"]["id"], response.json()["run_id"])
    assert _deltas(events) == ["Added task #1: buy milk."]


@pytest.mark.model_streaming("on")
@pytest.mark.parametrize(
    ("quirk", "said"),
    [
        (LLAMA_CPP, "The model answered with an error: its server broke off the answer."),
        (EMPTY_STREAM, "The model gave no usable answer. Please try again, or put it another way."),
    ],
)
async def test_with_streaming_on_a_failed_stream_is_a_model_error(
    client, sign_up, openai_server, app, quirk, said
):
    """No fallback: the turn ends with model_error, counted as its own outcome."""
    openai_server.quirks = {quirk}
    openai_server.script = _add_milk
    alice = await sign_up()
    response = await post_chat(client, alice, "add a task to buy milk")
    assert response.status_code == 503
    body = response.json()
    assert (body["code"], body["error"]) == ("model_error", said)
    assert all(r["stream"] for r in openai_server.requests)
    exposition = services_of(app).metrics.exposition().decode()
    assert 'tasklive_turns_total{outcome="model_error"} 1.0' in exposition


def _list_forever(request: dict) -> dict:
    """A small model's loop: it asks for the list again after every answer."""
    return {"tool": "list_tasks", "args": {}}


@pytest.mark.request_limit(4)
async def test_a_model_that_calls_tools_without_end_stops_after_its_request_limit(
    client, sign_up, openai_server, recorded
):
    openai_server.script = _list_forever
    alice = await sign_up()
    response = await post_chat(client, alice, "what is on my list?")
    assert response.status_code == 503, response.text
    body = response.json()
    assert body["code"] == "model_error"
    assert body["error"] == (
        "The model kept going without finishing its answer (4 requests), so the turn stopped."
    )
    assert len(openai_server.requests) == 4
    events = run_events(recorded, alice["user"]["id"], body["run_id"])
    assert [e["event_type"] for e in events].count("agent_done") == 1


def _add_milk_again_and_again(request: dict) -> dict:
    """A small model's loop: the same add after every answer, three times, then words."""
    calls = sum(1 for m in request["messages"] if m["role"] == "tool")
    if calls >= 3:
        return {"text": "Added buy milk."}
    return {"tool": "add_task", "args": {"title": "buy milk"}}


async def test_a_change_the_model_asks_for_again_in_one_turn_is_made_once(
    client, sign_up, openai_server, recorded
):
    openai_server.script = _add_milk_again_and_again
    alice = await sign_up()
    response = await post_chat(client, alice, "add a task to buy milk")
    assert response.status_code == 200, response.text
    listed = await client.get("/api/tasks", headers=alice["headers"])
    assert [t["title"] for t in listed.json()["items"]] == ["buy milk"]
