"""iCalendar VTODOs in and out (the CalDAV mapping): fields, kept properties, idempotence."""

import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tasklive.tasks.transfer import ics
from tasklive.tasks.transfer.items import UnreadableFileError
from tests.tasks.transfer.helpers import all_tasks, exported, imported

TODOS = (Path(__file__).parent / "fixtures" / "todos.ics").read_bytes()


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


KEYS = ("title", "description", "completed", "due", "priority", "labels", "recurrence", "remind_at")


async def test_vtodos_import_once_and_export_with_what_tasklive_does_not_model(client, sign_up):
    user, other = await sign_up(), await sign_up()
    dry = await imported(client, user["headers"], "ics", "tasks.ics", TODOS, dry_run=True)
    report = await imported(client, user["headers"], "ics", "tasks.ics", TODOS)
    assert dry == report and (report["created"], report["errors"]) == (3, [])
    dentist, bins, taxes = await all_tasks(client, user["headers"])
    assert (
        dentist["title"] == "Call the dentist"
        and dentist["description"] == "Ask about the cleaning"
    )
    assert instant(dentist["due"]) == instant("2026-12-15T17:00:00+01:00")
    assert dentist["priority"] == 1
    assert dentist["labels"] == ["health", "phone"]
    assert instant(dentist["remind_at"]) == instant("2026-12-15T16:45:00+01:00")
    assert bins["due"] == "2026-12-16" and bins["recurrence"] == "FREQ=WEEKLY;BYDAY=WE"
    assert bins["priority"] == 3
    assert taxes["completed"] and taxes["completed_at"].startswith("2026-11-30T12:00:00")

    again = await imported(client, user["headers"], "ics", "tasks.ics", TODOS)
    assert (again["created"], again["updated"], again["skipped"]) == (0, 0, 3)

    text = await exported(client, user["headers"], "ics")
    assert text.count(b"BEGIN:VTODO") == 3 and text.count(b"BEGIN:VTIMEZONE") == 1
    assert b"X-APPLE-SORT-ORDER:42" in text and b"UID:call-dentist-1@example.com" in text
    moved = await imported(client, other["headers"], "ics", "export.ics", text)
    assert (moved["created"], moved["errors"]) == (3, [])
    mine = [{k: t[k] for k in KEYS} for t in await all_tasks(client, user["headers"])]
    theirs = [{k: t[k] for k in KEYS} for t in await all_tasks(client, other["headers"])]
    assert theirs == mine


async def test_a_cut_short_calendar_is_a_422_naming_the_item(client, sign_up):
    user = await sign_up()
    cut = TODOS[: TODOS.index(b"SUMMARY:File taxes")]
    answer = await imported(client, user["headers"], "ics", "cut.ics", cut, status=422)
    assert answer["error"].startswith("item 3:")
    assert await all_tasks(client, user["headers"]) == []


EVENT = "BEGIN:VEVENT\r\nUID:{0}\r\nDTSTART:20261201T100000Z\r\nSUMMARY:Meeting\r\nEND:VEVENT\r\n"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_calendar_of_events_says_no_tasks_were_found(client, sign_up):
    user = await sign_up()
    events = "".join(EVENT.format(n) for n in range(2))
    calendar = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n".encode()
    for dry_run in (True, False):
        report = await imported(client, user["headers"], "ics", "c.ics", calendar, dry_run=dry_run)
        assert (report["created"], report["updated"], report["skipped"]) == (0, 0, 0)
        reason = (
            "No tasks were found: the calendar holds 2 events and no tasks; "
            "calendar events are not imported."
        )
        assert report["errors"] == [{"item": "the file", "reason": reason}]
    journal = b"BEGIN:VCALENDAR\r\nBEGIN:VJOURNAL\r\nUID:j\r\nEND:VJOURNAL\r\nEND:VCALENDAR\r\n"
    report = await imported(client, user["headers"], "ics", "j.ics", journal)
    reason = "No tasks were found: the calendar holds no tasks (VTODO)."
    assert report["errors"] == [{"item": "the file", "reason": reason}]
    assert await all_tasks(client, user["headers"]) == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_our_ics_export_imports_back_unchanged_and_keeps_each_tasks_list(client, sign_up):
    user = await sign_up()
    for body in ({"title": "Milk", "list": "Groceries"}, {"title": "Call", "due": "2026-12-20"}):
        answer = await client.post("/api/tasks", json=body, headers=user["headers"])
        assert answer.status_code == 201
    text = await exported(client, user["headers"], "ics")
    again = await imported(client, user["headers"], "ics", "export.ics", text)
    assert (again["created"], again["updated"], again["skipped"]) == (0, 0, 2)
    assert [t["list"] for t in await all_tasks(client, user["headers"])] == ["Groceries", None]


class Reading(io.BytesIO):
    """A file that remembers how far it was read."""

    furthest = 0

    def readline(self, size: int | None = -1) -> bytes:
        line = super().readline(size)
        self.furthest = max(self.furthest, self.tell())
        return line


def test_a_vtodo_that_never_ends_is_refused_without_reading_the_rest():
    body = b"DESCRIPTION:" + b"x" * 70 + b"\r\n"
    endless = Reading(b"BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:a\r\n" + body * 120_000)
    with pytest.raises(UnreadableFileError, match="item 1: a VTODO over 4,194,304 bytes"):
        list(ics.read(endless, ZoneInfo("UTC")))
    assert endless.furthest < 5_000_000 < len(endless.getvalue())
    one_line = Reading(b"BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nDESCRIPTION:" + b"x" * 9_000_000)
    with pytest.raises(UnreadableFileError, match="line 3 is over 4,194,304 bytes"):
        list(ics.read(one_line, ZoneInfo("UTC")))
    assert one_line.furthest < 5_000_000


def test_a_task_and_its_overrides_stay_together_across_a_chunk():
    def todo(uid: str, extra: str = "") -> str:
        return f"BEGIN:VTODO\r\nUID:{uid}\r\nSUMMARY:{uid}\r\n{extra}END:VTODO\r\n"

    weekly = "DTSTART:20261201T090000Z\r\nRRULE:FREQ=WEEKLY\r\n"
    moved = "RECURRENCE-ID:20261208T090000Z\r\nDTSTART:20261208T100000Z\r\n"
    lines = [todo(f"t{n}") for n in range(ics.CHUNK - 1)]
    lines += [todo("weekly", weekly), todo("weekly", moved)]
    text = "BEGIN:VCALENDAR\r\n" + "".join(lines) + "END:VCALENDAR\r\n"
    items = list(ics.read(io.BytesIO(text.encode()), ZoneInfo("UTC")))
    assert len(items) == ics.CHUNK
    assert items[-1].uid == "weekly" and items[-1].ical.count("BEGIN:VTODO") == 2
    many = "BEGIN:VCALENDAR\r\n" + todo("same") * (ics.RUN_MAX + 1)
    with pytest.raises(UnreadableFileError, match="items 1-2000: more VTODOs share the UID"):
        list(ics.read(io.BytesIO(many.encode()), ZoneInfo("UTC")))
