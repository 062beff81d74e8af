"""The offline model's turn, run directly: the same tools, approvals and events, no agent graph.

The offline model is a deterministic parser in this process, so the loop an agent framework
runs around a remote model (requests, retries, streaming, usage) is pure overhead here: it is
about two thirds of an offline turn's CPU. This runs the same steps and hands the translator
the same pydantic-ai events (tool call, custom events, tool result, reply text).
"""

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

from pydantic import ValidationError
from pydantic_ai import CustomEvent
from pydantic_ai.messages import (
    FunctionToolCallEvent,
    FunctionToolResultEvent,
    ModelMessage,
    PartStartEvent,
    TextPart,
    ToolCallPart,
    ToolReturnPart,
)

from tasklive.agent.agent import message_time
from tasklive.agent.approvals import on_screen, refusal
from tasklive.agent.context import AgentDeps
from tasklive.agent.offline.model import Reply, decide, read_turn, tool_result
from tasklive.agent.tools import TOOLS, run_tool
from tasklive.db import new_id
from tasklive.errors import describe_validation_errors
from tasklive.tasks.quickadd.dates import Clock
from tasklive.tasks.toolkit import TOOLS as TASK_TOOLS

RunEvent = Any
OnEvent = Callable[[RunEvent], Awaitable[None]]
AGENT_TOOLS = {tool.name: tool for tool in TOOLS}
TOOL_NAMES = frozenset(AGENT_TOOLS)


@dataclass(frozen=True)
class OfflineReply:
    """The turn's reply text and what the offline model keeps for the next turn."""

    text: str
    metadata: dict[str, Any]


class OfflineAgent:
    """Answers turns with the offline model; `on_model_step` times each step (metrics)."""

    def __init__(self, on_model_step: Callable[[float], None] | None = None) -> None:
        self.on_model_step = on_model_step

    async def run(
        self, history: list[ModelMessage], deps: AgentDeps, on_event: OnEvent
    ) -> OfflineReply:
        """Decide, call tools one at a time in order, and reply; events go to `on_event`."""
        clock = Clock.at(message_time(deps), await deps.time_zone())
        turn = read_turn(history, TOOL_NAMES, on_screen(deps, TOOL_NAMES), clock)
        while True:
            began = time.perf_counter()
            step = decide(turn)
            if self.on_model_step is not None:
                self.on_model_step(time.perf_counter() - began)
            if isinstance(step, Reply):
                if step.text:
                    await on_event(PartStartEvent(index=0, part=TextPart(step.text)))
                return OfflineReply(step.text, step.metadata())
            call = ToolCallPart(step.tool, step.args, tool_call_id=f"offline_{new_id()}")
            await on_event(FunctionToolCallEvent(call))
            outcome = await self._call(call, deps, on_event)
            await on_event(FunctionToolResultEvent(outcome))
            turn = replace(turn, done=(*turn.done, (step, tool_result(outcome))))

    async def _call(self, call: ToolCallPart, deps: AgentDeps, on_event: OnEvent) -> ToolReturnPart:
        args = call.args_as_dict()
        try:
            validated = AGENT_TOOLS[call.tool_name].function_schema.validator.validate_python(args)
        except ValidationError as exc:
            rejection = describe_validation_errors(exc.errors(include_url=False))
            return ToolReturnPart(
                call.tool_name,
                {"ok": False, "error": rejection},
                tool_call_id=call.tool_call_id,
                outcome="retried",
            )
        refused = await refusal(deps, call.tool_name, args, call.tool_call_id)
        if refused is not None:
            result: dict[str, Any] = {"ok": False, "error": refused}
        else:

            async def emit(event: CustomEvent) -> None:
                event.tool_name, event.tool_call_id = call.tool_name, call.tool_call_id
                await on_event(event)

            result = await run_tool(deps, emit, TASK_TOOLS[call.tool_name], validated)
        return ToolReturnPart(call.tool_name, result, tool_call_id=call.tool_call_id)
