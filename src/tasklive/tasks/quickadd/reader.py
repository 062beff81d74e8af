"""read(): a line of text as a task draft, at the message's time in the user's zone."""

import builtins
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from tasklive.errors import InvalidInputError
from tasklive.tasks.quickadd import dates, doubt, resolve
from tasklive.tasks.quickadd import tokens as tk
from tasklive.tasks.quickadd.dates import Clock
from tasklive.tasks.quickadd.scan import Scanned, scan

SpanKind = Literal["due", "priority", "label", "list", "recurrence", "reminder", "description"]


class NotATaskError(InvalidInputError):
    """The text does not read as a task (empty, only a date, or a question)."""


class UnsureError(NotATaskError):
    """Words left in the title look like a detail the reader could not read: it asks instead."""


@dataclass(frozen=True)
class Span:
    """Characters start..end of the text were read as `kind`, meaning `value`."""

    start: int
    end: int
    kind: SpanKind
    value: str | int


@dataclass(frozen=True)
class Draft:
    """A task as the text describes it; empty fields were not said."""

    title: str
    description: str = ""
    due: date | datetime | None = None
    priority: int | None = None
    labels: list[str] = field(default_factory=list)
    list: str | None = None
    recurrence: str | None = None
    remind_at: datetime | None = None
    reminder_offset: timedelta | None = None
    spans: builtins.list[Span] = field(default_factory=builtins.list)


def _why_not(text: str, found: Scanned) -> str:
    if not text.strip():
        return 'Type a task to add, like "buy milk tomorrow".'
    if text.rstrip().endswith("?") and not found.found:
        return "That reads as a question, not a task."
    return 'There is no task in that, only its details; say what to do, like "call mom".'


def _due(found: Scanned, clock: Clock) -> tuple[date | datetime | None, str]:
    """The due value and the reminder rule; a reminder lead alone says both."""
    remind = found.remind
    if remind.startswith("lead:") and not found.dated:
        said = dates.find(tk.lead_words(remind))
        value = resolve.due(said.day, said.clock, "", "", clock)
        return value, "due"
    value = resolve.due(found.when, found.clock, found.repeat, found.repeat_part, clock)
    return value, remind


def read(text: str, *, now: datetime, zone: ZoneInfo) -> Draft:
    """The task `text` describes; NotATaskError when it describes none."""
    found = scan(text)
    if not found.title or (text.rstrip().endswith("?") and not found.found):
        raise NotATaskError(_why_not(text, found))
    if found.doubt and doubt.either_half(found.doubt):
        raise UnsureError(f'Is "{found.doubt}" in the morning or the evening? Add am or pm.')
    if found.doubt:
        raise UnsureError(
            f'Not sure what "{found.doubt}" means in "{found.title}": say the date or time '
            "apart from the title, or put words that belong to the title in quotes."
        )
    clock = Clock(now.astimezone(zone))
    due, remind = _due(found, clock)
    if found.when and due is None:
        raise UnsureError(
            f'Not sure which day "{found.when}" is: say the date another way, or put words that '
            "belong to the title in quotes."
        )
    remind_at = resolve.reminder(remind, due, clock) if remind else None
    offset = (
        resolve.offset(remind.removeprefix("before:")) if remind.startswith("before:") else None
    )
    spans = [_span(token.start, token.end, token.kind, token.value, due, remind_at)
             for token in found.tokens]  # fmt: skip
    return Draft(
        title=found.title,
        description=found.description,
        due=due,
        priority=found.priority,
        labels=list(found.labels),
        list=found.list or None,
        recurrence=found.repeat or None,
        remind_at=remind_at,
        reminder_offset=offset,
        spans=spans,
    )


def _span(
    start: int, end: int, kind: Any, value: str | int, due: Any, remind_at: datetime | None
) -> Span:
    if kind == "due" and due is not None:
        value = due.isoformat()
    elif kind == "reminder" and remind_at is not None:
        value = remind_at.isoformat()
    return Span(start, end, kind, value)


def draft_fields(draft: Draft) -> dict[str, Any]:
    """The task fields a draft sets, as TaskService.create takes them."""
    fields: dict[str, Any] = {
        "due": draft.due,
        "priority": draft.priority,
        "labels": draft.labels or None,
        "list": draft.list,
        "recurrence": draft.recurrence,
        "remind_at": draft.remind_at,
    }
    return {key: value for key, value in fields.items() if value is not None}
