"""Task rows as JSON snapshots, the journal that lets a change be undone."""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, Integer, String

from tasklive.db import UTCDateTime
from tasklive.tasks.models import Task
from tasklive.tasks.schemas import TaskOut
from tasklive.text import NUL

ID_MAX = 32

_COLUMNS = {attr.key: attr.columns[0] for attr in Task.__mapper__.column_attrs}


def snapshot(task: Task) -> dict[str, Any]:
    """Every column of a task row, as JSON values."""
    values: dict[str, Any] = {}
    for key in _COLUMNS:
        value = getattr(task, key)
        values[key] = value.isoformat() if isinstance(value, date | datetime) else value
    return values


def restored(values: dict[str, Any]) -> dict[str, Any]:
    """A snapshot's values as the column types take them (a column it lacks is left out)."""
    row: dict[str, Any] = {}
    for key, column in _COLUMNS.items():
        if key not in values:
            continue
        value = values[key]
        if isinstance(value, str) and isinstance(column.type, UTCDateTime):
            value = datetime.fromisoformat(value)
        elif isinstance(value, str) and isinstance(column.type, Date):
            value = date.fromisoformat(value)
        row[key] = value
    return row


def apply(task: Task, values: dict[str, Any]) -> None:
    """Put a task row back to a snapshot (its id, owner and number stay: a number is never
    changed, and a restored journal's may be another task's now)."""
    for key, value in restored(values).items():
        if key not in ("id", "user_id", "number"):
            setattr(task, key, value)


def damage(changes: list[Any]) -> str | None:
    """Why a record's journal cannot be undone (a row a task cannot hold), or None."""
    for entry in changes:
        if not isinstance(entry, dict):
            return "an entry is not a task's row before and after"
        before, after = entry.get("before"), entry.get("after")
        if not isinstance(before, dict | None) or not isinstance(after, dict | None):
            return "an entry is not a task's row before and after"
        task_id = (after or before or {}).get("id")
        if not isinstance(task_id, str) or not 0 < len(task_id) <= ID_MAX:
            return "a task id is missing or not an id"
        if before is not None and (problem := _row_damage(before)):
            return problem
    return None


def _row_damage(values: dict[str, Any]) -> str | None:
    missing = [key for key in ("id", "number", "title") if values.get(key) is None]
    if missing:
        return f"a task's {missing[0]} is missing"
    try:
        row = restored(values)
        for key, value in row.items():
            if value is not None or not _COLUMNS[key].nullable:
                _check(key, value)
        TaskOut.model_validate(Task(**row))
    except (ValueError, TypeError, OverflowError) as exc:
        return f"a task's row does not fit ({str(exc).splitlines()[0][:200]})"
    return None


def _check(key: str, value: Any) -> None:
    """A ValueError when a column cannot hold `value`."""
    kind = _COLUMNS[key].type
    if isinstance(kind, String):
        fits = isinstance(value, str) and NUL not in value
        fits = fits and (kind.length is None or len(value) <= kind.length)
    elif isinstance(kind, Boolean):
        fits = isinstance(value, bool)
    elif isinstance(kind, Integer):
        fits = isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**31
    elif isinstance(kind, UTCDateTime):
        fits = isinstance(value, datetime) and value.tzinfo is not None
        if fits:
            value.astimezone(UTC)  # a moment out of range raises OverflowError
    elif isinstance(kind, Date):
        fits = isinstance(value, date)
    else:  # the labels
        fits = isinstance(value, list) and all(isinstance(v, str) and NUL not in v for v in value)
    if not fits:
        raise ValueError(f"{key} {value!r:.60} is not what it holds")
