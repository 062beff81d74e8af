"""150 chat messages at once from one user against `tasklive serve` on PostgreSQL: 100 and 50."""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.conftest import SECRET
from tests.support.backends import create_postgres_database, drop_postgres_database
from tests.support.service import ServiceProcess

pytestmark = pytest.mark.slow

LIMIT, BURST = 100, 150


@pytest.fixture
async def database() -> AsyncIterator[str]:
    url = await create_postgres_database()
    try:
        yield url
    finally:
        await drop_postgres_database(url)


async def test_a_burst_over_the_daily_limit_gets_exactly_limit_replies(database, tmp_path: Path):
    env = {
        "TASKLIVE_DATA_DIR": str(tmp_path / "data"),
        "TASKLIVE_DATABASE_URL": database,
        "TASKLIVE_BROKER_URL": "memory://",
        "TASKLIVE_MODEL": "offline",
        "TASKLIVE_SECRET_KEY": SECRET,
        "TASKLIVE_DAILY_MESSAGE_LIMIT": str(LIMIT),
    }
    limits = httpx.Limits(max_connections=BURST, max_keepalive_connections=BURST)
    with ServiceProcess(env, log_path=tmp_path / "service.log") as service:
        async with httpx.AsyncClient(base_url=service.url, timeout=120, limits=limits) as http:
            body = {"email": "burst@example.com", "password": "correct horse"}
            account = (await http.post("/api/auth/sign-up", json=body)).json()
            uid, headers = (
                account["user"]["id"],
                {"Authorization": f"Bearer {account['access_token']}"},
            )
            answers = await asyncio.gather(
                *(
                    http.post(
                        f"/api/{uid}/chat", json={"message": f"add task burst {i}"}, headers=headers
                    )
                    for i in range(BURST)
                )
            )
    statuses = Counter(answer.status_code for answer in answers)
    assert statuses == {200: LIMIT, 429: BURST - LIMIT}, statuses
    for answer in answers:
        if answer.status_code == 429:
            assert int(answer.headers["Retry-After"]) >= 1
            assert answer.json()["limit"] == LIMIT
            assert datetime.fromisoformat(answer.json()["reset_at"]) > datetime.now().astimezone()
        else:
            assert answer.json()["response"]
    connection = await asyncpg.connect(database)
    try:
        replies = await connection.fetchval(
            "SELECT count(*) FROM messages WHERE role = 'assistant'"
        )
        asked = await connection.fetchval("SELECT count(*) FROM messages WHERE role = 'user'")
        tasks = await connection.fetchval("SELECT count(*) FROM tasks")
    finally:
        await connection.close()
    assert (replies, asked, tasks) == (LIMIT, LIMIT, LIMIT)
