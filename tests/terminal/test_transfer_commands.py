"""`tasklive import` and `tasklive export` against a served app, as a user runs them."""

import asyncio
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from tasklive.terminal.transfer import import_summary, run_import
from tests.support.live import serving
from tests.tasks.transfer.test_todoist import TEMPLATE

TASKLIVE = str(Path(sys.executable).parent / "tasklive")


async def tasklive(url: str, token: str, *args: str) -> tuple[int, str, str]:
    env = {**os.environ, "TASKLIVE_URL": url, "TASKLIVE_TOKEN": token, "COLUMNS": "200"}
    process = await asyncio.create_subprocess_exec(
        TASKLIVE, *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await process.communicate()
    return process.returncode or 0, out.decode(), err.decode()


async def test_import_then_export_from_the_terminal(app: Any, sign_up, tmp_path, database_url):
    if not database_url.startswith("sqlite"):
        return  # the commands are HTTP clients; one backend shows them
    user = await sign_up()
    token = user["access_token"]
    source = tmp_path / "Home.csv"
    source.write_bytes(TEMPLATE)
    async with serving(app) as url:
        code, out, _ = await tasklive(
            url, token, "import", str(source), "-f", "todoist", "--dry-run"
        )
        assert (code, out) == (0, "Would create 6 tasks.\n")
        code, out, _ = await tasklive(url, token, "import", str(source), "--format", "todoist")
        assert (code, out) == (0, "Created 6 tasks.\n")
        code, out, _ = await tasklive(url, token, "import", str(source), "--format", "todoist")
        assert (code, out) == (0, "Nothing changed: 6 tasks are unchanged.\n")
        code, out, _ = await tasklive(url, token, "export", "--format", "json")
        assert code == 0
        assert [t["title"] for t in json.loads(out)["tasks"]][:2] == [
            "Buy milk",
            "Water the plants",
        ]
        target = tmp_path / "tasks.csv"
        code, _, err = await tasklive(url, token, "export", "-f", "csv", "-o", str(target))
        assert code == 0 and "Wrote" in err
        assert target.read_text().startswith("TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT")
        code, out, _ = await tasklive(url, "bad-token", "export")
        assert code == 2


async def test_a_reason_quoting_markup_from_the_file_is_printed_as_written(
    app: Any, sign_up, tmp_path, database_url
):
    if not database_url.startswith("sqlite"):
        return  # the commands are HTTP clients; one backend shows them
    user = await sign_up()
    backup = {"format": "tasklive", "version": 1, "tasks": [
        {"id": "a", "title": "fine"}, {"id": "b", "title": "odd", "due": "[/x]"}]}  # fmt: skip
    source = tmp_path / "backup.json"
    source.write_text(json.dumps(backup))
    screen = io.StringIO()
    console = Console(file=screen, width=200, color_system=None)
    async with serving(app) as url:
        code = await run_import(url, user["access_token"], source, "json", False, console)
    assert screen.getvalue().startswith("Created 1 task.\n")
    assert "tasks item 2: due '[/x]' is not a date or date-time" in screen.getvalue()
    assert code == 1  # one item was left out


@pytest.mark.parametrize(
    ("counts", "dry_run", "said"),
    [
        ((3, 1, 2), True, "Would create 3 tasks and update 1; 2 unchanged."),
        ((3, 1, 2), False, "Created 3 tasks and updated 1; 2 unchanged."),
        ((1, 0, 0), False, "Created 1 task."),
        ((0, 1, 0), True, "Would update 1 task."),
        ((0, 4, 1), False, "Updated 4 tasks; 1 unchanged."),
        ((0, 0, 1), True, "Nothing would change: 1 task is unchanged."),
        ((0, 0, 0), False, "Nothing changed."),
        ((1200, 0, 0), True, "Would create 1,200 tasks."),
    ],
)
def test_the_import_report_reads_as_a_sentence(counts, dry_run, said):
    report = dict(zip(("created", "updated", "skipped"), counts, strict=True))
    assert import_summary(report, dry_run) == said
