"""The offline model run directly answers exactly as it does through pydantic-ai's agent."""

from datetime import UTC, datetime
from typing import Any

from pydantic_ai.messages import ModelMessage

from tasklive.agent.context import AgentDeps
from tasklive.agent.offline.run import OfflineAgent
from tasklive.agent.translate import RunTranslator
from tasklive.chat.turn import prompt_request
from tests.agent.offline.conftest import SEEDED, NewChat
from tests.agent.offline.harness import AGENT, OfflineChat

CONVERSATION = (
    "what are my tasks?",
    "add buy milk tomorrow at 9am p1 #errands and call mom on friday",
    "mark 1 and 2 as done",
    "rename task 4 to buy oat milk",
    "delete task 99",
    "add a task called " + "x" * 600,
    "show my completed tasks",
    "delete all my tasks",
    "no",
    "remind me to pay rent every month on the 1st",
    "what's due this week?",
    "hello",
)
SENT_AT = datetime(2026, 12, 2, 8, 30, tzinfo=UTC)


def visible(events: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """What a tab shows of a turn's live events (ids and times differ between runs)."""
    return [
        (e["event_type"], e["message"], e.get("tool"), e.get("args"), e.get("delta"))
        for e in events
    ]


async def test_a_conversation_goes_the_same_both_ways(new_chat: NewChat) -> None:
    direct = await new_chat(*SEEDED, completed=(3,), now=SENT_AT)
    framework = await new_chat(*SEEDED, completed=(3,), now=SENT_AT)
    framework.via_agent = True
    for text in CONVERSATION:
        assert await direct.say(text) == await framework.say(text), text
        assert direct.calls == framework.calls, text
    assert await direct.tasks() == await framework.tasks()
    assert len(direct.calls) >= 8  # the conversation did call tools


async def translated(chat: OfflineChat, text: str, *, via_agent: bool) -> list[dict[str, Any]]:
    """The live events one turn publishes, run either way."""
    translator = RunTranslator("run", "conversation")
    deps = AgentDeps(chat.user_id, chat.sessionmaker, "run", "conversation", now=SENT_AT)
    history: list[ModelMessage] = [prompt_request(text, SENT_AT)]
    published: list[dict[str, Any]] = []
    if via_agent:
        async with AGENT.run_stream_events(None, message_history=history, deps=deps) as events:
            async for event in events:
                published += translator.translate(event)
    else:

        async def seen(event: Any) -> None:
            published.extend(translator.translate(event))

        await OfflineAgent().run(history, deps, seen)
    return published + translator.flush()


async def test_tabs_see_the_same_events_both_ways(new_chat: NewChat) -> None:
    for text in ("add buy bread and list my tasks", "complete task 1", "add " + "y" * 600):
        direct = await new_chat(*SEEDED)
        framework = await new_chat(*SEEDED)
        ran = visible(await translated(direct, text, via_agent=False))
        assert ran == visible(await translated(framework, text, via_agent=True)), text
        assert any(kind == "tool_starting" for kind, *_ in ran)
