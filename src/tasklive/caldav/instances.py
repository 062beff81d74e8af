"""Instances of a repeating to-do (RECURRENCE-ID overrides) that a client sends in a PUT.

tasklive keeps one open occurrence of a repeating task: completing it completes that task and
creates the next occurrence. So a new override marking the current occurrence done (Thunderbird,
the caldav library's "this and future" mode) is read as completing the task; the overrides are
then dropped from the stored text, as the next occurrence is a task of its own. Any other new
or changed instance (moving one occurrence, completing a later one) is refused: storing it
would show the client a change tasklive does not make.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar.cal.component import Component

from tasklive.caldav.xmlbody import CALDAV, DavPreconditionError
from tasklive.tasks.fields import as_instant
from tasklive.tasks.vtodo import (
    CalendarDataError,
    fields_of,
    is_master,
    moment_of,
    parse_calendar,
)

REFUSED = (
    "tasklive keeps one open occurrence of a repeating to-do: you can complete the current "
    "occurrence, or change the whole series, but not change a single other occurrence."
)
_DONE = ("COMPLETED", "CANCELLED")


def _same(a: date | datetime | None, b: date | datetime | None, zone: ZoneInfo) -> bool:
    if a is None or b is None or isinstance(a, datetime) != isinstance(b, datetime):
        return False
    if isinstance(a, datetime) and isinstance(b, datetime):
        return as_instant(a, zone) == as_instant(b, zone)
    return a == b


def _key(todo: Component, zone: ZoneInfo) -> str:
    """What an override says, apart from its stamps (clients rewrite those on every save)."""
    moment = moment_of(todo, "RECURRENCE-ID")
    instant = as_instant(moment, zone) if isinstance(moment, datetime) else moment
    return repr((instant, fields_of(todo, zone)))


def _overrides(calendar: Calendar) -> list[Component]:
    return [todo for todo in calendar.walk("VTODO") if not is_master(todo)]


def _completes(todo: Component, master: Component, zone: ZoneInfo) -> bool:
    """Whether an override marks the master's current occurrence done."""
    occurrence = moment_of(todo, "RECURRENCE-ID")
    current = moment_of(master, "DTSTART"), moment_of(master, "DUE")
    return fields_of(todo, zone).completed and any(_same(occurrence, c, zone) for c in current)


def _rest_of_series(todo: Component) -> bool:
    """A pending "this and future" override: the series after the completed occurrence."""
    rid = todo.get("RECURRENCE-ID")
    this_and_future = str(getattr(rid, "params", {}).get("RANGE", "")).upper() == "THISANDFUTURE"
    return this_and_future and str(todo.get("STATUS", "")).upper() not in _DONE


def _completed_master(
    calendar: Calendar, master: Component, done: Component, zone: ZoneInfo
) -> bytes:
    """The object as tasklive stores it: the master alone, marked done when the instance was."""
    moment = moment_of(done, "COMPLETED")
    when = as_instant(moment, zone) if isinstance(moment, datetime) else datetime.now(UTC)
    for name in ("STATUS", "COMPLETED", "PERCENT-COMPLETE"):
        master.pop(name, None)
    master.add("STATUS", "COMPLETED")
    master.add("COMPLETED", when.astimezone(UTC))
    master.add("PERCENT-COMPLETE", 100)
    calendar.subcomponents = [c for c in calendar.subcomponents if c.name != "VTODO"]
    calendar.add_component(master)
    data: bytes = calendar.to_ical()
    return data


def _kept(stored: str | None, zone: ZoneInfo) -> set[str]:
    """The overrides the stored copy has already."""
    try:
        return {_key(todo, zone) for todo in _overrides(parse_calendar(stored or ""))}
    except CalendarDataError:
        return set()  # none stored (a task made in tasklive), or none readable


def completion_in(body: bytes, stored: str | None, zone: ZoneInfo) -> bytes | None:
    """For a PUT over an existing task whose stored text is `stored`: the text to store
    instead of `body` when its new overrides complete the current occurrence; None when it
    brings no new override. Other new overrides are refused."""
    if b"RECURRENCE-ID" not in body.upper():
        return None
    calendar = parse_calendar(body)
    master = next((t for t in calendar.walk("VTODO") if is_master(t)), None)
    if master is None:
        return None  # a lone instance is read as the task itself, as before
    kept = _kept(stored, zone)
    new = [todo for todo in _overrides(calendar) if _key(todo, zone) not in kept]
    if not new:
        return None
    done = next((todo for todo in new if _completes(todo, master, zone)), None)
    if done is None or not all(t is done or _rest_of_series(t) for t in new):
        raise DavPreconditionError(REFUSED, CALDAV, "valid-calendar-object-resource")
    return _completed_master(calendar, master, done, zone)
