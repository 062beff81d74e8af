"""What every import format reads into and every export writes from: one task, format-free."""

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from tasklive.errors import InvalidInputError
from tasklive.tasks.schemas import (
    DESCRIPTION_MAX,
    LABEL_MAX,
    LABELS_MAX,
    LIST_MAX,
    TITLE_MAX,
    clean_rule,
)

UID_MAX = 255


class UnreadableFileError(InvalidInputError):
    """The file cannot be read as the format it was said to be; names the line or item."""

    code = "unreadable_file"


@dataclass
class Item:
    """One task as a file holds it; `ref` says where ("line 12", "item 3") for the report."""

    ref: str
    uid: str
    title: str
    description: str = ""
    completed: bool = False
    completed_at: datetime | None = None
    due: date | datetime | None = None
    priority: int | None = None
    labels: list[str] = field(default_factory=list)
    list_name: str | None = None
    recurrence: str | None = None
    remind_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # Only a tasklive backup carries these: the task's number and id, kept when they are free.
    number: int | None = None
    id: str | None = None
    # A calendar's own VTODO text, kept so what tasklive does not model comes back unchanged.
    ical: str | None = None
    # Problems met while reading it that did not stop it (a date that could not be read).
    notes: list[str] = field(default_factory=list)
    # False for a format without lists (a calendar file): a task already here keeps its own.
    carries_list: bool = True


@dataclass
class Skipped:
    """An item the format says to leave out (a deleted task, a generated instance)."""

    ref: str


@dataclass
class Problem:
    """An item the file holds but that cannot become a task; reported, never fatal."""

    ref: str
    reason: str


def label_of(text: str) -> str | None:
    """A free-form tag as a tasklive label (lowercase, one word), or None when nothing is left."""
    label = re.sub(r"[\s,#\x00]+", "-", text.strip().lstrip("#").lower()).strip("-")
    return label[:LABEL_MAX] or None


def labels_of(texts: list[str]) -> list[str]:
    labels: list[str] = []
    for text in texts:
        label = label_of(text)
        if label and label not in labels:
            labels.append(label)
    return labels[:LABELS_MAX]


def list_of(text: str | None) -> str | None:
    name = " ".join((text or "").split())
    return name[:LIST_MAX] or None


def checked(item: Item) -> Item:
    """The item with its values made storable; a value that cannot be is a ValueError."""
    title = " ".join(item.title.split())
    if not title:
        raise ValueError("it has no title")
    if len(title) > TITLE_MAX:
        item.description = f"{title}\n\n{item.description}".strip()
        title = title[: TITLE_MAX - 1] + "…"
    item.title = title
    item.description = item.description.strip()
    if len(item.description) > DESCRIPTION_MAX:
        raise ValueError(f"its description is over {DESCRIPTION_MAX:,} characters")
    if any(
        "\x00" in text for text in (item.title, item.description, item.uid, item.list_name or "")
    ):
        raise ValueError("it contains a NUL character")
    if item.priority is not None and not 1 <= item.priority <= 4:
        raise ValueError(f"priority {item.priority} is not 1-4")
    if item.recurrence:
        item.recurrence = clean_rule(item.recurrence)
    if not item.uid or len(item.uid) > UID_MAX:
        raise ValueError("its id is missing or too long")
    item.labels = labels_of(item.labels)
    item.list_name = list_of(item.list_name)
    if item.completed and item.completed_at is None:
        item.completed_at = item.updated_at or datetime.now(UTC)
    return item


def task_values(source: Any) -> dict[str, Any]:
    """The values a Task, a VTODO's fields and an Item all name alike, as Item arguments."""
    return {
        "title": source.title,
        "description": source.description,
        "completed": source.completed,
        "completed_at": source.completed_at,
        "due": source.due,
        "priority": source.priority,
        "labels": list(source.labels or []),
        "recurrence": source.recurrence,
        "remind_at": source.remind_at,
    }


def compared(source: Any) -> dict[str, Any]:
    """The values that decide whether a stored task (or an item) already says what an item says."""
    values = task_values(source)
    del values["completed_at"]
    return values | {"list": source.list_name}
