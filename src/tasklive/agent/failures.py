"""What a failed model request tells its user: not reached, answered with an error, or nothing."""

from dataclasses import dataclass
from typing import Any

from pydantic_ai.exceptions import (
    ModelAPIError,
    ModelConnectionError,
    ModelHTTPError,
    ModelRequestTimeout,
    UnexpectedModelBehavior,
)

UNREACHABLE = "I couldn't reach the language model just now. Please try again in a moment."
BROKE_OFF = "The model answered with an error: its server broke off the answer."
NO_USABLE_ANSWER = "The model gave no usable answer. Please try again, or put it another way."
SHOWN_CHARS = 200

MODEL_FAILURES = (ModelAPIError, UnexpectedModelBehavior)
"""What a model request raises when the model was not reached or answered nothing usable."""


@dataclass(frozen=True)
class ModelFailure:
    """A failed model request: whether the model answered at all, what the user is told, and
    the server's own words for the log."""

    answered: bool
    reply: str
    detail: str


def describe_failure(error: Exception) -> ModelFailure:
    """The failure an exception from MODEL_FAILURES stands for."""
    detail = str(error)
    if broke_off(error):
        return ModelFailure(True, BROKE_OFF, f"{detail} ({_root(error)})")
    if isinstance(error, ModelConnectionError | ModelRequestTimeout):
        return ModelFailure(False, UNREACHABLE, detail)
    if isinstance(error, ModelHTTPError):
        said = _server_message(error.body) or f"HTTP {error.status_code}"
        return ModelFailure(True, f"The model answered with an error: {_short(said)}", detail)
    if isinstance(error, UnexpectedModelBehavior):
        return ModelFailure(True, NO_USABLE_ANSWER, detail)
    return ModelFailure(True, f"The model answered with an error: {_short(detail)}", detail)


def broke_off(error: BaseException) -> bool:
    """Whether a connection error is a server that answered, then closed before the answer's end.

    llama-cpp-python does that when its model picks a tool for a streamed request: 200, then
    the connection closes mid-body. HTTP clients call it a RemoteProtocolError.
    """
    if not isinstance(error, ModelConnectionError) or isinstance(error, ModelRequestTimeout):
        return False
    return type(_root(error)).__name__ == "RemoteProtocolError"


def _root(error: BaseException) -> BaseException:
    """The first cause of an error, through at most a few links."""
    for _ in range(8):
        cause = error.__cause__ or error.__context__
        if cause is None:
            break
        error = cause
    return error


def _server_message(body: Any) -> str | None:
    """The message in an OpenAI-style error body ({"error": {"message"}} or {"message"})."""
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            message = inner.get("message")
            return str(message) if message else None
        if isinstance(inner, str):
            return inner
    if isinstance(body, str) and body.strip():
        return body.strip()
    return None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"
