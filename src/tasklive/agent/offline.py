"""The offline model: a deterministic FunctionModel turning plain English into real tool calls."""

import asyncio
import json
import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    RetryPromptPart,
    TextPart,
    ToolCallPart,
    ToolReturnPart,
    UserPromptPart,
)
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, DeltaToolCalls, FunctionModel

from tasklive.agent.offline_plan import Call, plan, understand
from tasklive.agent.offline_reply import Result, too_many_steps

MODEL_NAME = "offline"
MAX_TOOL_CALLS = 40  # per turn; stays under pydantic-ai's default limit of 50 model requests


@dataclass(frozen=True)
class Turn:
    """The user's message, the assistant's earlier replies, and this turn's tool results so far."""

    text: str
    replies: tuple[str, ...]
    results: tuple[Result, ...]


def _prompt_text(part: UserPromptPart) -> str:
    if isinstance(part.content, str):
        return part.content
    return " ".join(item for item in part.content if isinstance(item, str))


def _result(part: ToolReturnPart | RetryPromptPart) -> Result:
    if isinstance(part, RetryPromptPart):
        return {"ok": False, "error": "I couldn't do that with those details."}
    content: Any = part.content
    if isinstance(content, str):
        try:
            content = json.loads(content)
        except ValueError:
            return {"ok": False, "error": content}
    return content if isinstance(content, dict) else {"ok": False, "error": str(content)}


def read_turn(messages: Sequence[ModelMessage]) -> Turn:
    """Split at the last user prompt: history before it, this turn's tool results after it."""
    current = max(
        (
            index
            for index, message in enumerate(messages)
            if isinstance(message, ModelRequest)
            and any(isinstance(p, UserPromptPart) for p in message.parts)
        ),
        default=-1,
    )
    if current < 0:
        return Turn("", (), ())
    text = " ".join(
        _prompt_text(p) for p in messages[current].parts if isinstance(p, UserPromptPart)
    )
    replies = tuple(
        reply
        for message in messages[:current]
        if isinstance(message, ModelResponse)
        for reply in ["".join(p.content for p in message.parts if isinstance(p, TextPart))]
        if reply
    )
    results = tuple(
        _result(part)
        for message in messages[current + 1 :]
        if isinstance(message, ModelRequest)
        for part in message.parts
        if isinstance(part, ToolReturnPart | RetryPromptPart)
    )
    return Turn(text, replies, results)


def join_replies(texts: list[str]) -> str:
    """Several commands' replies as one message; paragraphs when any of them is a list."""
    return ("\n\n" if any("\n" in text for text in texts) else " ").join(texts)


def decide(turn: Turn, tool_names: set[str] | None = None) -> Call | str:
    """The next step of the turn: a tool call still to make, or the final reply.

    Each intent's plan is replayed against the results already received, so the answer depends only
    on the messages given.
    """
    intents, context = understand(turn.text, turn.replies)
    results = iter(turn.results)
    texts: list[str] = []
    for intent in intents:
        steps = plan(intent, context)
        try:
            call = next(steps)
            while (result := next(results, None)) is not None:
                call = steps.send(result)
        except StopIteration as done:
            texts.append(done.value)
            continue
        if tool_names and call.tool not in tool_names:
            texts.append("Sorry, I can't do that here.")
            break
        if len(turn.results) >= MAX_TOOL_CALLS:
            texts.append(too_many_steps())
            break
        return call
    return join_replies(texts)


def _tool_names(info: AgentInfo) -> set[str]:
    return {tool.name for tool in info.function_tools}


async def respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    """The whole response at once (Agent.run)."""
    step = decide(read_turn(messages), _tool_names(info))
    if isinstance(step, Call):
        return ModelResponse(parts=[ToolCallPart(step.tool, step.args)])
    return ModelResponse(parts=[TextPart(step)])


async def stream_response(
    messages: list[ModelMessage], info: AgentInfo
) -> AsyncIterator[str | DeltaToolCalls]:
    """The response streamed: a tool call in one delta, or the reply word by word."""
    step = decide(read_turn(messages), _tool_names(info))
    if isinstance(step, Call):
        yield {0: DeltaToolCall(name=step.tool, json_args=json.dumps(step.args))}
        return
    for chunk in re.findall(r"\s*\S+", step) or [step]:
        yield chunk
        await asyncio.sleep(0)  # let the run's consumers see each word as it comes


def build_offline_model() -> FunctionModel:
    """The built-in model used when TASKLIVE_MODEL=offline."""
    return FunctionModel(respond, stream_function=stream_response, model_name=MODEL_NAME)
