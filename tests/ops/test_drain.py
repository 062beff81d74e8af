"""SIGTERM mid-turn: the turn finishes, its POST gets JSON, its tab resumes on another instance."""

import asyncio
import json
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from tests.agent.openai_server import ScriptedOpenAI
from tests.conftest import SECRET
from tests.realtime.conftest import events_until, next_event, open_ws
from tests.support.backends import (
    REDIS_URL,
    create_postgres_database,
    drop_postgres_database,
    drop_redis_prefix,
    redis_prefix,
)
from tests.support.service import ServiceProcess

pytestmark = pytest.mark.slow


class GatedOpenAI(ScriptedOpenAI):
    """Holds every model request until `gate` opens; `asked` is set at the first one."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gate = asyncio.Event()
        self.asked = asyncio.Event()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.asked.set()
        await self.gate.wait()
        await super()._handle(reader, writer)


@pytest.fixture
async def model() -> AsyncIterator[GatedOpenAI]:
    replies = [{"tool": "add_task", "args": {"title": "buy milk"}}, {"text": "Added buy milk."}]
    async with GatedOpenAI(replies=replies) as server:
        yield server


@pytest.fixture
async def instances(tmp_path: Path, model: GatedOpenAI) -> AsyncIterator[list[ServiceProcess]]:
    database, prefix = await create_postgres_database(), await redis_prefix()
    env = {
        "TASKLIVE_DATABASE_URL": database,
        "TASKLIVE_BROKER_URL": f"{REDIS_URL}/0?prefix={prefix}",
        "TASKLIVE_SECRET_KEY": SECRET,
        "TASKLIVE_MODEL": "openai-chat:scripted",
        "TASKLIVE_OPENAI_BASE_URL": model.base_url,
        "TASKLIVE_LOG_FORMAT": "json",
    }
    services = [
        ServiceProcess(
            {**env, "TASKLIVE_DATA_DIR": str(tmp_path / f"data-{name}")},
            log_path=tmp_path / f"{name}.log",
        )
        for name in ("a", "b")
    ]
    try:
        for service in services:
            service.start()
        yield services
    finally:
        for service in services:
            service.stop()
        await drop_redis_prefix(prefix)
        await drop_postgres_database(database)


async def test_sigterm_mid_turn_loses_nothing(instances, model: GatedOpenAI, tmp_path) -> None:
    draining, staying = instances
    async with httpx.AsyncClient(timeout=60) as http:
        body = {"email": "drain@example.com", "password": "correct horse"}
        account = (await http.post(f"{staying.url}/api/auth/sign-up", json=body)).json()
        token, user_id = account["access_token"], account["user"]["id"]
        headers = {"Authorization": f"Bearer {token}"}
        path = f"/ws/{user_id}/chat?token={token}"

        async with open_ws(draining.ws_url + path) as tab:
            hello = await next_event(tab)
            chat = asyncio.create_task(
                http.post(
                    f"{draining.url}/api/{user_id}/chat",
                    json={"message": "Add a task to buy milk", "client_message_id": "m1"},
                    headers=headers,
                )
            )
            await asyncio.wait_for(model.asked.wait(), 30)  # the turn is waiting on the model
            assert draining.process is not None
            draining.process.send_signal(signal.SIGTERM)
            seen = []
            with pytest.raises(ConnectionClosed):
                while True:
                    seen.append(await next_event(tab))
            assert tab.close_code == 1001
        model.gate.set()  # the model answers while the instance drains
        reply = await asyncio.wait_for(chat, 60)
        assert draining.process.wait(30) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal

        assert reply.headers["content-type"] == "application/json"
        assert reply.status_code == 200, reply.text
        answer = reply.json()
        assert answer["response"] == "Added buy milk."

        last = seen[-1] if seen else hello
        resume = f"{path}&last_seq={last['seq']}&epoch={last['epoch']}"
        async with open_ws(staying.ws_url + resume) as tab:
            assert (await next_event(tab))["event_type"] == "connection_established"
            rest = await events_until(tab, lambda e: e["event_type"] == "resumed")
            assert rest[-1]["recovered"] is True

        run = seen + rest[:-1]
        assert [e["seq"] for e in run] == list(range(hello["seq"] + 1, hello["seq"] + len(run) + 1))
        kinds = [e["event_type"] for e in run]
        assert kinds[0] == "agent_thinking" and kinds.count("agent_done") == 1
        assert kinds[-1] == "agent_done" and run[-1]["response"] == "Added buy milk."
        assert "task_created" in kinds

        conversation = answer["conversation_id"]
        messages = await http.get(
            f"{staying.url}/api/{user_id}/conversations/{conversation}/messages", headers=headers
        )
        stored = [(m["role"], m["content"]) for m in messages.json()]
        assert stored == [("user", "Add a task to buy milk"), ("assistant", "Added buy milk.")]
        again = await http.post(
            f"{staying.url}/api/{user_id}/chat",
            json={"message": "Add a task to buy milk", "client_message_id": "m1"},
            headers=headers,
        )
        assert again.json()["response"] == "Added buy milk."  # replayed, not run twice
        tasks = await http.get(f"{staying.url}/api/tasks", headers=headers)
        assert [t["title"] for t in tasks.json()["items"]] == ["buy milk"]

    log = [json.loads(line) for line in (tmp_path / "a.log").read_text().splitlines()]
    assert not [line for line in log if line["level"] in ("ERROR", "CRITICAL")]
