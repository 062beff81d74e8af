"""The offline model as a pydantic-ai FunctionModel: messages in, one tool call or a reply out."""

import json
import re
import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
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
from pydantic_ai.models import ModelRequestParameters
from pydantic_ai.models.function import (
    AgentInfo,
    DeltaToolCall,
    DeltaToolCalls,
    FunctionModel,
    FunctionStreamedResponse,
)
from pydantic_ai.settings import ModelSettings

from tasklive.agent.offline import answers  # noqa: F401  (registers the agenda plan)
from tasklive.agent.offline import replies as say
from tasklive.agent.offline.dialogue import (
    METADATA_KEY,
    Call,
    Context,
    Memory,
    Question,
    understand,
)
from tasklive.agent.offline.skills import Said, plan
from tasklive.agent.translate import rejected_arguments
from tasklive.tasks.quickadd import dates
from tasklive.tasks.quickadd.dates import Clock

MODEL_NAME = "offline"
MAX_TOOL_CALLS = 45  # per turn; stays under pydantic-ai's default limit of 50 model requests
Result = dict[str, Any]


@dataclass(frozen=True)
class Turn:
    """The user's message, the conversation before it, and this turn's tool calls so far."""

    text: str
    context: Context
    done: tuple[tuple[Call, Result], ...]


@dataclass(frozen=True)
class Reply:
    """The turn's final answer and what it leaves for the next turn."""

    text: str
    memory: Memory

    def metadata(self) -> dict[str, Any]:
        return {METADATA_KEY: self.memory.to_json()}


def _prompt_text(part: UserPromptPart) -> str:
    if isinstance(part.content, str):
        return part.content
    return " ".join(item for item in part.content if isinstance(item, str))


def tool_result(part: ToolReturnPart | RetryPromptPart) -> Result:
    """A tool call's result as the plans read it: a dict with `ok`."""
    rejection = rejected_arguments(part)
    if rejection is not None:
        return {"ok": False, "error": rejection}
    if isinstance(part, RetryPromptPart):
        return {"ok": False, "error": "I couldn't do that with those details."}
    content: Any = part.content
    if isinstance(content, str):
        try:
            content = json.loads(content)
        except ValueError:
            return {"ok": False, "error": content}
    return content if isinstance(content, dict) else {"ok": False, "error": str(content)}


def memory_of(message: ModelResponse) -> Memory | None:
    """The structured memory an offline reply carries, if it has one."""
    data = (message.metadata or {}).get(METADATA_KEY)
    return Memory.from_json(data) if isinstance(data, dict) else None


CLOCK_LINE = re.compile(r"The user's time zone is (?P<zone>[\w/+-]+); now is (?P<now>[\d:T+-]+)\.")


def clock_of(messages: Sequence[ModelMessage], prompt: ModelRequest | None) -> Clock:
    """The message's own time (its stored timestamp) in the zone the agent's instructions name."""
    instructions = next(
        (
            m.instructions
            for m in reversed(messages)
            if isinstance(m, ModelRequest) and m.instructions
        ),
        "",
    )
    line = CLOCK_LINE.search(instructions or "")
    stamps = [p.timestamp for p in prompt.parts if isinstance(p, UserPromptPart)] if prompt else []
    now = stamps[0] if stamps and stamps[0] else None
    if now is None:
        now = datetime.fromisoformat(line["now"]) if line else datetime.now(UTC)
    return Clock.at(now, line["zone"] if line else "UTC")


def read_turn(
    messages: Sequence[ModelMessage],
    tools: frozenset[str] = frozenset(),
    approved_on_screen: frozenset[str] = frozenset(),
    clock: Clock | None = None,
) -> Turn:
    """Split at the last user prompt: the conversation before it, this turn's tool calls after.

    Without a `clock`, the time and zone come from the prompt's stamp and the instructions.
    """
    prompts = [
        index
        for index, message in enumerate(messages)
        if isinstance(message, ModelRequest)
        and any(isinstance(p, UserPromptPart) for p in message.parts)
    ]
    if not prompts:
        return Turn("", Context(tools=tools, approved_on_screen=approved_on_screen), ())
    current = prompts[-1]
    prompt = messages[current]
    assert isinstance(prompt, ModelRequest)
    clock = clock or clock_of(messages, prompt)
    text = " ".join(
        _prompt_text(p) for p in messages[current].parts if isinstance(p, UserPromptPart)
    )
    earlier = [m for m in messages[:current] if isinstance(m, ModelResponse)]
    memories = [memory for m in earlier if (memory := memory_of(m)) is not None]
    last = memory_of(earlier[-1]) if earlier else None
    added = tuple(pair for memory in memories for pair in memory.added)
    calls: dict[str, Call] = {}
    done: list[tuple[Call, Result]] = []
    for message in messages[current + 1 :]:
        for part in message.parts:
            if isinstance(part, ToolCallPart):
                calls[part.tool_call_id] = Call(part.tool_name, part.args_as_dict())
            elif isinstance(part, ToolReturnPart | RetryPromptPart):
                call = calls.get(part.tool_call_id, Call(part.tool_name or "tool"))
                done.append((call, tool_result(part)))
    context = Context(last or Memory(), added, tools, approved_on_screen, clock)
    return Turn(text, context, tuple(done))


