"""Chat and conversation bodies as clients see them."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tasklive.chat.turn import stored_steps
from tasklive.tasks.schemas import TaskOut
from tasklive.text import ClientMessageId, Identifier, SafeText


class ChatRequest(BaseModel):
    """One user message; length rules are checked by the runner so the error can say why."""

    message: SafeText
    conversation_id: Identifier | None = None
    client_message_id: ClientMessageId | None = None


class ToolCallOut(BaseModel):
    tool: str
    args: dict[str, Any]
    ok: bool
    summary: str


class ChatResponse(BaseModel):
    """What a finished turn answers."""

    response: str
    conversation_id: str
    message_id: str
    run_id: str
    tasks: list[TaskOut]
    tool_calls: list[ToolCallOut]
    user_message_id: str | None = None
    cancelled: bool = False


class ChatAccepted(BaseModel):
    """A turn started with `wait=false`: its events and stored reply carry the rest."""

    conversation_id: str
    message_id: str
    run_id: str
    approval_id: str | None = None


class ConversationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    title: str
    created_at: datetime
    updated_at: datetime


class StepOut(BaseModel):
    """One step of the run that wrote a reply, as its step list showed it."""

    tool: str
    message: str
    ok: bool


class MessageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    role: Literal["user", "assistant"]
    content: str
    created_at: datetime
    run_id: str | None
    steps: list[StepOut] | None = Field(
        default=None, description="A reply's steps (its tool calls); null for user messages."
    )

    @classmethod
    def of(cls, message: Any) -> "MessageOut":
        """A stored message; a reply brings the steps its run took."""
        steps = stored_steps(message)
        out = cls.model_validate(message)
        out.steps = None if steps is None else [StepOut(**step) for step in steps]
        return out


class CancelAccepted(BaseModel):
    run_id: str
    status: Literal["cancelling"] = "cancelling"


class ApprovalAnswer(BaseModel):
    """The user's answer to an approval card."""

    approved: bool


class ApprovalOut(BaseModel):
    approval_id: str
    status: Literal["approved", "denied"]
