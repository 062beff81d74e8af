"""Todoist's CSV template in and out: row by row, idempotent, escaped, and its backup ZIP."""

import csv
import io
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tasklive.services import services_of
from tests.tasks.transfer.helpers import all_tasks, exported, imported

FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATE = (FIXTURES / "todoist_template.csv").read_bytes()
HEADER = "TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE\n"


def today() -> date:
    return datetime.now(UTC).date()


async def test_template_rows_become_tasks_row_by_row_and_again_creates_nothing(client, sign_up):
    user = await sign_up()
    headers = user["headers"]
    dry = await imported(client, headers, "todoist", "Home.csv", TEMPLATE, dry_run=True)
    assert await all_tasks(client, headers) == []
    real = await imported(client, headers, "todoist", "Home.csv", TEMPLATE)
    assert dry == real
    assert (real["created"], real["updated"], real["skipped"]) == (6, 0, 0)
    assert real["errors"] == []

    milk, plants, fern, review, rent, formula = await all_tasks(client, headers)
    assert milk["title"] == "Buy milk" and milk["labels"] == ["errands", "food"]
    assert milk["description"] == "Oat milk if they have it\n\nAsk for the big carton"  # note row
    assert milk["priority"] == 1 and milk["due"] == "2026-12-20" and milk["list"] == "Home"
    assert plants["priority"] is None  # Todoist's p4 is "no priority"
    assert plants["recurrence"] == "FREQ=WEEKLY;BYDAY=MO"
    first = date.fromisoformat(plants["due"])
    assert first.weekday() == 0 and 0 <= (first - today()).days < 7
    assert fern["title"] == "Repot the fern" and fern["priority"] == 3  # an indented sub-task
    assert fern["list"] == "Home"
    assert review["list"] == "Home / Work"  # after the section row
    assert review["recurrence"] == "FREQ=WEEKLY;BYDAY=FR" and review["priority"] == 2
    due = datetime.fromisoformat(review["due"])
    assert due.weekday() == 4 and due.astimezone(UTC).hour in (15, 16)  # 16:00 in Berlin
    assert rent["recurrence"] == "FREQ=MONTHLY;BYMONTHDAY=1"
    assert date.fromisoformat(rent["due"]).day == 1
    assert formula["title"] == '=HYPERLINK("http://evil.example")'  # stored as plain text

    again = await imported(client, headers, "todoist", "Home.csv", TEMPLATE)
    assert (again["created"], again["updated"], again["skipped"]) == (0, 0, 6)
    assert len(await all_tasks(client, headers)) == 6


async def test_csv_export_escapes_formulas_and_brings_the_same_tasks_into_another_account(
    client, sign_up
):
    user, other = await sign_up(), await sign_up()
    await imported(client, user["headers"], "todoist", "Home.csv", TEMPLATE)
    done = (await all_tasks(client, user["headers"]))[2]
    await client.patch(
        f"/api/tasks/{done['id']}", json={"completed": True}, headers=user["headers"]
    )
    text = (await exported(client, user["headers"], "csv")).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[:10] == [
        "TYPE", "CONTENT", "DESCRIPTION", "PRIORITY", "INDENT", "AUTHOR", "RESPONSIBLE", "DATE",
        "DATE_LANG", "TIMEZONE",
    ]  # fmt: skip
    by_title = {row["CONTENT"]: row for row in rows}
    assert by_title["Buy milk @errands @food"]["PRIORITY"] == "1"
    assert by_title["Water the plants"]["PRIORITY"] == "4"
    assert by_title["Water the plants"]["DATE"] == "every monday"
    assert by_title["Weekly review @work"]["PRIORITY"] == "2"
    assert by_title["Weekly review @work"]["DATE"].startswith("every friday at ")
    assert by_title["Pay rent"]["DATE"] == "every 1st"
    assert by_title["Repot the fern"]["COMPLETED"] == "1"
    assert '\'=HYPERLINK("http://evil.example")' in by_title
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@")), cell

    report = await imported(client, other["headers"], "todoist", "export.csv", text.encode())
    assert (report["created"], report["errors"]) == (6, [])
    keys = ("title", "description", "completed", "due", "priority", "labels", "list", "recurrence")
    mine = [{k: t[k] for k in keys} for t in await all_tasks(client, user["headers"])]
    theirs = [{k: t[k] for k in keys} for t in await all_tasks(client, other["headers"])]
    assert theirs == mine
    again = await imported(client, user["headers"], "todoist", "export.csv", text.encode())
    assert (again["created"], again["updated"], again["skipped"]) == (0, 0, 6)


