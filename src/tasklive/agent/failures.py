"""What a failed model request tells its user: not reached, answered with an error, or nothing."""

import re
from dataclasses import dataclass
from typing import Any

from pydantic_ai.exceptions import (
    ModelAPIError,
    ModelConnectionError,
    ModelHTTPError,
    ModelRequestTimeout,
    ModelTimeoutError,
    UnexpectedModelBehavior,
    UsageLimitExceeded,
)

UNREACHABLE = "I couldn't reach the language model just now. Please try again in a moment."
BROKE_OFF = "The model answered with an error: its server broke off the answer."
NO_USABLE_ANSWER = "The model gave no usable answer. Please try again, or put it another way."
SHOWN_CHARS = 200
BROKEN_OFF = ("ReadError", "RemoteProtocolError")
HTTP_CLIENTS = ("httpx", "httpcore", "h11")

TOO_MANY_STEPS = (
    "The model kept going without finishing its answer ({limit} requests), so the turn stopped."
)

MODEL_FAILURES = (ModelAPIError, UnexpectedModelBehavior, UsageLimitExceeded)
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
        return ModelFailure(True, BROKE_OFF, f"{detail} ({_chain(error)})")
    if isinstance(error, ModelConnectionError | ModelRequestTimeout):
        return ModelFailure(False, UNREACHABLE, f"{detail} ({_chain(error)})")
    if isinstance(error, ModelHTTPError):
        said = _server_message(error.body) or f"HTTP {error.status_code}"
        return ModelFailure(True, f"The model answered with an error: {_short(said)}", detail)
    if isinstance(error, UnexpectedModelBehavior):
        return ModelFailure(True, NO_USABLE_ANSWER, detail)
    if isinstance(error, UsageLimitExceeded):
        limit = re.search(r"request_limit of (\d+)", detail)
        return ModelFailure(
            True, TOO_MANY_STEPS.format(limit=limit[1] if limit else "too many"), detail
        )
    return ModelFailure(True, f"The model answered with an error: {_short(detail)}", detail)


def broke_off(error: BaseException) -> bool:
    """Whether a connection error is a server that took the request, then broke off its answer.

    llama-cpp-python does that when its model picks a tool for a streamed request: 200, then it
    resets the connection. The HTTP client says ReadError (reset or closed while reading the
    answer) or RemoteProtocolError (closed mid-body); a server that is down says ConnectError.
    """
    if not isinstance(error, ModelConnectionError) or isinstance(error, ModelTimeoutError):
        return False
    return any(
        type(cause).__name__ in BROKEN_OFF and type(cause).__module__.startswith(HTTP_CLIENTS)
        for cause in _causes(error)
    )


def _causes(error: BaseException) -> list[BaseException]:
    """An error's causes, nearest first, through at most a few links."""
    causes: list[BaseException] = []
    link = error.__cause__ or error.__context__
    while link is not None and len(causes) < 8:
        causes.append(link)
        link = link.__cause__ or link.__context__
    return causes


def _chain(error: BaseException) -> str:
    """The error's causes for the log: `Type: message` each."""
    return " <- ".join(f"{type(c).__name__}: {c}" for c in _causes(error))


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