def remember(said: list[Said], done: Sequence[tuple[Call, Result]]) -> Memory:
    """What this turn leaves for the next: shown and changed tasks, and its question."""
    touched: list[int] = []
    added: list[tuple[int, str]] = []
    changes = 0
    for call, result in done:
        if not result.get("ok"):
            continue
        changes += call.tool != "list_tasks"
        task = result.get("task")
        if task:
            touched.append(task["number"])
            if call.tool == "add_task":
                added.append((task["number"], task["title"]))
    listed = next((s.listed for s in reversed(said) if s.listed), ())
    asked: Question | None = next((s.question for s in reversed(said) if s.question), None)
    return Memory(
        listed=listed,
        touched=tuple(dict.fromkeys(touched)),
        added=tuple(added),
        question=asked,
        changes=changes,
    )


def join_replies(texts: list[str]) -> str:
    """Several commands' replies as one message (each said once); paragraphs when any of them
    is a list."""
    texts = list(dict.fromkeys(texts))
    return ("\n\n" if any("\n" in text for text in texts) else " ").join(texts)


def decide(turn: Turn) -> Call | Reply:
    """The next step: a tool call still to make, or the final reply.

    Each intent's plan is replayed against the results already received, so the answer depends
    only on the messages given.
    """
    results = iter(result for _, result in turn.done)
    said: list[Said] = []
    for intent in understand(turn.text, turn.context):
        steps = plan(intent, turn.context)
        try:
            call = next(steps)
            while (result := next(results, None)) is not None:
                call = steps.send(result)
        except StopIteration as finished:
            said.append(finished.value)
            continue
        if turn.context.tools and call.tool not in turn.context.tools:
            said.append(Said(say.unavailable()))
            break
        if len(turn.done) >= MAX_TOOL_CALLS:
            said.append(Said(say.too_many_steps()))
            break
        return call
    return Reply(join_replies([s.text for s in said]), remember(said, turn.done))


def _step(messages: list[ModelMessage], tools: Sequence[Any]) -> Call | Reply:
    names = frozenset(tool.name for tool in tools)
    on_screen = frozenset(t.name for t in tools if (t.metadata or {}).get("approval_card"))
    return decide(read_turn(messages, names, on_screen))


def respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    """The whole response at once (Agent.run)."""
    step = _step(messages, info.function_tools)
    if isinstance(step, Call):
        return ModelResponse(parts=[ToolCallPart(step.tool, step.args)])
    return ModelResponse(parts=[TextPart(step.text)], metadata=step.metadata())


async def _chunks(step: Call | Reply) -> AsyncIterator[str | DeltaToolCalls]:
    if isinstance(step, Call):
        yield {0: DeltaToolCall(name=step.tool, json_args=json.dumps(step.args))}
        return
    yield step.text


class OfflineModel(FunctionModel):
    """A FunctionModel whose streamed replies carry their memory in `metadata` too."""

    def __init__(self) -> None:
        super().__init__(respond, model_name=MODEL_NAME)

    @asynccontextmanager
    async def request_stream(
        self,
        messages: list[ModelMessage],
        model_settings: ModelSettings | None,
        model_request_parameters: ModelRequestParameters,
        run_context: Any = None,
    ) -> AsyncIterator[FunctionStreamedResponse]:
        _, parameters = self.prepare_request(model_settings, model_request_parameters)
        step = _step(messages, parameters.function_tools)
        response = FunctionStreamedResponse(
            model_request_parameters=parameters, _model_name=self.model_name, _iter=_chunks(step)
        )
        if isinstance(step, Reply):
            response.metadata = step.metadata()
        yield response


def build_offline_model() -> OfflineModel:
    """The built-in model used when TASKLIVE_MODEL=offline.

    dateparser's English data loads in a thread meanwhile, so the first dated message does not
    hold up the event loop (about half a second).
    """
    threading.Thread(target=dates.load_parser, name="dateparser-load", daemon=True).start()
    return OfflineModel()
