"""Against Debian's Taskwarrior: task export, import, export, task import, field by field."""

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.tasks.transfer.helpers import all_tasks, exported, imported

pytestmark = pytest.mark.skipif(shutil.which("task") is None, reason="needs Taskwarrior (`task`)")
RC = ["rc.confirmation=off", "rc.verbose=nothing", "rc.json.array=on", "rc.hooks=off"]


class Taskwarrior:
    """The `task` command on a private TASKDATA and TASKRC."""

    def __init__(self, home: Path) -> None:
        home.mkdir(parents=True)
        (home / "taskrc").write_text("")
        self.env = {
            **os.environ,
            "TASKDATA": str(home / "data"),
            "TASKRC": str(home / "taskrc"),
            "TZ": "UTC",
        }

    def __call__(self, *args: str, stdin: bytes | None = None) -> str:
        done = subprocess.run(
            ["task", *RC, *args], env=self.env, input=stdin, capture_output=True, check=True
        )
        return done.stdout.decode()

    def export(self) -> list[dict[str, Any]]:
        return json.loads(self("export"))


def comparable(tasks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Tasks by uuid without ids and urgency; a generated instance by its parent and index,
    without the uuid, entry and modified it got when generated (nor its parent's new modified)."""
    out = {}
    for task in tasks:
        task = {k: v for k, v in task.items() if k not in ("id", "urgency")}
        if task.get("status") == "recurring":
            task.pop("modified")
        if "parent" in task:
            for key in ("uuid", "entry", "modified"):
                task.pop(key)
            out[f"{task['parent']}#{task['imask']}"] = task
        else:
            out[task["uuid"]] = task
    return out


async def test_a_taskwarrior_export_comes_back_out_field_by_field(client, sign_up, tmp_path):
    first = Taskwarrior(tmp_path / "first")
    first("add", "Buy milk", "due:2026-12-20T10:00:00", "priority:H", "project:Home", "+shop")
    first("1", "annotate", "the oat kind")
    first("add", "Weekly review", "due:2026-12-14", "recur:weekly", "priority:M",
          "project:Work.Team", "+review", "+work")  # fmt: skip
    first("add", "Read a book", "priority:L", "scheduled:2026-12-10T08:30:00")
    first("add", "Old chore", "project:Home")
    first("4", "done")
    first("add", "Thrown away")
    first("5", "delete")
    source = first.export()
    assert len(source) == 6  # the recurring parent and its first instance, a deleted task too

    user = await sign_up()
    data = json.dumps(source).encode()
    report = await imported(client, user["headers"], "taskwarrior", "tw.json", data)
    assert (report["created"], report["skipped"], report["errors"]) == (4, 2, [])
    again = await imported(client, user["headers"], "taskwarrior", "tw.json", data)
    assert (again["created"], again["updated"], again["skipped"]) == (0, 0, 6)

    milk, review, book, chore = await all_tasks(client, user["headers"])
    assert milk["title"] == "Buy milk" and milk["priority"] == 1 and milk["list"] == "Home"
    assert milk["due"] == "2026-12-20T10:00:00Z" and milk["labels"] == ["shop"]
    assert milk["description"].endswith("Z the oat kind")
    assert review["recurrence"] == "FREQ=WEEKLY" and review["due"] == "2026-12-14"
    assert review["list"] == "Work.Team" and review["labels"] == ["review", "work"]
    assert book["priority"] == 3 and book["remind_at"] == "2026-12-10T08:30:00Z"
    assert chore["completed"] and chore["completed_at"]

    text = await exported(client, user["headers"], "taskwarrior")
    second = Taskwarrior(tmp_path / "second")
    (tmp_path / "out.json").write_bytes(text)
    second("import", str(tmp_path / "out.json"))
    alive = [task for task in source if task["status"] != "deleted"]
    assert comparable(second.export()) == comparable(alive)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_our_export_through_taskwarrior_imports_back_onto_the_same_tasks(
    client, sign_up, tmp_path
):
    user = await sign_up()
    for title in ("Buy milk", "Call mum"):
        answer = await client.post("/api/tasks", json={"title": title}, headers=user["headers"])
        assert answer.status_code == 201
    text = await exported(client, user["headers"], "taskwarrior")
    again = await imported(client, user["headers"], "taskwarrior", "tw.json", text)
    assert (again["created"], again["updated"], again["skipped"]) == (0, 0, 2)
    taskwarrior = Taskwarrior(tmp_path / "tw")
    (tmp_path / "out.json").write_bytes(text)
    taskwarrior("import", str(tmp_path / "out.json"))
    back = json.dumps(taskwarrior.export()).encode()
    report = await imported(client, user["headers"], "taskwarrior", "back.json", back)
    assert (report["created"], report["updated"], report["skipped"]) == (0, 0, 2)
    titles = [task["title"] for task in await all_tasks(client, user["headers"])]
    assert titles == ["Buy milk", "Call mum"]
