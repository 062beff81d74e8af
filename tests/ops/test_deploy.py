"""deploy/run.py: three instances behind HAProxy; one is SIGKILLed, no tab loses an event."""

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import InvalidHandshake, WebSocketException

from tests.realtime.conftest import next_event, open_ws
from tests.support.backends import (
    REDIS_URL,
    create_postgres_database,
    drop_postgres_database,
    drop_redis_prefix,
    redis_prefix,
)
from tests.support.service import free_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("haproxy") is None, reason="make haproxy installs it"),
]

ROOT = Path(__file__).resolve().parents[2]
TABS = 6
TASKS = 24
KILL_AFTER = 8
RECONNECT_PAUSE = 0.2  # a client's back-off between reconnects, not a wait for the test


@dataclass
class Deployment:
    url: str
    instances: dict[str, int]  # name -> pid

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://")


@pytest.fixture
async def deployment(tmp_path: Path) -> AsyncIterator[Deployment]:
    database, prefix = await create_postgres_database(), await redis_prefix()
    ports = ",".join(str(free_port()) for _ in range(3))
    command = [
        sys.executable, str(ROOT / "deploy" / "run.py"), "--database-url", database,
        "--broker-url", f"{REDIS_URL}/0?prefix={prefix}", "--port", str(free_port()),
        "--instance-ports", ports, "--data-dir", str(tmp_path / "deploy"),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE)
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(asyncio.to_thread(process.stdout.readline), 120)
        ready = json.loads(line)
        yield Deployment(ready["load_balancer"], {i["name"]: i["pid"] for i in ready["instances"]})
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
        await drop_redis_prefix(prefix)
        await drop_postgres_database(database)


@dataclass
class Tab:
    """A browser tab's live stream through the load balancer: it reconnects and resumes."""

    base_url: str
    user_id: str
    token: str
    served_by: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    recovered: list[bool] = field(default_factory=list)
    position: tuple[str, int] | None = None
    opened: asyncio.Event = field(default_factory=asyncio.Event)
    settled: asyncio.Event = field(default_factory=asyncio.Event)  # connected, any resume answered
    finished: defaultdict[str, asyncio.Event] = field(
        default_factory=lambda: defaultdict(asyncio.Event)
    )
    notes: list[tuple[dict[str, Any], int]] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def follow(self) -> None:
        url = f"{self.base_url}/ws/{self.user_id}/chat?token={self.token}"
        while True:
            query = (
                f"&last_seq={self.position[1]}&epoch={self.position[0]}" if self.position else ""
            )
            self.settled.clear()
            try:
                async with open_ws(url + query) as ws:
                    self.served_by.append(ws.response.headers["X-Tasklive-Instance"])
                    await self._read(ws)
            except (WebSocketException, InvalidHandshake, OSError, TimeoutError):
                await asyncio.sleep(RECONNECT_PAUSE)

    async def _read(self, ws: Any) -> None:
        while True:
            event = await next_event(ws, timeout=60)
            kind = event["event_type"]
            if kind == "connection_established":
                if self.position is None:
                    self.settled.set()
                self.position = self.position or (event["epoch"], event["seq"])
                self.opened.set()
            elif kind == "resumed":
                self.recovered.append(event["recovered"])
                self.notes.append((event, len(self.events)))
                self.settled.set()
            else:
                self.events.append(event)
                self.position = (event["epoch"], event["seq"])
                if kind == "agent_done":
                    self.finished[event["run_id"]].set()


async def create_task(http: httpx.AsyncClient, title: str, headers: dict[str, str]) -> bool:
    """Create a task, retrying while the balancer reroutes (a lost answer may still have landed)."""
    for _ in range(10):
        try:
            response = await http.post("/api/tasks", json={"title": title}, headers=headers)
        except httpx.TransportError:
            continue
        if response.status_code == 201:
            return True
        await asyncio.sleep(RECONNECT_PAUSE)
    return False


async def drive(deployment: Deployment, tabs: list[Tab]) -> tuple[str, str]:
    """Stream task changes to the tabs, SIGKILL the first tab's instance midway, end with a turn."""
    for tab in tabs:
        await asyncio.wait_for(tab.opened.wait(), 60)
    victim = tabs[0].served_by[0]
    assert any(tab.served_by[0] != victim for tab in tabs)  # leastconn spread them out
    async with httpx.AsyncClient(base_url=deployment.url, timeout=30) as http:
        for n in range(TASKS):
            if n == KILL_AFTER:
                os.kill(deployment.instances[victim], signal.SIGKILL)
            assert await create_task(http, f"task {n}", tabs[0].headers)
        chat = await http.post(
            f"/api/{tabs[0].user_id}/chat",
            json={"message": "add a task to call mom"},
            headers=tabs[0].headers,
        )
        assert chat.status_code == 200, chat.text
    return victim, chat.json()["run_id"]


async def test_tabs_resume_on_another_instance_when_one_is_killed(deployment: Deployment) -> None:
    async with httpx.AsyncClient(base_url=deployment.url, timeout=30) as http:
        body = {"email": "lb@example.com", "password": "correct horse"}
        account = (await http.post("/api/auth/sign-up", json=body)).json()
    token, user_id = account["access_token"], account["user"]["id"]
    tabs = [Tab(deployment.ws_url, user_id, token) for _ in range(TABS)]
    following = [asyncio.create_task(tab.follow()) for tab in tabs]
    try:
        victim, run_id = await drive(deployment, tabs)
        for tab in tabs:
            await asyncio.wait_for(tab.finished[run_id].wait(), 60)
            # A tab that reconnected late reads agent_done in its catch-up, before `resumed`.
            await asyncio.wait_for(tab.settled.wait(), 60)
    finally:
        for task in following:
            task.cancel()
    async with httpx.AsyncClient(base_url=deployment.url, timeout=30) as http:
        tasks = (await http.get("/api/tasks?limit=100", headers=tabs[0].headers)).json()
        ready = await http.get("/readyz")
    assert ready.status_code == 200  # the service goes on with two instances

    reference = tabs[-1].events
    assert [e["seq"] for e in reference] == list(range(1, len(reference) + 1))
    for tab in tabs:
        assert tab.events == reference  # every event, once, in order, through any resume
        if tab.served_by[0] == victim:
            assert len(tab.served_by) >= 2 and victim not in tab.served_by[1:]
            assert tab.recovered and all(tab.recovered), tab.notes
        else:
            assert tab.served_by == tab.served_by[:1] and not tab.recovered, tab.notes
    created = [e for e in reference if e["event_type"] == "task_created"]
    assert len(created) == tasks["total"] >= TASKS + 1
    assert reference[-1]["event_type"] == "agent_done"
