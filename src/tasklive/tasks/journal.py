"""Task rows as JSON snapshots, the journal that lets a change be undone."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date

from tasklive.db import UTCDateTime
from tasklive.tasks.models import Task

_COLUMNS = {attr.key: attr.columns[0] for attr in Task.__mapper__.column_attrs}


def snapshot(task: Task) -> dict[str, Any]:
    """Every column of a task row, as JSON values."""
    values: dict[str, Any] = {}
    for key in _COLUMNS:
        value = getattr(task, key)
        values[key] = value.isoformat() if isinstance(value, date | datetime) else value
    return values


def restored(values: dict[str, Any]) -> dict[str, Any]:
    """A snapshot's values as the column types take them."""
    row: dict[str, Any] = {}
    for key, column in _COLUMNS.items():
        value = values.get(key)
        if isinstance(value, str) and isinstance(column.type, UTCDateTime):
            value = datetime.fromisoformat(value)
        elif isinstance(value, str) and isinstance(column.type, Date):
            value = date.fromisoformat(value)
        row[key] = value
    return row


def apply(task: Task, values: dict[str, Any]) -> None:
    """Put a task row back to a snapshot (its id and owner stay)."""
    for key, value in restored(values).items():
        if key not in ("id", "user_id"):
            setattr(task, key, value)
