"""Quick add over REST: one line of text read by the quick-add reader, then created or previewed."""

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from tasklive.db import utcnow
from tasklive.tasks.models import Task
from tasklive.tasks.quickadd import Draft, draft_fields, read
from tasklive.tasks.schemas import TaskOut
from tasklive.tasks.service import TaskService
from tasklive.text import storable

QUICK_MAX = 2000


class QuickText(BaseModel):
    text: Annotated[str, StringConstraints(max_length=QUICK_MAX), AfterValidator(storable)] = Field(
        description='One line as people type it: "call mom tomorrow 5pm p1 #family".'
    )


class SpanOut(BaseModel):
    """Characters start..end of the text were read as `kind` (the title is what remains)."""

    start: int
    end: int
    kind: str = Field(description="due, priority, label, list, recurrence, reminder, description")
    value: str | int


class QuickAdded(BaseModel):
    task: TaskOut
    spans: list[SpanOut]


class DraftOut(BaseModel):
    """The task the text would create; nothing is stored."""

    title: str
    description: str
    due: datetime | date | None
    priority: int | None
    labels: list[str]
    list: str | None
    recurrence: str | None
    remind_at: datetime | None
    reminder_offset_minutes: int | None = Field(
        description='How long before the due time the reminder is ("15 minutes before").'
    )


class QuickPreview(BaseModel):
    draft: DraftOut
    spans: list[SpanOut]


async def draft_of(tasks: TaskService, text: str) -> Draft:
    """The text read at this moment in the caller's time zone (NotATaskError when it is none)."""
    return read(text, now=utcnow(), zone=await tasks.zone())


async def quick_add(tasks: TaskService, text: str) -> tuple[Task, Draft]:
    """Create the task the text describes, through the one task service."""
    draft = await draft_of(tasks, text)
    task = await tasks.create(draft.title, draft.description or None, **draft_fields(draft))
    return task, draft


def spans_out(draft: Draft) -> list[SpanOut]:
    return [SpanOut(start=s.start, end=s.end, kind=s.kind, value=s.value) for s in draft.spans]


def draft_out(draft: Draft) -> DraftOut:
    offset = draft.reminder_offset
    fields: dict[str, Any] = {
        "title": draft.title,
        "description": draft.description,
        "due": draft.due,
        "priority": draft.priority,
        "labels": draft.labels,
        "list": draft.list,
        "recurrence": draft.recurrence,
        "remind_at": draft.remind_at,
        "reminder_offset_minutes": int(offset.total_seconds() // 60) if offset else None,
    }
    return DraftOut(**fields)
