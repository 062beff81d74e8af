"""A turn's handle and outcome, and how stored messages become the model's history."""

import asyncio
from dataclasses import dataclass
from typing import Any

from pydantic_ai.messages import ModelMessage, ModelRequest, ModelResponse, TextPart, UserPromptPart

from tasklive.conversations.models import Message
from tasklive.errors import UnavailableError
from tasklive.tasks.service import TaskChange
from tasklive.tasks.toolkit import task_body


class Turn:
    """A handle on one turn: its ids now, its POST body once it has finished."""

    def __init__(self, run_id: str, conversation_id: str, message_id: str) -> None:
        self.run_id = run_id
        self.conversation_id = conversation_id
        self.message_id = message_id
        self._outcome: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        # Turns started over a WebSocket never ask for their result; don't warn about that.
        self._outcome.add_done_callback(lambda f: f.cancelled() or f.exception())

    async def result(self) -> dict[str, Any]:
        """The POST body; raises UnavailableError when the model could not be reached."""
        return await asyncio.shield(self._outcome)

    def done(self) -> bool:
        return self._outcome.done()

    def _finish(self, body: dict[str, Any] | None, error: Exception | None = None) -> None:
        if self._outcome.done():
            return
        if error is not None:
            self._outcome.set_exception(error)
        else:
            self._outcome.set_result(body or {})


def outcome_of(reply: Message) -> tuple[dict[str, Any] | None, Exception | None]:
    """A stored reply's POST body, or the error the turn ended with."""
    details = reply.details or {}
    if details.get("unavailable"):
        return None, UnavailableError(reply.content)
    return details.get("result") or {"response": reply.content}, None


def changed_tasks(changes: list[TaskChange]) -> list[dict[str, Any]]:
    """The tasks a turn created or changed, in their final state (deleted ones left out)."""
    latest: dict[str, dict[str, Any]] = {}
    for change in changes:
        latest.pop(change.task.id, None)
        if change.kind != "deleted":
            latest[change.task.id] = task_body(change.task)
    return list(latest.values())


def to_model_messages(history: list[Message]) -> list[ModelMessage]:
    """Stored messages as the model sees them: user prompts and plain text replies.

    A reply keeps the `ModelResponse.metadata` its model gave it (never sent to an LLM; the
    offline model keeps its open question there).
    """
    return [
        ModelRequest(parts=[UserPromptPart(message.content)])
        if message.role == "user"
        else ModelResponse(
            parts=[TextPart(message.content)],
            metadata=(message.details or {}).get("model_metadata"),
        )
        for message in history
    ]


@dataclass
class Outcome:
    """How a turn's agent run ended."""

    response: str = ""
    error: str | None = None
    cancelled: bool = False
    metadata: dict[str, Any] | None = None  # the final ModelResponse's, stored with the reply
