"""How a turn ends: typed outcomes, their run statuses, notes and the errors a caller gets."""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tasklive.agent.failures import UNREACHABLE
from tasklive.errors import (
    ModelAnswerError,
    ModelUnavailableError,
    TaskliveError,
    TurnFailedError,
    TurnInterruptedError,
)


class TurnOutcome(StrEnum):
    """The ways a turn can end."""

    OK = "ok"
    CANCELLED = "cancelled"
    MODEL_UNAVAILABLE = "model_unavailable"
    MODEL_ERROR = "model_error"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


class RunStatus(StrEnum):
    """Where a run is in its life; `queued` and `running` are unfinished."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"


UNFINISHED = (RunStatus.QUEUED, RunStatus.RUNNING)

STATUS_OF = {
    TurnOutcome.OK: RunStatus.DONE,
    TurnOutcome.CANCELLED: RunStatus.CANCELLED,
    TurnOutcome.MODEL_UNAVAILABLE: RunStatus.FAILED,
    TurnOutcome.MODEL_ERROR: RunStatus.FAILED,
    TurnOutcome.FAILED: RunStatus.FAILED,
    TurnOutcome.INTERRUPTED: RunStatus.INTERRUPTED,
}

STOPPED = "Stopped before finishing."
"""Why a tool call that never finished ended, when its run stopped underneath it."""

NOTES = {
    TurnOutcome.CANCELLED: "(Cancelled before finishing.)",
    TurnOutcome.MODEL_UNAVAILABLE: UNREACHABLE,
    TurnOutcome.MODEL_ERROR: "The model answered with an error. Please try again in a moment.",
    TurnOutcome.FAILED: "Something went wrong while I was working on that. Please try again.",
    TurnOutcome.INTERRUPTED: (
        "This message was interrupted before I could finish (the server stopped). "
        "Please send it again."
    ),
}

ERRORS: dict[TurnOutcome, type[TaskliveError]] = {
    TurnOutcome.MODEL_UNAVAILABLE: ModelUnavailableError,
    TurnOutcome.MODEL_ERROR: ModelAnswerError,
    TurnOutcome.FAILED: TurnFailedError,
    TurnOutcome.INTERRUPTED: TurnInterruptedError,
}


def replayable(outcome: str | None) -> bool:
    """Whether a repeated client_message_id gets this turn's stored answer (else it runs again)."""
    return outcome in (TurnOutcome.OK, TurnOutcome.CANCELLED)


@dataclass(frozen=True)
class TurnResult:
    """A finished turn: its outcome and the POST body (ids, reply, tasks, tool calls)."""

    outcome: TurnOutcome
    body: dict[str, Any] = field(default_factory=dict)

    def error(self) -> TaskliveError | None:
        """The error a waiting caller gets, or None for a reply to show."""
        kind = ERRORS.get(self.outcome)
        if kind is None:
            return None
        body = self.body
        return kind(
            body.get("response") or NOTES[self.outcome],
            conversation_id=body.get("conversation_id"),
            message_id=body.get("user_message_id") or body.get("message_id"),
            run_id=body.get("run_id"),
        )
