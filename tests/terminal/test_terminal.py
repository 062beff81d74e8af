"""`tasklive chat` and `tasklive tasks` as subprocesses against a served app, and reconnects."""

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
from rich.console import Console

from tasklive.chat.runner import TurnRunner
from tasklive.errors import WS_TRY_AGAIN_LATER
from tasklive.terminal.connection import RECONNECTED, EventStream
from tasklive.terminal.service import ServiceClient
from tasklive.terminal.table import task_table
from tests.agent.scripted import EchoModel
from tests.support.apps import running, services_of
from tests.support.live import serving

TIMEOUT = 60


@pytest.fixture
async def base_url(app: Any) -> AsyncIterator[str]:
    async with serving(app) as url:
        yield url


async def tasklive(*args: str, stdin: str = "", env: dict[str, str] | None = None):
    """Run the `tasklive` command; returns (exit status, stdout, stderr)."""
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith("TASKLIVE_")}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tasklive",
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**clean_env, "COLUMNS": "120", **(env or {})},
    )
    out, err = await asyncio.wait_for(process.communicate(stdin.encode()), TIMEOUT)
    return process.returncode, out.decode(), err.decode()


async def test_chat_line_shows_the_steps_and_reply_and_the_task_exists(base_url, client, sign_up):
    account = await sign_up()
    env = {"TASKLIVE_URL": base_url, "TASKLIVE_TOKEN": account["access_token"]}
    status, out, err = await tasklive("chat", stdin="add buy milk\n", env=env)
    assert status == 0, err
    assert "Live events are unavailable" not in out
    assert "✓ Created #1: buy milk" in out
    assert "buy milk" in out.split("✓ Created #1: buy milk", 1)[1]  # the reply, after the step
    tasks = (await client.get("/api/tasks", headers=account["headers"])).json()["items"]
    assert [(t["number"], t["title"]) for t in tasks] == [(1, "buy milk")]


async def test_chat_continues_one_conversation_and_shows_failed_steps(base_url, client, sign_up):
    account = await sign_up()
    lines = "add water plants\nmark task 9 as done\nmark task 1 as done\n"
    status, out, err = await tasklive(
        "chat", "--url", base_url, "--token", account["access_token"], stdin=lines
    )
    assert status == 0, err
    assert "✗" in out and "#9" in out
    tasks = (await client.get("/api/tasks", headers=account["headers"])).json()["items"]
    assert [(t["title"], t["completed"]) for t in tasks] == [("water plants", True)]
    conversations = await client.get(
        f"/api/{account['user']['id']}/conversations", headers=account["headers"]
    )
    assert len(conversations.json()) == 1


@pytest.mark.parametrize("settings_overrides", [{"daily_message_limit": 1}])
async def test_chat_shows_a_refused_message_and_goes_on(base_url, sign_up):
    account = await sign_up()
    lines = "add first thing\nadd second thing\n"
    status, out, err = await tasklive(
        "chat", "--url", base_url, "--token", account["access_token"], stdin=lines
    )
    assert status == 0, err
    assert "✓ Created #1: first thing" in out
    assert "second thing" not in out
    assert "limit" in out.lower()


async def test_chat_with_a_bad_token_says_so_and_fails(base_url):
    status, out, _ = await tasklive("chat", "--url", base_url, "--token", "nope", stdin="hi\n")
    assert status == 2
    assert "sign in again" in out.lower()


async def test_tasks_prints_the_list_as_a_table(base_url, client, sign_up):
    account = await sign_up()
    details = {"due": "2020-04-15", "priority": 1, "list": "Groceries", "labels": ["errand"]}
    for task in ({"title": "buy milk"}, {"title": "call mom", **details}):
        await client.post("/api/tasks", json=task, headers=account["headers"])
    first = (await client.get("/api/tasks", headers=account["headers"])).json()["items"][0]
    await client.patch(
        f"/api/tasks/{first['id']}", json={"completed": True}, headers=account["headers"]
    )
    status, out, err = await tasklive(
        "tasks", "--url", base_url, "--token", account["access_token"]
    )
    assert status == 0, err
    rows = [line for line in out.splitlines() if "buy milk" in line or "call mom" in line]
    assert len(rows) == 2
    assert "1" in rows[0] and "✓" in rows[0] and "buy milk" in rows[0]
    assert "2" in rows[1] and "✓" not in rows[1] and "call mom" in rows[1]
    for shown in ("2020-04-15", "P1", "Groceries", "#errand"):
        assert shown in rows[1]
    _, pending, _ = await tasklive(
        "tasks",
        "--status",
        "pending",
        env={"TASKLIVE_URL": base_url, "TASKLIVE_TOKEN": account["access_token"]},
    )
    assert "call mom" in pending and "buy milk" not in pending


