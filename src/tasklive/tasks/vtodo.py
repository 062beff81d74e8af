"""Reading VTODOs: what one says in tasklive's terms, and which task fields differ from it."""

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar.cal.component import Component

from tasklive.errors import InvalidInputError
from tasklive.tasks.fields import as_instant
from tasklive.tasks.schemas import (
    DESCRIPTION_MAX,
    LABEL_MAX,
    LABELS_MAX,
    TITLE_MAX,
    clean_rule,
)

PRODID = "-//tasklive//tasks//EN"
UNTITLED = "Untitled task"
# RFC 5545 PRIORITY 1 (highest) ... 9 (lowest), 0 none; the table Vikunja and Tasks.org agree on.
_TO_OURS = {1: 1, 2: 2, 3: 2, 4: 2, 5: 3, 6: 4, 7: 4, 8: 4, 9: 4}
_TO_ICAL = {1: 1, 2: 3, 3: 5, 4: 9}
_DONE = ("COMPLETED", "CANCELLED")
FIRST_YEAR, LAST_YEAR = 1900, 8999


class CalendarDataError(InvalidInputError, code="invalid_calendar_data"):
    """Calendar data that is not one readable VTODO (or not iCalendar at all)."""


class NotATodoError(CalendarDataError, code="unsupported_component"):
    """Calendar data holding something other than a VTODO (an event, a journal entry)."""


def priority_of(value: Any) -> int | None:
    """An RFC 5545 PRIORITY as ours: 1-9 to 1-4, 0 or nonsense to none."""
    try:
        return _TO_OURS.get(int(value))
    except (TypeError, ValueError):
        return None


def ical_priority(priority: int | None) -> int | None:
    """Our priority 1-4 as an RFC 5545 PRIORITY (1, 3, 5, 9)."""
    return _TO_ICAL.get(priority) if priority else None


@dataclass(frozen=True)
class TodoFields:
    """What a VTODO says in tasklive's terms; a naive `due`/`remind_at` is the user's local time."""

    title: str
    description: str = ""
    due: date | datetime | None = None
    priority: int | None = None
    labels: list[str] = field(default_factory=list)
    recurrence: str | None = None
    remind_at: datetime | None = None
    completed: bool = False
    completed_at: datetime | None = None

    def task_fields(self) -> dict[str, Any]:
        """The optional fields as the task service takes them."""
        return {
            "due": self.due,
            "priority": self.priority,
            "labels": list(self.labels),
            "recurrence": self.recurrence,
            "remind_at": self.remind_at,
        }


@dataclass(frozen=True)
class ParsedTodo:
    """One to-do read from calendar data: its UID, its fields, and its own VCALENDAR text."""

    uid: str
    fields: TodoFields
    text: str


def _clip(text: str, limit: int) -> str:
    return text.replace("\x00", "").strip()[:limit].strip()


def _labels(value: Any) -> list[str]:
    names: list[str] = []
    for prop in value if isinstance(value, list) else [value]:
        for category in getattr(prop, "cats", None) or []:
            label = re.sub(r"[\s,#\x00]+", "-", str(category).strip().lower()).strip("-")
            label = label[:LABEL_MAX]
            if label and label not in names:
                names.append(label)
    return names[:LABELS_MAX]


def _rule(todo: Component) -> str | None:
    rule = todo.get("RRULE")
    if isinstance(rule, list):
        rule = rule[0] if rule else None
    if rule is None:
        return None
    try:
        return clean_rule(rule.to_ical().decode())
    except (ValueError, AttributeError):
        return None


def moment_of(todo: Component, name: str) -> date | datetime | None:
    prop = todo.get(name)
    value = getattr(prop, "dt", None)
    return value if isinstance(value, date) else None


def remind_at_of(todo: Component, zone: ZoneInfo) -> datetime | None:
    """The earliest alarm's moment: an absolute trigger, or one relative to DUE or DTSTART."""
    moments = []
    for alarm in todo.walk("VALARM"):
        trigger = alarm.get("TRIGGER")
        value = getattr(trigger, "dt", None)
        if isinstance(value, datetime):
            moments.append(as_instant(value, zone))
        elif isinstance(value, timedelta):
            related = str(trigger.params.get("RELATED", "START")).upper()
            anchor = moment_of(todo, "DUE" if related == "END" else "DTSTART")
            anchor = anchor or moment_of(todo, "DUE") or moment_of(todo, "DTSTART")
            if anchor is not None:
                moments.append(as_instant(anchor, zone) + value)
    return min(moments, key=lambda m: m.astimezone(UTC)) if moments else None


Moment = TypeVar("Moment", date, datetime)


def _in_range(value: Moment | None, zone: ZoneInfo) -> Moment | None:
    """A due or reminder moment tasklive can store and compare (years 1900-8999)."""
    if value is None:
        return None
    try:
        instant = as_instant(value, zone).astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise CalendarDataError("A date in the to-do is out of range.") from exc
    if not FIRST_YEAR <= instant.year <= LAST_YEAR:
        raise CalendarDataError("A date in the to-do is out of range.")
    return value


