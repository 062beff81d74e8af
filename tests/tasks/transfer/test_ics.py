"""iCalendar VTODOs in and out (the CalDAV mapping): fields, kept properties, idempotence."""

from datetime import datetime
from pathlib import Path

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
