"""The offline model as pydantic-ai sees it: streaming, metadata, determinism, limits."""

import json
from datetime import UTC, datetime

from pydantic_ai import AgentRunResultEvent
from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    PartDeltaEvent,
    PartStartEvent,
    TextPart,
    TextPartDelta,
    ToolCallPart,
    ToolReturnPart,
    UserPromptPart,
)

from tasklive.agent.offline import build_offline_model
from tasklive.agent.offline.model import Reply, decide, read_turn
from tasklive.chat.turn import to_model_messages
from tests.agent.offline.conftest import NewChat
from tests.agent.offline.harness import AGENT, OfflineChat


async def test_the_reply_streams_as_text_events(seeded: OfflineChat) -> None:
    # The whole reply is known at once, so it comes as one part: tabs get it in one delta
    # either way (deltas are coalesced), and each event costs the run about 0.1 ms of CPU.
    deltas: list[str] = []
    output = None
    async with AGENT.run_stream_events("What are my tasks?", deps=seeded.deps()) as events:
        async for event in events:
            if isinstance(event, PartStartEvent) and isinstance(event.part, TextPart):
                deltas.append(event.part.content)
            elif isinstance(event, PartDeltaEvent) and isinstance(event.delta, TextPartDelta):
                deltas.append(event.delta.content_delta)
            elif isinstance(event, AgentRunResultEvent):
                output = event.result.output
    assert deltas and "".join(deltas) == output
    assert output.startswith("You have 3 tasks")


async def test_a_question_travels_as_metadata_not_in_the_text(seeded: OfflineChat) -> None:
    reply = await seeded.say("delete all my tasks")
    stored = seeded.messages[-1].details or {}
    question = stored["model_metadata"]["offline"]["question"]
    assert question["ask"] == "confirm_delete_all"
    assert "confirm_delete_all" not in reply and "{" not in reply


async def test_tool_results_as_json_strings_are_understood() -> None:
    task = {"id": "x", "number": 9, "title": "walk the dog", "description": "", "completed": False}
    messages: list[ModelMessage] = [
        ModelRequest(parts=[UserPromptPart("add a task to walk the dog")]),
        ModelResponse(
            parts=[ToolCallPart("add_task", {"title": "walk the dog"}, tool_call_id="c1")]
        ),
        ModelRequest(
            parts=[
                ToolReturnPart(
                    "add_task", json.dumps({"ok": True, "task": task}), tool_call_id="c1"
                )
            ]
        ),
    ]
    step = decide(read_turn(messages))
    assert isinstance(step, Reply) and step.text == 'Added #9 "walk the dog" to your list.'
    assert step.memory.touched == (9,) and step.memory.added == ((9, "walk the dog"),)


async def test_a_turn_stays_within_the_agent_request_limit(new_chat: NewChat) -> None:
    chat = await new_chat(*(f"chore {n}" for n in range(1, 56)), completed=tuple(range(1, 56)))
    reply = await chat.say("Delete completed tasks")
    assert len(chat.calls) == 45 and len(await chat.tasks()) == 11
    assert "as much as I can do in one message" in reply


async def test_the_same_history_gives_the_same_answer(new_chat: NewChat) -> None:
    outcomes = []
    for _ in range(2):
        chat = await new_chat("team meeting prep", "meeting notes", "buy milk")
        await chat.say("Rename the meeting task to prepare slides")
        reply = await chat.say("the second one, and show my tasks")
        outcomes.append((reply, chat.calls, await chat.titles()))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][2] == ["team meeting prep", "prepare slides", "buy milk"]


def test_model_is_named_offline() -> None:
    assert build_offline_model().model_name == "offline"


async def test_a_long_list_says_what_it_left_out(chat: OfflineChat) -> None:
    reply = await chat.say("Add tasks: " + ", ".join(f"chore {n}" for n in range(1, 46)))
    assert await chat.titles() == [f"chore {n}" for n in range(1, 41)]
    assert "first 40" in reply and "other 5 tasks" in reply


async def test_relative_dates_follow_the_stored_message_time_and_zone(new_chat: NewChat) -> None:
    """The same history gives the same date however late it is replayed."""
    sent = datetime(2026, 3, 28, 22, 30, tzinfo=UTC)  # Saturday 23:30 in Berlin, before DST
    chat = await new_chat(timezone="Europe/Berlin", now=sent)
    await chat.say("add call mom tomorrow at 5pm")
    _, args = chat.calls[-1]
    assert args["due"] == "2026-03-29T17:00:00+02:00"  # Sunday, after the clocks went forward
    history = to_model_messages(chat.messages[:1])
    request = history[0]
    assert isinstance(request, ModelRequest) and request.timestamp == sent
    request.instructions = (
        "The user's time zone is Europe/Berlin; now is 2026-03-28T23:30:00+01:00."
    )
    replayed = decide(read_turn(history))  # months later, on another clock
    assert not isinstance(replayed, Reply)
    assert replayed.args["due"] == args["due"]