def fields_of(todo: Component, zone: ZoneInfo) -> TodoFields:
    """A VTODO's fields in tasklive's terms (cleaned the way tasks are); a date out of range
    is a CalendarDataError."""
    status = str(todo.get("STATUS", "")).upper()
    completed_at = moment_of(todo, "COMPLETED")
    try:
        percent = int(todo.get("PERCENT-COMPLETE", 0))
    except (TypeError, ValueError):
        percent = 0
    return TodoFields(
        title=_clip(str(todo.get("SUMMARY", "")), TITLE_MAX) or UNTITLED,
        description=_clip(str(todo.get("DESCRIPTION", "")), DESCRIPTION_MAX),
        due=_in_range(moment_of(todo, "DUE"), zone),
        priority=priority_of(todo.get("PRIORITY")),
        labels=_labels(todo.get("CATEGORIES")),
        recurrence=_rule(todo),
        remind_at=_in_range(_reminder(todo, zone), zone),
        completed=status in _DONE or completed_at is not None or percent >= 100,
        completed_at=completed_at if isinstance(completed_at, datetime) else None,
    )


def _reminder(todo: Component, zone: ZoneInfo) -> datetime | None:
    try:
        return remind_at_of(todo, zone)
    except (OverflowError, ValueError) as exc:
        raise CalendarDataError("A reminder in the to-do is out of range.") from exc


def parse_calendar(data: bytes | str) -> Calendar:
    if "\x00" in data if isinstance(data, str) else b"\x00" in data:
        raise CalendarDataError("The calendar data contains a NUL character.")
    try:
        calendars = Calendar.from_ical(data, multiple=True)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise CalendarDataError("The calendar data is not valid iCalendar.") from exc
    if len(calendars) != 1 or calendars[0].name != "VCALENDAR":
        raise CalendarDataError("The calendar data must be one VCALENDAR.")
    return calendars[0]


def is_master(todo: Component) -> bool:
    return "RECURRENCE-ID" not in todo


def _zones_used(components: list[Component]) -> set[str]:
    names: set[str] = set()
    for component in components:
        for sub in component.walk():
            for value in sub.values():
                for prop in value if isinstance(value, list) else [value]:
                    tzid = getattr(prop, "params", {}).get("TZID")
                    if tzid:
                        names.add(str(tzid))
    return names


def _object_text(calendar: Calendar, todos: list[Component]) -> str:
    """A VCALENDAR of just these components and the time zones they use."""
    own = Calendar()
    for name in ("VERSION", "PRODID", "CALSCALE"):
        if name in calendar:
            own[name] = calendar[name]
    own.setdefault("VERSION", "2.0")
    own.setdefault("PRODID", PRODID)
    used = _zones_used(todos)
    for zone in calendar.walk("VTIMEZONE"):
        if str(zone.get("TZID")) in used:
            own.add_component(zone)
    for todo in todos:
        own.add_component(todo)
    text: str = own.to_ical().decode()
    return text


def read_todos(data: bytes | str, zone: ZoneInfo) -> list[ParsedTodo]:
    """Every to-do in calendar data (an import file), one per UID with its overrides."""
    calendar = parse_calendar(data)
    by_uid: dict[str, list[Component]] = {}
    for todo in calendar.walk("VTODO"):
        by_uid.setdefault(str(todo.get("UID", "")).strip(), []).append(todo)
    parsed = []
    for uid, todos in by_uid.items():
        if not uid:
            raise CalendarDataError("A VTODO without a UID cannot be stored.")
        master = next((t for t in todos if is_master(t)), todos[0])
        parsed.append(ParsedTodo(uid, fields_of(master, zone), _object_text(calendar, todos)))
    return parsed


def read_object(data: bytes | str, zone: ZoneInfo) -> ParsedTodo:
    """One CalDAV calendar object: VTODOs of a single UID and their time zones, kept verbatim."""
    calendar = parse_calendar(data)
    kinds = {c.name for c in calendar.subcomponents if c.name != "VTIMEZONE"}
    if kinds - {"VTODO"}:
        raise NotATodoError("This collection holds to-dos (VTODO) only.")
    todos = calendar.walk("VTODO")
    uids = {str(t.get("UID", "")).strip() for t in todos}
    if not todos or len(uids) != 1 or "" in uids:
        raise CalendarDataError("A calendar object holds one to-do with one UID.")
    master = next((t for t in todos if is_master(t)), todos[0])
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return ParsedTodo(uids.pop(), fields_of(master, zone), text)


def task_fields(task: Any) -> TodoFields:
    """A task's own fields, comparable with a VTODO's."""
    return TodoFields(
        title=task.title,
        description=task.description or "",
        due=task.due,
        priority=task.priority,
        labels=list(task.labels or []),
        recurrence=task.recurrence,
        remind_at=task.remind_at,
        completed=bool(task.completed),
        completed_at=task.completed_at,
    )


def _same_moment(a: Any, b: Any, zone: ZoneInfo) -> bool:
    if a is None or b is None:
        return a is b
    if isinstance(a, datetime) != isinstance(b, datetime):
        return False
    if isinstance(a, datetime):
        return as_instant(a, zone) == as_instant(b, zone)
    return bool(a == b)


def changed(stored: TodoFields, task: TodoFields, zone: ZoneInfo) -> set[str]:
    """The fields whose values differ (completion time is the client's to keep)."""
    names = {"title", "description", "priority", "labels", "recurrence", "completed"}
    differ = {n for n in names if getattr(stored, n) != getattr(task, n)}
    for name in ("due", "remind_at"):
        if not _same_moment(getattr(stored, name), getattr(task, name), zone):
            differ.add(name)
    return differ
