"""`tasklive import` and `tasklive export` against a served app, as a user runs them."""

import asyncio
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from tasklive.terminal.transfer import run_import
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
        assert code == 0 and "Would create 6, updated 0, 0 unchanged" in out
        code, out, _ = await tasklive(url, token, "import", str(source), "--format", "todoist")
        assert code == 0 and "Created 6" in out
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
    assert "Created 1, updated 0" in screen.getvalue()
    assert "tasks item 2: due '[/x]' is not a date or date-time" in screen.getvalue()
    assert code == 1  # one item was left out
