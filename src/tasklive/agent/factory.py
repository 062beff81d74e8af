"""The model side of a turn: one TurnAgent, the offline model's or pydantic-ai's, built once."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic_ai import Agent, AgentRunResultEvent, UsageLimits
from pydantic_ai.messages import ModelMessage
from pydantic_ai.models import Model

from tasklive.agent.agent import build_agent
from tasklive.agent.context import AgentDeps
from tasklive.agent.models import ModelChoice, build_model, retry_capabilities
from tasklive.agent.offline.model import OfflineModel
from tasklive.agent.offline.run import OfflineAgent
from tasklive.config import Settings
from tasklive.metrics import Metrics
from tasklive.tasks.quickadd.dates import load_parser

OnEvent = Callable[[Any], Awaitable[None]]
WrapModel = Callable[[Model], Model]


@dataclass(frozen=True)
class AgentReply:
    """A turn's reply text, what the model keeps for later, and the turn's model messages.

    `messages` is pydantic-ai's JSON of the messages this turn added (tool calls and results
    included), for a remote model to see again in later turns; None for the offline model,
    which reads only the stored text.
    """

    text: str
    metadata: dict[str, Any] | None
    messages: bytes | None = None


class TurnAgent(Protocol):
    """Answers one turn: history in, events to `on_event` as they happen, the reply out."""

    async def run(
        self, history: list[ModelMessage], deps: AgentDeps, on_event: OnEvent
    ) -> AgentReply: ...

    async def warm_up(self) -> None: ...


class OfflineTurnAgent:
    """The built-in offline model, run directly (agent/offline/run.py)."""

    def __init__(self, metrics: Metrics | None) -> None:
        timing = metrics.model_request_finished if metrics is not None else None
        self.agent = OfflineAgent(on_model_step=timing)

    async def run(
        self, history: list[ModelMessage], deps: AgentDeps, on_event: OnEvent
    ) -> AgentReply:
        reply = await self.agent.run(history, deps, on_event)
        return AgentReply(reply.text, reply.metadata)

    async def warm_up(self) -> None:
        """Load the date parser now: loaded lazily it took the first burst half a second."""
        await asyncio.to_thread(load_parser)


class RemoteTurnAgent:
    """A pydantic-ai agent around a remote (or test) model, streamed event by event."""

    def __init__(self, agent: Agent[AgentDeps, str], request_limit: int) -> None:
        self.agent = agent
        # A small model can call tools in a loop until the turn's deadline; it stops sooner.
        self.limits = UsageLimits(request_limit=request_limit)

    async def run(
        self, history: list[ModelMessage], deps: AgentDeps, on_event: OnEvent
    ) -> AgentReply:
        reply = AgentReply("", None)
        # The prompt ends `history`, stamped with the stored message's time.
        async with self.agent.run_stream_events(
            None, message_history=history, deps=deps, usage_limits=self.limits
        ) as events:
            async for event in events:
                await on_event(event)
                if isinstance(event, AgentRunResultEvent):
                    result = event.result
                    reply = AgentReply(
                        str(result.output), result.response.metadata, result.new_messages_json()
                    )
        return reply

    async def warm_up(self) -> None:
        return None


def build_turn_agent(
    settings: Settings,
    model: ModelChoice | Model | None = None,
    metrics: Metrics | None = None,
    wrap_model: WrapModel | None = None,
) -> TurnAgent:
    """The agent for `model`, else the one TASKLIVE_MODEL names; `wrap_model` wraps a remote one."""
    if isinstance(model, ModelChoice):
        choice = model
    elif model is not None:
        choice = ModelChoice(model, None, False)
    else:
        choice = build_model(settings)
    if isinstance(choice.model, OfflineModel):
        return OfflineTurnAgent(metrics)
    wrapped = metrics.timed(choice.model) if metrics is not None else choice.model
    if wrap_model is not None:
        wrapped = wrap_model(wrapped)
    return RemoteTurnAgent(
        build_agent(wrapped, choice.settings, retry_capabilities(settings, choice)),
        settings.model_request_limit,
    )
