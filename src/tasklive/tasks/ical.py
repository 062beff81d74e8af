"""The one Task <-> VTODO mapping (CalDAV, the .ics feed, .ics import and export).

A client's VTODO is stored as it was sent; a task is shown as that text, with only the properties
whose value tasklive changed since rewritten, so what tasklive does not model comes back unchanged.
Reading lives in tasks/vtodo.py.
"""

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Todo, vRecur
from icalendar.cal.component import Component

from tasklive.tasks.fields import as_instant
from tasklive.tasks.vtodo import (
    PRODID,
    CalendarDataError,
    TodoFields,
    changed,
    fields_of,
    ical_priority,
    is_master,
    moment_of,
    parse_calendar,
    remind_at_of,
    task_fields,
)


def _shown(value: date | datetime, zone: ZoneInfo) -> date | datetime:
    """A due value as written: a day, or a date-time in the user's zone (TZID)."""
    if isinstance(value, datetime):
        return as_instant(value, zone).astimezone(zone)
    return value


def _put(todo: Component, name: str, value: Any, **params: str) -> None:
    todo.pop(name, None)
    if value is not None and value != "" and value != []:
        if params:
            todo.add(name, value, parameters=params)
        else:
            todo.add(name, value)


def _set_completion(todo: Component, task: TodoFields) -> None:
    if task.completed:
        _put(todo, "STATUS", "COMPLETED")
        _put(todo, "COMPLETED", (task.completed_at or datetime.now(UTC)).astimezone(UTC))
        _put(todo, "PERCENT-COMPLETE", 100)
    else:
        _put(todo, "STATUS", "NEEDS-ACTION")
        todo.pop("COMPLETED", None)
        if int(todo.get("PERCENT-COMPLETE", 0) or 0) >= 100:
            todo.pop("PERCENT-COMPLETE", None)


def _move_start(todo: Component, before: Any, after: Any, zone: ZoneInfo) -> None:
    """Keep DTSTART as far before DUE as it was; drop it when that cannot be said."""
    start = moment_of(todo, "DTSTART")
    if start is None:
        return
    if before is None or after is None or type(before) is not type(after):
        todo.pop("DTSTART", None)
        return
    if isinstance(start, datetime) and isinstance(after, datetime):
        moved = as_instant(start, zone) + (as_instant(after, zone) - as_instant(before, zone))
        _put(todo, "DTSTART", moved.astimezone(zone))
    elif not isinstance(start, datetime) and not isinstance(after, datetime):
        _put(todo, "DTSTART", start + (after - before))
    else:
        todo.pop("DTSTART", None)


def _alarm_at(todo: Component, moment: datetime | None, zone: ZoneInfo) -> Component | None:
    """The alarm that rings at `moment` (the one tasklive's reminder stands for)."""
    if moment is None:
        return None
    instant = as_instant(moment, zone)
    alarms = todo.walk("VALARM")
    return next((a for a in alarms if remind_at_of(_lone(todo, a), zone) == instant), None)


def _set_alarm(todo: Component, task: TodoFields, target: Component | None, zone: ZoneInfo) -> None:
    if task.remind_at is None:
        todo.subcomponents = [c for c in todo.subcomponents if c.name != "VALARM"]
        return
    when = as_instant(task.remind_at, zone).astimezone(UTC)
    if target is None:
        target = Alarm()
        target.add("ACTION", "DISPLAY")
        target.add("DESCRIPTION", task.title)
        todo.add_component(target)
    target.pop("TRIGGER", None)
    target.add("TRIGGER", when, parameters={"VALUE": "DATE-TIME"})


def _lone(todo: Component, alarm: Component) -> Component:
    """The to-do's DUE and DTSTART with just this alarm, to say when it rings."""
    probe = Todo()
    for name in ("DUE", "DTSTART"):
        if name in todo:
            probe[name] = todo[name]
    probe.add_component(alarm)
    return probe


