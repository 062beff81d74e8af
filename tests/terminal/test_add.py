"""`tasklive add "TEXT"` as a subprocess against a served app: the task, and what was read."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.support.live import serving
from tests.terminal.test_terminal import tasklive


@pytest.fixture
async def base_url(app: Any) -> AsyncIterator[str]:
    async with serving(app) as url:
        yield url


async def test_add_creates_the_task_and_shows_what_it_recognised(base_url, client, sign_up):
    account = await sign_up()
    env = {"TASKLIVE_URL": base_url, "TASKLIVE_TOKEN": account["access_token"]}
    # Unquoted words are one line too ("#" would start a shell comment, so that one is quoted).
    status, out, err = await tasklive(
        "add", "call the landlord", "tomorrow at 5pm p1 #home", env=env
    )
    assert status == 0, err
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    lines = out.splitlines()
    assert lines[0] == f"Created #1: call the landlord · due {tomorrow} 17:00 · P1 · #home"
    assert lines[1].strip() == "call the landlord tomorrow at 5pm p1 #home"
    recognised = [" ".join(line.split()) for line in lines[2:]]
    assert recognised == [
        f"due “tomorrow at 5pm” → {tomorrow} 17:00",
        "priority “p1” → 1",
        "label “#home” → home",
    ]
    [task] = (await client.get("/api/tasks", headers=account["headers"])).json()["items"]
    assert (task["title"], task["priority"], task["labels"]) == ("call the landlord", 1, ["home"])
    assert task["due"].startswith(f"{tomorrow}T17:00")


async def test_add_says_why_in_a_sentence_and_writes_nothing(base_url, client, sign_up):
    account = await sign_up()
    env = {"TASKLIVE_URL": base_url, "TASKLIVE_TOKEN": account["access_token"]}
    status, out, _ = await tasklive("add", "what is on my list?", env=env)
    assert status == 2
    assert out.strip().endswith(".") and "Traceback" not in out and "422" not in out
    status, out, _ = await tasklive("add", "   ", env=env)
    assert (status, out.strip()) == (
        2,
        'Say what the task is, e.g. tasklive add "call the landlord tomorrow 9am p1".',
    )
    status, out, _ = await tasklive("add", "buy milk", "--url", base_url, "--token", "nope")
    assert status == 2 and "sign in again" in out.lower()
    assert (await client.get("/api/tasks", headers=account["headers"])).json()["items"] == []
