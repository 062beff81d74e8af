"""A task's optional fields, and how its due date and reminder are stored in the user's zone."""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tasklive.tasks.models import Task

FIELDS = ("due", "priority", "labels", "list", "recurrence", "remind_at")


def place_fields(task: Task, fields: dict[str, Any], zone: ZoneInfo) -> None:
    """Set the optional fields given; a due or reminder without an offset is local to `zone`."""
    if "due" in fields:
        _set_due(task, fields["due"], zone)
    if "remind_at" in fields:
        moment = fields["remind_at"]
        task.remind_time = _localized(moment, zone) if moment is not None else None
        task.remind_offset = _offset(task.remind_time, zone)
        task.reminder_sent = False
        task.reminder_claim = task.reminder_claimed_until = None
    if "priority" in fields:
        task.priority = fields["priority"]
    if "labels" in fields:
        task.labels = list(fields["labels"] or [])
    if "list" in fields:
        task.list_name = fields["list"]
    if "recurrence" in fields:
        task.recurrence = fields["recurrence"]


def as_instant(due: date | datetime, zone: ZoneInfo) -> datetime:
    """When a due value begins: its instant, or the local start of its day."""
    if isinstance(due, datetime):
        return _localized(due, zone)
    return datetime.combine(due, time(), zone)


def _localized(moment: datetime, zone: ZoneInfo) -> datetime:
    """A date-time as an instant; one without an offset is local time in `zone`."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def _offset(instant: datetime | None, zone: ZoneInfo) -> int | None:
    if instant is None:
        return None
    offset = instant.astimezone(zone).utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


def _set_due(task: Task, due: date | datetime | None, zone: ZoneInfo) -> None:
    task.due_date = task.due_at = task.due_offset = task.due_sort = None
    if isinstance(due, datetime):
        task.due_at = _localized(due, zone)
        task.due_offset = _offset(task.due_at, zone)
        task.due_sort = task.due_at
    elif isinstance(due, date):
        task.due_date = due
        task.due_sort = as_instant(due, zone) + timedelta(days=1) - timedelta(microseconds=1)
