"""A turn's handle for whoever waits on it, and how stored messages become the model's history."""

import asyncio
import copy
from datetime import datetime
from typing import Any, TypedDict

from pydantic_ai.messages import (
    ModelMessage,
    ModelMessagesTypeAdapter,
    ModelRequest,
    ModelResponse,
    TextPart,
    UserPromptPart,
)

from tasklive.chat.models import Message
from tasklive.chat.outcomes import TurnOutcome, TurnResult
from tasklive.tasks.events import TaskChange


class TurnIds(TypedDict):
    """What a turn's 202 and still_running answers name."""

    conversation_id: str
    message_id: str
    run_id: str


class Turn:
    """A handle on one turn: its ids now, its result once it has finished."""

    def __init__(self, run_id: str, conversation_id: str, message_id: str) -> None:
        self.run_id = run_id
        self.conversation_id = conversation_id
        self.message_id = message_id
        self._result: asyncio.Future[TurnResult] = asyncio.get_running_loop().create_future()
        self._asking = asyncio.Event()
        self._approval: list[str | None] = [None]  # shared with the turn's aliases

    @property
    def approval_id(self) -> str | None:
        """The approval card the turn waits on now."""
        return self._approval[0]

    def alias(self, message_id: str) -> "Turn":
        """The same turn, for a later message that answered its approval card."""
        other = copy.copy(self)
        other.message_id = message_id
        return other

    async def result(self) -> TurnResult:
        """The turn's outcome and body; waiting may be abandoned without affecting the turn."""
        return await asyncio.shield(self._result)

    async def answer(self, wait_seconds: float) -> TurnResult | None:
        """The result, or None as soon as the turn waits for an approval; TimeoutError after."""
        asking = asyncio.ensure_future(self._asking.wait())
        try:
            waiting: set[asyncio.Future[Any]] = {self._result, asking}
            done, _ = await asyncio.wait(
                waiting, timeout=wait_seconds, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            asking.cancel()
        if self._result in done:
            return self._result.result()
        if done:
            return None
        raise TimeoutError

    def asking(self, approval_id: str | None) -> None:
        """The turn waits for the user to approve a tool call (None: not any more)."""
        self._approval[0] = approval_id
        if approval_id is None:
            self._asking.clear()
        else:
            self._asking.set()

    def done(self) -> bool:
        return self._result.done()

    def finish(self, result: TurnResult) -> None:
        if not self._result.done():
            self._result.set_result(result)

    def ids(self) -> TurnIds:
        return {
            "conversation_id": self.conversation_id,
            "message_id": self.message_id,
            "run_id": self.run_id,
        }


def stored_result(reply: Message) -> TurnResult:
    """A finished turn's result, from its stored reply."""
    details = reply.details or {}
    outcome = details.get("outcome")
    if outcome is None:  # stored before outcomes were typed
        outcome = TurnOutcome.MODEL_UNAVAILABLE if details.get("unavailable") else TurnOutcome.OK
    return TurnResult(TurnOutcome(outcome), _current_shape(reply, details.get("result") or {}))


# Task fields that results stored by earlier versions may lack.
TASK_DEFAULTS: dict[str, Any] = {
    "description": "",
    "completed_at": None,
    "due": None,
    "priority": None,
    "labels": [],
    "list": None,
    "recurrence": None,
    "remind_at": None,
}


def _current_shape(reply: Message, body: dict[str, Any]) -> dict[str, Any]:
    """A stored result in today's response shape, whichever version stored it."""
    stamp = reply.created_at.isoformat()
    tasks = [
        {**TASK_DEFAULTS, "created_at": stamp, "updated_at": stamp, **task}
        for task in body.get("tasks") or []
    ]
    return {
        "response": reply.content,
        "conversation_id": reply.conversation_id,
        "message_id": reply.id,
        "run_id": reply.run_id,
        "user_message_id": (reply.details or {}).get("reply_to"),
        "tool_calls": [],
        **body,
        "tasks": tasks,
    }


def stored_steps(reply: Message) -> list[dict[str, Any]] | None:
    """The steps a stored reply's run took ({tool, message, ok}), from its stored tool calls."""
    if reply.role != "assistant":
        return None
    calls = ((reply.details or {}).get("result") or {}).get("tool_calls") or []
    return [
        {"tool": call["tool"], "message": call.get("summary") or call["tool"], "ok": call["ok"]}
        for call in calls
    ]


def changed_tasks(changes: list[TaskChange]) -> list[dict[str, Any]]:
    """The tasks a turn created or changed, in their final state (deleted ones left out)."""
    latest: dict[str, dict[str, Any]] = {}
    for change in changes:
        latest.pop(change.task.id, None)
        if change.kind != "deleted":
            latest[change.task.id] = change.task.model_dump(mode="json")
    return list(latest.values())


def prompt_request(content: str, sent_at: datetime | None) -> ModelRequest:
    """A user message as a request that keeps the message's own time (relative dates use it)."""
    if sent_at is None:
        return ModelRequest(parts=[UserPromptPart(content)])
    return ModelRequest(parts=[UserPromptPart(content, timestamp=sent_at)], timestamp=sent_at)


def to_model_messages(history: list[Message]) -> list[ModelMessage]:
    """Stored messages as the model sees them: user prompts, and each reply as its turn's model
    messages (tool calls and results included) when they were stored, else as plain text.

    A reply keeps the `ModelResponse.metadata` its model gave it (never sent to an LLM; the
    offline model keeps its open question there).
    """
    messages: list[ModelMessage] = []
    for message in history:
        details = message.details or {}
        if message.role == "user":
            messages.append(prompt_request(message.content, message.created_at))
        elif stored := details.get("model_messages"):
            messages.extend(ModelMessagesTypeAdapter.validate_python(stored))
        else:
            metadata = details.get("model_metadata")
            messages.append(ModelResponse(parts=[TextPart(message.content)], metadata=metadata))
    return messages
