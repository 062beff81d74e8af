"""Files that cannot be read are a 422 naming the line or item, and change nothing."""

import json
import time

import pytest

from tests.tasks.transfer.helpers import all_tasks, imported

GOOD = "TYPE,CONTENT,PRIORITY\ntask,First,1\ntask,Second,2\n"


@pytest.mark.parametrize(
    ("format", "data", "names"),
    [
        ("todoist", "TYPE,CONTENT\ntask,caf\xe9\n".encode("latin-1"), "line 2"),
        ("todoist", b'TYPE,CONTENT\ntask,fine\ntask,"never closed\n', "line 3"),
        ("todoist", json.dumps([{"description": "a tw task"}]).encode(), "line 1"),
        ("taskwarrior", GOOD.encode(), "item 1"),
        ("taskwarrior", b'[{"description":"one","uuid":"a"},\n{"description":"tw', "item 2"),
        ("taskwarrior", b'[{"description":"caf\xe9","uuid":"a"}]', "item 1"),
        ("json", b'[{"description":"not ours"}]', "item 1"),
        ("json", b'{"format": "tasklive", "version": 1, "tasks": [{"title": "a"},', "1 tasks"),
        ("taskwarrior", b"", "The file is empty"),
        ("taskwarrior", b'[{"description":"a\x00b","uuid":"a"}]', "item 1"),
        ("json", b"", "not valid JSON"),
        ("ics", b"", "line 1"),
    ],
)
async def test_an_unreadable_file_is_a_422_naming_where_and_changes_nothing(
    client, sign_up, format, data, names
):
    user = await sign_up()
    for dry_run in (True, False):
        answer = await imported(
            client, user["headers"], format, "file", data, dry_run=dry_run, status=422
        )
        assert names in answer["error"], answer
        assert not {"parse error", "lexical", "premature"} & set(answer["error"].split(": "))
        assert "error:" not in answer["error"] and "EOF" not in answer["error"], answer
    assert await all_tasks(client, user["headers"]) == []


async def test_items_that_cannot_be_tasks_are_reported_and_the_rest_imported(client, sign_up):
    user = await sign_up()
    data = (
        "TYPE,CONTENT,PRIORITY,DATE\n"
        "task,Fine,1,\n"
        "task,   ,2,\n"
        "task,Odd date,3,every blue moon\n"
        "bogus,What is this,,\n"
        "note,orphan note,,\n"
    )
    # the orphan note follows "bogus", which is not a task
    report = await imported(client, user["headers"], "todoist", "x.csv", data.encode())
    assert report["created"] == 2
    reasons = {error["item"]: error["reason"] for error in report["errors"]}
    assert reasons["line 3"] == "it has no title"
    assert "every blue moon" in reasons["line 4"]
    assert "bogus" in reasons["line 5"]
    assert "note" in reasons["line 6"]


async def test_a_hundred_thousand_rows_are_read_in_one_go(client, sign_up, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("one backend is enough for the size; bench/bench_transfer.py times both")
    user = await sign_up()
    header = "TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE\n"
    rows = [f"task,Task number {n} @bulk,,{n % 4 + 1},1,,,,en,UTC\n" for n in range(100_000)]
    data = (header + "".join(rows)).encode()
    started = time.perf_counter()
    report = await imported(client, user["headers"], "todoist", "Bulk.csv", data, dry_run=True)
    print(f"100,000 rows read in {time.perf_counter() - started:.1f} s")
    assert (report["created"], report["errors"]) == (100_000, [])
    # writing them all is bench/bench_transfer.py's (10,000 rows take 4 s); here 1,000
    some = (header + "".join(rows[:1_000])).encode()
    report = await imported(client, user["headers"], "todoist", "Bulk.csv", some)
    page = await client.get("/api/tasks", params={"limit": 1}, headers=user["headers"])
    assert report["created"] == page.json()["total"] == 1_000


TASKWARRIOR = b'[{"uuid": "a1", "description": "tw task", "status": "pending"}]'
CALENDAR = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
TASKLIVE = b'{"format": "tasklive", "version": 1, "tasks": []}'
LOOKS = "{} looks like {}; import the file as {}"
WRONG_KINDS = [
    ("taskwarrior", b'{"a": 1}', "item 1 is not a task with a uuid and a description"),
    ("taskwarrior", b"[1, 2]", "item 1 is not a task with a uuid and a description"),
    ("taskwarrior", GOOD.encode(), LOOKS.format("item 1", "a Todoist CSV", "todoist")),
    ("taskwarrior", TASKLIVE, LOOKS.format("item 1", "a tasklive export", "json")),
    ("taskwarrior", CALENDAR, LOOKS.format("item 1", "an iCalendar file", "ics")),
    ("todoist", TASKWARRIOR, LOOKS.format("line 1", "a Taskwarrior export", "taskwarrior")),
    ("todoist", b"hello", "line 1 is not a header with TYPE and CONTENT columns"),
    ("ics", GOOD.encode(), LOOKS.format("line 1", "a Todoist CSV", "todoist")),
    ("ics", b"[1, 2]", "line 1 is not BEGIN:VCALENDAR"),
    ("json", TASKWARRIOR, LOOKS.format("item 1", "a Taskwarrior export", "taskwarrior")),
    ("json", b'{"a": 1}', 'item 1 has no "format": "tasklive" at the top'),
    ("json", b"hello", "item 1 is not valid JSON"),
]
NAMES = {"taskwarrior": "a Taskwarrior export", "todoist": "a Todoist CSV"}
NAMES |= {"ics": "an iCalendar file", "json": "a tasklive export"}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # only the reader differs
async def test_a_file_of_the_wrong_kind_is_one_sentence_saying_so(client, sign_up):
    user = await sign_up()
    for format, data, detail in WRONG_KINDS:
        answer = await imported(client, user["headers"], format, "file", data, status=422)
        error = f"This is not {NAMES[format]} ({detail})."
        assert answer == {"error": error, "code": "unreadable_file"}, (format, data)