def _patch(todo: Component, task: TodoFields, stored: TodoFields, zone: ZoneInfo) -> None:
    differ = changed(stored, task, zone)
    alarm = _alarm_at(todo, stored.remind_at, zone)
    if "title" in differ:
        _put(todo, "SUMMARY", task.title)
    if "description" in differ:
        _put(todo, "DESCRIPTION", task.description)
    if "due" in differ:
        _move_start(todo, stored.due, task.due, zone)
        _put(todo, "DUE", _shown(task.due, zone) if task.due is not None else None)
    if "priority" in differ:
        _put(todo, "PRIORITY", ical_priority(task.priority))
    if "labels" in differ:
        _put(todo, "CATEGORIES", list(task.labels))
    if "recurrence" in differ:
        _put(todo, "RRULE", vRecur.from_ical(task.recurrence) if task.recurrence else None)
    if "completed" in differ:
        _set_completion(todo, task)
    if "remind_at" in differ or ("due" in differ and task.remind_at is not None):
        _set_alarm(todo, task, alarm, zone)


def _stamp(todo: Component, updated_at: datetime | None) -> None:
    moment = (updated_at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    _put(todo, "DTSTAMP", moment)
    _put(todo, "LAST-MODIFIED", moment)
    try:
        sequence = int(todo.get("SEQUENCE", 0)) + 1
    except (TypeError, ValueError):
        sequence = 1
    _put(todo, "SEQUENCE", sequence)


def new_todo(
    uid: str, task: TodoFields, zone: ZoneInfo, created_at: datetime | None, updated_at: datetime
) -> Todo:
    """A fresh VTODO for a task that no client has sent."""
    todo = Todo()
    todo.add("UID", uid)
    blank = TodoFields(title="", completed=not task.completed)
    _patch(todo, task, blank, zone)
    if created_at is not None:
        todo.add("CREATED", created_at.astimezone(UTC).replace(microsecond=0))
    _stamp(todo, updated_at)
    todo.pop("SEQUENCE", None)
    return todo


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    return calendar


def _patched(task: Any, ours: TodoFields, zone: ZoneInfo) -> str:
    """The stored client text, with the properties tasklive changed since rewritten."""
    calendar = parse_calendar(task.ical)
    master = next((t for t in calendar.walk("VTODO") if is_master(t)), None)
    if master is None:
        raise CalendarDataError("No VTODO in the stored text.")
    stored = fields_of(master, zone)
    if not changed(stored, ours, zone):
        return str(task.ical)
    _patch(master, ours, stored, zone)
    _stamp(master, task.updated_at)
    calendar.add_missing_timezones()
    text: str = calendar.to_ical().decode()
    return text


def todo_object(task: Any, zone: ZoneInfo) -> str:
    """A task as its calendar object: the stored client text when nothing changed since, that
    text with the changed properties rewritten, or a new VTODO."""
    ours = task_fields(task)
    if task.ical:
        try:
            return _patched(task, ours, zone)
        except (CalendarDataError, OverflowError, ValueError):
            pass  # unreadable after all: shown as tasklive has it
    calendar = _calendar()
    calendar.add_component(new_todo(task.uid, ours, zone, task.created_at, task.updated_at))
    calendar.add_missing_timezones()
    text: str = calendar.to_ical().decode()
    return text


def calendar_of(tasks: list[Any], zone: ZoneInfo, name: str | None = None) -> bytes:
    """One VCALENDAR with every task's VTODO (and the time zones they use), for export."""
    calendar = _calendar()
    if name:
        calendar.add("X-WR-CALNAME", name)
    seen: set[str] = set()
    for task in tasks:
        own = parse_calendar(todo_object(task, zone))
        for component in own.subcomponents:
            if component.name == "VTIMEZONE":
                tzid = str(component.get("TZID"))
                if tzid in seen:
                    continue
                seen.add(tzid)
            calendar.add_component(component)
    data: bytes = calendar.to_ical()
    return data