async def test_a_backup_zip_gives_one_list_per_project_file(client, sign_up):
    user = await sign_up()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("Groceries [2203306141].csv", TEMPLATE.decode().split("\nsection")[0])
        zipped.writestr(
            "Inbox [2203306140].csv", "TYPE,CONTENT,PRIORITY\ntask,Call mum @family,1\n"
        )
    report = await imported(client, user["headers"], "todoist", "backup.zip", archive.getvalue())
    assert report["created"] == 4
    lists = {t["title"]: t["list"] for t in await all_tasks(client, user["headers"])}
    assert lists == {
        "Buy milk": "Groceries",
        "Water the plants": "Groceries",
        "Repot the fern": "Groceries",
        "Call mum": None,  # the Inbox is no list
    }


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_our_csv_export_imports_back_unchanged_under_its_own_file_name(client, sign_up):
    user, other = await sign_up(), await sign_up()
    for body in (
        {"title": "No list, p4", "priority": 4},
        {"title": "Reminded", "due": "2026-12-20", "remind_at": "2026-12-19T10:00:00+01:00"},
        {"title": "Listed", "list": "Groceries", "priority": 1},
        {"title": "Mail @bob at home", "labels": ["home", "mail"]},
    ):
        answer = await client.post("/api/tasks", json=body, headers=user["headers"])
        assert answer.status_code == 201
    response = await client.get("/api/export", params={"format": "csv"}, headers=user["headers"])
    name = response.headers["content-disposition"].split('filename="')[1].rstrip('"')
    again = await imported(client, user["headers"], "todoist", name, response.content)
    assert (again["created"], again["updated"], again["skipped"]) == (0, 0, 4)
    moved = await imported(client, other["headers"], "todoist", name, response.content)
    assert (moved["created"], moved["errors"]) == (4, [])
    keys = ("title", "priority", "list", "due", "remind_at", "labels")
    mine = [{k: t[k] for k in keys} for t in await all_tasks(client, user["headers"])]
    theirs = [{k: t[k] for k in keys} for t in await all_tasks(client, other["headers"])]
    assert theirs == mine
    assert [t["list"] for t in mine] == [None, None, "Groceries", None]
    assert mine[0]["priority"] == 4 and mine[3]["title"] == "Mail @bob at home"


async def test_an_import_of_many_tasks_reaches_other_tabs_as_task_events(app, client, sign_up):
    user = await sign_up()
    rows = "".join(f"task,Task {n},,1,1,,,,en,UTC\n" for n in range(1, 251))
    first = (HEADER + rows).encode()
    report = await imported(client, user["headers"], "todoist", "Bulk.csv", first)
    assert report["created"] == 250
    hub = services_of(app).hub
    events = await hub.recent_events(user["user"]["id"], 1000)
    created = [e["result"]["title"] for e in events if e["event_type"] == "task_created"]
    assert created == [f"Task {n}" for n in range(1, 251)]  # in the file's order

    changed = (HEADER + rows.replace("Task 7,,1", "Task 7,,4")).encode()
    await imported(client, user["headers"], "todoist", "Bulk.csv", changed)
    events = await hub.recent_events(user["user"]["id"], 1000)
    [updated] = [e for e in events if e["event_type"] == "task_updated"]
    assert updated["result"]["title"] == "Task 7" and updated["result"]["priority"] != 1
