"""Which tasks a listing shows and in what order: views judged in the user's time zone."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, and_, cast, func, or_
from sqlalchemy.sql import ColumnElement, Select

from tasklive.tasks.models import Task
from tasklive.tasks.schemas import Sort, Status, View


@dataclass(frozen=True)
class TaskFilter:
    """What a listing asks for; every part is optional."""

    status: Status = "all"
    view: View | None = None
    label: str | None = None
    list: str | None = None
    q: str | None = None
    sort: Sort = "created"


@dataclass(frozen=True)
class LocalDay:
    """Today in the user's time zone, and the instants it starts and ends."""

    today: date
    starts: datetime
    ends: datetime
    now: datetime

    @classmethod
    def of(cls, now: datetime, zone: ZoneInfo) -> "LocalDay":
        today = now.astimezone(zone).date()
        starts = datetime.combine(today, time(), zone)
        ends = datetime.combine(today + timedelta(days=1), time(), zone)
        return cls(today, starts, ends, now)


def _view(view: View, day: LocalDay) -> ColumnElement[bool]:
    if view == "today":
        return or_(
            Task.due_date == day.today, and_(Task.due_at >= day.starts, Task.due_at < day.ends)
        )
    if view == "overdue":
        return and_(
            Task.completed.is_(False), or_(Task.due_date < day.today, Task.due_at < day.now)
        )
    return and_(Task.completed.is_(False), or_(Task.due_date > day.today, Task.due_at >= day.ends))


def _matches(term: str) -> ColumnElement[bool]:
    term = term.strip().lower()
    return or_(
        func.lower(Task.title).contains(term, autoescape=True),
        func.lower(Task.description).contains(term, autoescape=True),
    )


def filtered(query: Select[Any], wanted: TaskFilter, day: LocalDay) -> Select[Any]:
    """`query` narrowed to the tasks `wanted` asks for."""
    if wanted.status != "all":
        query = query.where(Task.completed.is_(wanted.status == "completed"))
    if wanted.view:
        query = query.where(_view(wanted.view, day))
    if wanted.label:
        label = wanted.label.strip().lstrip("#").lower()
        # Labels are stored as a JSON list of quote-free names, so the quoted name is exact.
        query = query.where(cast(Task.labels, String).contains(f'"{label}"', autoescape=True))
    if wanted.list:
        query = query.where(func.lower(Task.list_name) == " ".join(wanted.list.split()).lower())
    if wanted.q and wanted.q.strip():
        query = query.where(_matches(wanted.q))
    return query


def ordered(query: Select[Any], sort: Sort) -> Select[Any]:
    """Sorted by due (soonest first), priority (most urgent first) or creation; unset last."""
    if sort == "due":
        return query.order_by(Task.due_sort.is_(None), Task.due_sort, Task.number)
    if sort == "priority":
        return query.order_by(Task.priority.is_(None), Task.priority, Task.number)
    return query.order_by(Task.number)
