"""`/readyz` fails while a private Redis or PostgreSQL is stopped, and recovers after."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tasklive.app import create_app
from tasklive.config import Settings
from tests.conftest import SECRET
from tests.support.apps import services_of
from tests.support.private_servers import (
    PrivatePostgres,
    PrivateRedis,
    private_postgres,
    private_redis,
)


@pytest.fixture
def redis_server() -> Iterator[PrivateRedis]:
    with private_redis() as server:
        yield server


@pytest.fixture
def postgres_server() -> Iterator[PrivatePostgres]:
    with private_postgres() as server:
        yield server


@asynccontextmanager
async def running(tmp_path: Path, **values: Any) -> AsyncIterator[tuple[Any, httpx.AsyncClient]]:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", secret_key=SECRET, **values)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield app, http


async def test_ready_when_everything_answers(tmp_path: Path) -> None:
    async with running(tmp_path) as (_, http):
        ready = await http.get("/readyz")
        alive = await http.get("/healthz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": "ok", "broker": "ok"}
    assert alive.status_code == 200


async def test_not_ready_while_redis_is_stopped(tmp_path: Path, redis_server: PrivateRedis) -> None:
    async with running(tmp_path, broker_url=redis_server.url) as (app, http):
        assert (await http.get("/readyz")).status_code == 200
        reconnected = asyncio.Event()
        services_of(app).hub.broker.on_reconnect(reconnected.set)

        redis_server.stop()
        down = await http.get("/readyz")
        assert down.status_code == 503
        assert down.headers["Retry-After"]
        assert down.json() == {
            "error": "Not ready: the broker is unreachable.",
            "code": "unavailable",
            "database": "ok",
            "broker": "unreachable",
        }
        assert (await http.get("/healthz")).status_code == 200  # alive all the same

        redis_server.start()
        await asyncio.wait_for(reconnected.wait(), 30)
        assert (await http.get("/readyz")).status_code == 200


async def test_not_ready_while_postgres_is_stopped(
    tmp_path: Path, postgres_server: PrivatePostgres
) -> None:
    async with running(tmp_path, database_url=postgres_server.url) as (_, http):
        assert (await http.get("/readyz")).status_code == 200

        postgres_server.stop()
        down = await http.get("/readyz")
        assert down.status_code == 503
        body = down.json()
        assert (body["code"], body["database"], body["broker"]) == (
            "unavailable",
            "unreachable",
            "ok",
        )

        postgres_server.start()
        assert (await http.get("/readyz")).status_code == 200
