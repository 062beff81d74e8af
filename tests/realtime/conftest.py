"""A real uvicorn server in-process (WebSockets need one), accounts on it, and event helpers."""

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from websockets.asyncio.client import ClientConnection, connect

from tasklive.app import create_app
from tasklive.config import Settings
from tasklive.realtime.hub import Hub
from tasklive.server import Server, uvicorn_options
from tests.support.apps import services_of
from tests.support.backends import REDIS_URL, drop_redis_prefix, redis_prefix
from tests.support.redis_server import RedisServer

WAIT = 10.0
STARTUP = 60.0  # migrations and warm-up on a loaded machine; the wait ends as soon as it answers


@dataclass
class Live:
    """One running service: its app object (same event loop as the test) and its address."""

    app: FastAPI
    port: int
    server: Server

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def hub(self) -> Hub:
        return services_of(self.app).hub


@dataclass
class User:
    id: str
    token: str


async def start_live(settings: Settings) -> tuple[Live, asyncio.Task[None]]:
    """Serve `settings` on a socket that already listens, so clients may connect at once."""
    app = create_app(settings)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    options = {**uvicorn_options(settings), "log_config": None, "log_level": "warning"}
    server = Server(uvicorn.Config(app, lifespan="on", **options), app)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    live = Live(app, sock.getsockname()[1], server)
    async with httpx.AsyncClient(base_url=live.url, timeout=STARTUP) as http:
        response = await asyncio.wait_for(http.get("/healthz"), STARTUP)
        assert response.status_code == 200, response.text
    return live, task


async def stop_live(live: Live, task: asyncio.Task[None]) -> None:
    live.server.should_exit = True
    await asyncio.wait_for(task, 30)


@pytest.fixture
async def live(settings: Settings) -> AsyncIterator[Live]:
    """The service for this test's settings, running in-process on a free port."""
    running, task = await start_live(settings)
    try:
        yield running
    finally:
        await stop_live(running, task)


@asynccontextmanager
async def fresh_redis_broker_url() -> AsyncIterator[str]:
    """A broker URL on the machine's Redis under a fresh key prefix, removed afterwards."""
    prefix = await redis_prefix()
    try:
        yield f"{REDIS_URL}/0?prefix={prefix}"
    finally:
        await drop_redis_prefix(prefix)


@pytest.fixture
async def redis_broker_url() -> AsyncIterator[str]:
    """The machine's Redis under a fresh key prefix."""
    async with fresh_redis_broker_url() as url:
        yield url


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A private redis-server on a free port, not started yet; killed after the test."""
    server = RedisServer(tmp_path / "redis")
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def private_redis(redis_server: RedisServer) -> RedisServer:
    """A private redis-server, running, that the test may kill and restart."""
    return redis_server.start()


@pytest.fixture(params=["memory", "redis"])
async def broker_url(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """memory://, then the machine's Redis under a fresh key prefix."""
    if request.param == "memory":
        yield "memory://"
        return
    async with fresh_redis_broker_url() as url:
        yield url


@pytest.fixture
def new_user(live: Live) -> Callable[..., Awaitable[User]]:
    """Sign up an account on the live service."""
    counter = 0

    async def create() -> User:
        nonlocal counter
        counter += 1
        body = {"email": f"live{counter}@example.com", "password": "correct horse"}
        async with httpx.AsyncClient(base_url=live.url, timeout=30) as http:
            response = await http.post("/api/auth/sign-up", json=body)
        assert response.status_code == 201, response.text
        data = response.json()
        return User(data["user"]["id"], data["access_token"])

    return create


def ws_url(live: Live, user: User, path_user: str | None = None, **query: Any) -> str:
    """The WebSocket address for a user, with the token (unless token=None) and more query."""
    params = {"token": user.token, **query}
    pairs = "&".join(f"{key}={value}" for key, value in params.items() if value is not None)
    return f"ws://127.0.0.1:{live.port}/ws/{path_user or user.id}/chat" + (
        f"?{pairs}" if pairs else ""
    )


def open_ws(url: str, **options: Any) -> Any:
    """A websockets client without compression or keepalive noise."""
    return connect(url, compression=None, ping_interval=None, open_timeout=WAIT, **options)


async def next_event(ws: ClientConnection, timeout: float = WAIT) -> dict[str, Any]:
    """The next frame, decoded."""
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def events_until(
    ws: ClientConnection, last: Callable[[dict[str, Any]], bool], timeout: float = WAIT
) -> list[dict[str, Any]]:
    """Frames up to and including the first one `last` accepts."""
    received = []
    while True:
        event = await next_event(ws, timeout)
        received.append(event)
        if last(event):
            return received


def sqlite_url(tmp_path: Path) -> str:
    """For modules about delivery rather than storage: one SQLite file."""
    return f"sqlite+aiosqlite:///{tmp_path / 'tasklive.db'}"


@pytest.fixture
async def two(settings: Settings) -> AsyncIterator[list[Live]]:
    """Two instances of the service with the same settings (database, Redis prefix, secret)."""
    a, task_a = await start_live(settings)
    b, task_b = await start_live(settings)
    try:
        yield [a, b]
    finally:
        await stop_live(b, task_b)
        await stop_live(a, task_a)
