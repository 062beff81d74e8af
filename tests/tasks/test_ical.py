"""The one VTODO mapping: what a client sends comes back unchanged unless tasklive changed it."""

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tasklive.tasks.ical import calendar_of, todo_object
from tasklive.tasks.vtodo import (
    CalendarDataError,
    NotATodoError,
    TodoFields,
    ical_priority,
    priority_of,
    read_object,
    read_todos,
)

BERLIN = ZoneInfo("Europe/Berlin")
SAMPLE = (Path(__file__).parent / "vtodo_sample.ics").read_text().replace("\n", "\r\n")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def stored(fields: TodoFields, zone: ZoneInfo) -> date | datetime | None:
    """A due value the way the task service keeps it: an instant at the user's offset."""
    due = fields.due
    if isinstance(due, datetime):
        due = (due if due.tzinfo else due.replace(tzinfo=zone)).astimezone(zone)
        return due.astimezone(timezone(due.utcoffset()))
    return due


def task_from(fields: TodoFields, uid: str, ical: str | None, zone=BERLIN) -> SimpleNamespace:
    """A task as the service would store these fields."""
    return SimpleNamespace(
        id="t1",
        uid=uid,
        ical=ical,
        title=fields.title,
        description=fields.description,
        due=stored(fields, zone),
        priority=fields.priority,
        labels=list(fields.labels),
        recurrence=fields.recurrence,
        remind_at=fields.remind_at,
        completed=fields.completed,
        completed_at=NOW if fields.completed else None,
        created_at=NOW,
        updated_at=NOW,
    )


def only_todo(text: str):
    return Calendar.from_ical(text).walk("VTODO")[0]


def test_a_vtodo_reads_as_task_fields():
    parsed = read_object(SAMPLE, BERLIN)
    fields = parsed.fields
    assert parsed.uid == "client-uid-1"
    assert fields.title == "Water the plants"
    assert fields.description == "Both balconies"
    # TZID "My Custom Zone" is defined only by the VTIMEZONE: +01:00 in December.
    assert fields.due.astimezone(UTC) == datetime(2026, 12, 10, 17, 0, tzinfo=UTC)
    assert fields.priority == 3
    assert fields.labels == ["home", "garden-work"]
    assert fields.recurrence == "FREQ=WEEKLY;BYDAY=TH"
    assert fields.remind_at.astimezone(UTC) == datetime(2026, 12, 10, 16, 45, tzinfo=UTC)
    assert fields.completed is False


def test_a_round_trip_returns_the_client_text_unchanged():
    parsed = read_object(SAMPLE, BERLIN)
    task = task_from(parsed.fields, parsed.uid, parsed.text)
    assert todo_object(task, BERLIN) == SAMPLE


def test_a_change_rewrites_only_the_changed_properties():
    parsed = read_object(SAMPLE, BERLIN)
    task = task_from(parsed.fields, parsed.uid, parsed.text)
    task.title, task.completed, task.priority = "Water all plants", True, 1
    task.completed_at = NOW
    text = todo_object(task, BERLIN)
    todo = only_todo(text)
    assert str(todo["SUMMARY"]) == "Water all plants"
    assert str(todo["STATUS"]) == "COMPLETED" and todo["COMPLETED"].dt == NOW
    assert int(todo["PRIORITY"]) == 1
    before = only_todo(SAMPLE)
    for name in ("UID", "DESCRIPTION", "CATEGORIES", "RRULE", "RELATED-TO", "GEO", "ATTACH"):
        assert todo[name].to_ical() == before[name].to_ical(), name
    assert todo["RELATED-TO"].params["RELTYPE"] == "PARENT"
    assert str(todo["X-APPLE-SORT-ORDER"]) == "12345"
    assert todo["X-TASKS-ORG-THING"].params["X-PARAM"] == "1"
    assert todo["DUE"].params["TZID"] == "My Custom Zone"
    assert [str(a["TRIGGER"].to_ical(), "ascii") for a in todo.walk("VALARM")] == ["-PT15M"]
    assert "BEGIN:VTIMEZONE\r\nTZID:My Custom Zone" in text
    again = read_object(text, BERLIN).fields
    assert (again.title, again.completed, again.priority) == ("Water all plants", True, 1)


