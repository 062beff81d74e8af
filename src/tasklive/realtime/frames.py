"""Frames a client may send over the WebSocket, parsed into typed values."""

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from tasklive.errors import InvalidInputError
from tasklive.text import ClientMessageId, Identifier, SafeText

FRAME_TYPES = ("ping", "chat", "cancel", "approve", "resume", "auth")


class PingFrame(BaseModel):
    type: Literal["ping"]


class ChatFrame(BaseModel):
    type: Literal["chat"]
    message: SafeText
    conversation_id: Identifier | None = None
    client_message_id: ClientMessageId | None = None


class CancelFrame(BaseModel):
    type: Literal["cancel"]
    run_id: Identifier


class ApproveFrame(BaseModel):
    type: Literal["approve"]
    approval_id: str = Field(min_length=1, max_length=64)
    approved: bool


class ResumeFrame(BaseModel):
    """`last_seq` is read by `parse_resume`: anything but a 64-bit count resumes nothing."""

    type: Literal["resume"]
    last_seq: Any = None
    epoch: Any = ""


class AuthFrame(BaseModel):
    type: Literal["auth"]
    token: str


ClientFrame = Annotated[
    PingFrame | ChatFrame | CancelFrame | ApproveFrame | ResumeFrame | AuthFrame,
    Field(discriminator="type"),
]
_frames: TypeAdapter[ClientFrame] = TypeAdapter(ClientFrame)


def parse_frame(text: str) -> ClientFrame:
    """The frame a client sent; anything malformed is an InvalidInputError saying what is wrong."""
    try:
        value = json.loads(text)
    except ValueError:
        raise InvalidInputError("Frames must be JSON objects.") from None
    except RecursionError:  # nested thousands deep: the client's fault, not ours
        raise InvalidInputError("Frames must not nest that deep.") from None
    if not isinstance(value, dict):
        raise InvalidInputError("Frames must be JSON objects.")
    kind = value.get("type")
    if kind not in FRAME_TYPES:
        raise InvalidInputError(
            f"Unknown frame type {kind!r}: use ping, chat, cancel, approve or resume.",
            frame_type=kind,
        )
    try:
        return _frames.validate_python(value)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'][1:])}: {error['msg']}"
            for error in exc.errors()
        )
        raise InvalidInputError(f"Bad {kind} frame: {problems}.", frame_type=kind) from None
