"""vdirsyncer and todoman (Debian's) against a real server: edits made offline reach the page."""

import asyncio
import json
import os
import re
import subprocess
from pathlib import Path

import httpx
import pytest
import websockets

pytestmark = pytest.mark.slow

VDIRSYNCER = """[general]
status_path = "{root}/status/"

[pair tasklive]
a = "local"
b = "remote"
collections = ["from a", "from b"]

[storage local]
type = "filesystem"
path = "{root}/calendars/"
fileext = ".ics"

[storage remote]
type = "caldav"
url = "{url}"
username = "{email}"
password = "{password}"
item_types = ["VTODO"]
"""

TODOMAN = """path = "{root}/calendars/*"
date_format = "%Y-%m-%d"
time_format = "%H:%M"
default_list = "tasks"
"""


class Laptop:
    """A desktop with vdirsyncer and todoman set up for one account."""

    def __init__(self, root: Path, device) -> None:
        self.root = root
        values = {"root": root, "url": device.base + "/", **_credentials(device)}
        (root / "vdirsyncer.conf").write_text(VDIRSYNCER.format(**values))
        (root / "todoman.py").write_text(TODOMAN.format(root=root))
        self.env = {
            **os.environ,
            "HOME": str(root),
            "XDG_CACHE_HOME": str(root / "cache"),
            "XDG_CONFIG_HOME": str(root / "config"),
        }

    def run(self, *args: str, stdin: str = "") -> str:
        done = subprocess.run(
            args, input=stdin, capture_output=True, text=True, env=self.env, timeout=120
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout + done.stderr

    def sync(self) -> str:
        config = str(self.root / "vdirsyncer.conf")
        return self.run("vdirsyncer", "-c", config, "-v", "INFO", "sync")

    def discover(self) -> None:
        config = str(self.root / "vdirsyncer.conf")
        self.run("vdirsyncer", "-c", config, "discover", stdin="y\n" * 10)

    def todo(self, *args: str) -> str:
        return self.run("todoman", "--config", str(self.root / "todoman.py"), *args)

    def todo_ids(self) -> dict[str, int]:
        listed = json.loads(self.todo("--porcelain", "list", "--status", "ANY"))
        return {item["summary"]: item["id"] for item in listed}


def _credentials(device) -> dict[str, str]:
    return {"email": device.email, "password": device.app_password}


def _transfers(output: str) -> list[str]:
    return re.findall(r"(?:Copying|Updating|Deleting)[^\n]*", output)


async def _events(tab, count: int) -> list[dict]:
    found = []
    while len(found) < count:
        event = json.loads(await asyncio.wait_for(tab.recv(), 30))
        if event["event_type"].startswith("task_"):
            found.append(event)
    return found


async def test_offline_edits_sync_to_the_page_and_quiet_rounds_move_nothing(device, tmp_path):
    me = device()
    me.add(title="post the letter")
    laptop = Laptop(tmp_path, me)
    await asyncio.to_thread(laptop.discover)
    await asyncio.to_thread(laptop.sync)
    assert [p.name for p in (tmp_path / "calendars").iterdir()] == ["tasks"]
    ws_url = me.base.replace("http", "ws") + f"/ws/{me.user_id}/chat"
    token = me.headers["Authorization"].split()[1]
    async with websockets.connect(f"{ws_url}?token={token}") as tab:
        json.loads(await tab.recv())
        laptop.todo("new", "-l", "tasks", "--due", "2026-12-24", "--priority", "high", "Buy stamps")
        ids = laptop.todo_ids()
        laptop.todo("done", str(ids["post the letter"]))
        laptop.todo("edit", str(ids["Buy stamps"]), "--due", "2026-12-28")
        uploaded = await asyncio.to_thread(laptop.sync)
        events = await _events(tab, 2)
    assert len(_transfers(uploaded)) == 2, uploaded
    kinds = sorted((e["event_type"], e["message"]) for e in events)
    assert kinds[0][0] == "task_created" and "Buy stamps" in kinds[0][1]
    assert kinds[1] == ("task_updated", "Marked #1 as complete")
    tasks = {t["title"]: t for t in me.tasks()}
    assert tasks["post the letter"]["completed"] is True
    stamps = tasks["Buy stamps"]
    # todoman's "high" is PRIORITY:4, which the contract's table makes p2.
    assert stamps["priority"] == 2 and stamps["due"].startswith("2026-12-28")
    activity = httpx.get(f"{me.base}/api/activity", headers=me.headers).json()["items"]
    assert {item["source"] for item in activity[:2]} == {"caldav"}
    for _ in range(2):
        quiet = await asyncio.to_thread(laptop.sync)
        assert _transfers(quiet) == [], quiet