def test_a_due_moved_here_is_written_in_the_users_zone_and_keeps_the_reminder():
    parsed = read_object(SAMPLE, BERLIN)
    task = task_from(parsed.fields, parsed.uid, parsed.text)
    task.due = task.due + timedelta(days=1)
    text = todo_object(task, BERLIN)
    todo = only_todo(text)
    assert todo["DUE"].params["TZID"] == "Europe/Berlin"
    assert "TZID:Europe/Berlin" in text
    again = read_object(text, BERLIN).fields
    assert again.due == task.due
    assert again.remind_at == task.remind_at


@pytest.mark.parametrize(
    ("ical", "ours"),
    [(0, None), (1, 1), (2, 2), (3, 2), (4, 2), (5, 3), (6, 4), (7, 4), (8, 4), (9, 4)],
)
def test_priority_follows_the_contract_table(ical, ours):
    assert priority_of(ical) == ours


def test_priority_back_to_icalendar():
    assert [ical_priority(p) for p in (None, 1, 2, 3, 4)] == [None, 1, 3, 5, 9]


def test_a_new_task_becomes_a_vtodo_that_reads_back_the_same():
    fields = TodoFields(
        title="Pay rent",
        description="to the landlord",
        due=datetime(2026, 12, 3, 17, 0, tzinfo=BERLIN),
        priority=2,
        labels=["home"],
        recurrence="FREQ=MONTHLY",
        remind_at=datetime(2026, 12, 3, 16, 0, tzinfo=BERLIN),
    )
    task = task_from(fields, "t1@tasklive", None)
    text = todo_object(task, BERLIN)
    todo = only_todo(text)
    assert str(todo["UID"]) == "t1@tasklive"
    assert int(todo["PRIORITY"]) == 3
    assert str(todo["STATUS"]) == "NEEDS-ACTION"
    assert todo["DUE"].params["TZID"] == "Europe/Berlin"
    assert read_object(text, BERLIN).fields == fields
    assert todo_object(task, BERLIN) == text


def test_all_day_due_absolute_alarm_and_floating_times():
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTODO\r\nUID:a\r\nSUMMARY:Day\r\n"
        "DUE;VALUE=DATE:20261224\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n"
        "TRIGGER;VALUE=DATE-TIME:20261223T180000Z\r\nEND:VALARM\r\nEND:VTODO\r\n"
        "BEGIN:VTODO\r\nUID:b\r\nSUMMARY:Floating\r\nDUE:20261224T090000\r\n"
        "STATUS:COMPLETED\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
    )
    day, floating = read_todos(text, BERLIN)
    assert day.fields.due == date(2026, 12, 24)
    assert day.fields.remind_at == datetime(2026, 12, 23, 18, 0, tzinfo=UTC)
    assert floating.fields.due == datetime(2026, 12, 24, 9, 0)
    assert floating.fields.completed is True
    assert "UID:b" not in day.text and "UID:b" in floating.text


def test_an_export_holds_every_task():
    tasks = [task_from(TodoFields(title=f"t{n}"), f"{n}@tasklive", None) for n in range(3)]
    calendar = Calendar.from_ical(calendar_of(tasks, BERLIN, "Mine"))
    assert [str(t["SUMMARY"]) for t in calendar.walk("VTODO")] == ["t0", "t1", "t2"]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"not a calendar", CalendarDataError),
        (SAMPLE.replace("VTODO", "VEVENT").encode(), NotATodoError),
        (SAMPLE.replace("UID:client-uid-1\r\n", "").encode(), CalendarDataError),
        (SAMPLE.replace("20261210T180000", "99991231T235959").encode(), CalendarDataError),
        (
            SAMPLE.replace("END:VTODO", "END:VTODO\r\nBEGIN:VTODO\r\nUID:2\r\nEND:VTODO").encode(),
            CalendarDataError,
        ),
    ],
)
def test_data_that_is_not_one_vtodo_is_refused(body, error):
    with pytest.raises(error):
        read_object(body, BERLIN)