async def _next(stream: EventStream, *kinds: str) -> dict[str, Any]:
    while True:
        event = await asyncio.wait_for(stream.events.get(), 10)
        if event["event_type"] in kinds:
            return event


async def test_event_stream_reconnects_and_resumes_missed_events(app, base_url, client, sign_up):
    account = await sign_up()
    user_id = account["user"]["id"]
    async with ServiceClient(base_url, account["access_token"]) as service:
        stream = EventStream(service, user_id)
        await stream.start()
        try:
            await client.post("/api/tasks", json={"title": "one"}, headers=account["headers"])
            assert (await _next(stream, "task_created"))["result"]["title"] == "one"
            for connection in services_of(app).hub.connections(user_id):
                connection.close(WS_TRY_AGAIN_LATER, drain=False)
            await client.post("/api/tasks", json={"title": "two"}, headers=account["headers"])
            await _next(stream, RECONNECTED)
            seen = [await _next(stream, "task_created", "resumed") for _ in range(2)]
            resumed, missed = sorted(seen, key=lambda e: e["event_type"] == "task_created")
            assert resumed["recovered"] is True
            assert missed["result"]["title"] == "two"
            assert stream.last_seq == missed["seq"]
            await client.post("/api/tasks", json={"title": "three"}, headers=account["headers"])
            after = await _next(stream, "task_created")
            assert (after["result"]["title"], after["seq"]) == ("three", missed["seq"] + 1)
        finally:
            await stream.close()


async def test_ctrl_c_during_a_run_cancels_it(app, base_url, client, sign_up):
    model = EchoModel(gate=asyncio.Event())
    services = services_of(app)
    runner = TurnRunner(services.settings, services.sessionmaker, services.hub, model.model())
    async with running(app, runner):
        account = await sign_up()
        clean_env = {k: v for k, v in os.environ.items() if not k.startswith("TASKLIVE_")}
        process = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "tasklive", "chat", "--url", base_url),
            *("--token", account["access_token"]),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env={**clean_env, "COLUMNS": "120"},
        )
        try:
            assert process.stdin is not None
            process.stdin.write(b"add paint the fence\n")
            await process.stdin.drain()
            await asyncio.wait_for(model.started.wait(), TIMEOUT)
            process.send_signal(signal.SIGINT)
            process.stdin.close()  # after the cancelled run, end of input ends the session
            output, errors = await asyncio.wait_for(process.communicate(), TIMEOUT)
            out, err = output.decode(), errors.decode()
        finally:
            model.gate.set()
    assert process.returncode == 0, err
    assert "Cancelled." in out
    tasks = (await client.get("/api/tasks", headers=account["headers"])).json()
    assert tasks["total"] == 0


TITLES = ("file taxes", "filed", "later")


def test_an_overdue_open_task_is_red_in_the_table() -> None:
    console = Console(record=True, width=120, force_terminal=True, color_system="truecolor")
    tasks = [
        {"number": 1, "title": "file taxes", "completed": False, "due": "2020-04-15"},
        {"number": 2, "title": "filed", "completed": True, "due": "2020-04-15"},
        {"number": 3, "title": "later", "completed": False, "due": "2031-01-20T17:00:00+01:00"},
    ]
    for task in tasks:
        task.setdefault("description", "")
    console.print(task_table(tasks, today=date(2026, 12, 2)))
    shown = console.export_text(styles=True).splitlines()
    lines = {title: next(line for line in shown if f" {title} " in line) for title in TITLES}
    assert "\x1b[1;31m2020-04-15" in lines["file taxes"]
    assert "31m2020-04-15" not in lines["filed"]
    assert "2031-01-20 17:00" in lines["later"]
