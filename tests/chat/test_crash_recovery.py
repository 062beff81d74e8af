"""`tasklive serve` killed with SIGKILL mid-turn on PostgreSQL: nothing hangs, retry works."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.agent.openai_server import ScriptedOpenAI
from tests.conftest import SECRET
from tests.realtime.conftest import next_event, open_ws
from tests.support.backends import (
    REDIS_URL,
    create_postgres_database,
    drop_postgres_database,
    drop_redis_prefix,
    redis_prefix,
)
from tests.support.service import ServiceProcess

pytestmark = pytest.mark.slow
WAIT = 30


@pytest.fixture
async def model() -> AsyncIterator[ScriptedOpenAI]:
    async with ScriptedOpenAI() as server:
        yield server


@pytest.fixture
async def environment(model: ScriptedOpenAI) -> AsyncIterator[dict[str, str]]:
    database, prefix = await create_postgres_database(), await redis_prefix()
    try:
        yield {
            "TASKLIVE_DATABASE_URL": database,
            "TASKLIVE_BROKER_URL": f"{REDIS_URL}/0?prefix={prefix}",
            "TASKLIVE_SECRET_KEY": SECRET,
            "TASKLIVE_MODEL": "openai-chat:scripted-model",
            "TASKLIVE_OPENAI_BASE_URL": model.base_url,
            "TASKLIVE_MODEL_RETRIES": "0",
            "TASKLIVE_RUN_LEASE_SECONDS": "2",
            "TASKLIVE_RUN_RENEW_SECONDS": "0.5",
            "TASKLIVE_RUN_SWEEP_SECONDS": "1",
        }
    finally:
        await drop_redis_prefix(prefix)
        await drop_postgres_database(database)


async def sign_up(http: httpx.AsyncClient) -> tuple[str, dict[str, str]]:
    body = {"email": "crash@example.com", "password": "correct horse"}
    account = (await http.post("/api/auth/sign-up", json=body)).json()
    return account["user"]["id"], {"Authorization": f"Bearer {account['access_token']}"}


async def until_done(ws, run_id: str) -> dict:
    while True:
        event = await next_event(ws, WAIT)
        if event["event_type"] == "agent_done" and event["run_id"] == run_id:
            return event


async def test_a_killed_instance_s_turn_is_finished_by_another(environment, model, tmp_path: Path):
    model.replies = [{"hang": True}, {"text": "Recovered."}, {"text": "Next answer."}]
    doomed = ServiceProcess({**environment, "TASKLIVE_DATA_DIR": str(tmp_path / "a")})
    survivor = ServiceProcess({**environment, "TASKLIVE_DATA_DIR": str(tmp_path / "b")})
    try:
        doomed.start()
        survivor.start()
        async with httpx.AsyncClient(base_url=survivor.url, timeout=WAIT) as http:
            uid, auth = await sign_up(http)
            token = auth["Authorization"].split()[1]
            async with open_ws(f"{survivor.ws_url}/ws/{uid}/chat?token={token}") as tab:
                assert (await next_event(tab))["event_type"] == "connection_established"
                started = await http.post(
                    f"{doomed.url}/api/{uid}/chat?wait=false",
                    json={"message": "are you there?", "client_message_id": "k-1"},
                    headers=auth,
                )
                assert started.status_code == 202
                run_id = started.json()["run_id"]
                await asyncio.wait_for(model.arrived.wait(), WAIT)
                doomed.kill()
                done = await until_done(tab, run_id)
                assert "interrupted" in done["error"]

            retried = await http.post(
                f"/api/{uid}/chat",
                json={"message": "are you there?", "client_message_id": "k-1"},
                headers=auth,
            )
            assert retried.status_code == 200, retried.text
            assert retried.json()["response"] == "Recovered."
            conversation = retried.json()["conversation_id"]
            after = await http.post(
                f"/api/{uid}/chat",
                json={"message": "and now?", "conversation_id": conversation},
                headers=auth,
            )
            assert after.json()["response"] == "Next answer."
            stored = await http.get(
                f"/api/{uid}/conversations/{conversation}/messages", headers=auth
            )
        roles = [(m["role"], m["content"]) for m in stored.json()]
        assert roles[0] == ("user", "are you there?")
        assert roles[1][0] == "assistant" and "interrupted" in roles[1][1]
        assert roles[2:] == [
            ("assistant", "Recovered."),
            ("user", "and now?"),
            ("assistant", "Next answer."),
        ]
    finally:
        doomed.kill()
        survivor.stop()


async def test_a_restarted_instance_finishes_its_own_leftovers_at_once(
    environment, model, tmp_path: Path
):
    model.replies = [{"hang": True}, {"text": "Recovered."}]
    slow_leases = {**environment, "TASKLIVE_RUN_LEASE_SECONDS": "600"}
    instance = ServiceProcess({**slow_leases, "TASKLIVE_DATA_DIR": str(tmp_path / "a")})
    try:
        instance.start()
        async with httpx.AsyncClient(base_url=instance.url, timeout=WAIT) as http:
            uid, auth = await sign_up(http)
            started = await http.post(
                f"/api/{uid}/chat?wait=false",
                json={"message": "are you there?", "client_message_id": "k-2"},
                headers=auth,
            )
            conversation = started.json()["conversation_id"]
            await asyncio.wait_for(model.arrived.wait(), WAIT)
            instance.kill()
            instance.start()  # same port, so the same instance name
            stored = await http.get(
                f"/api/{uid}/conversations/{conversation}/messages", headers=auth
            )
            assert [m["role"] for m in stored.json()] == ["user", "assistant"]
            assert "interrupted" in stored.json()[1]["content"]
            retried = await http.post(
                f"/api/{uid}/chat",
                json={"message": "are you there?", "client_message_id": "k-2"},
                headers=auth,
            )
            assert retried.json()["response"] == "Recovered."
    finally:
        instance.stop()
