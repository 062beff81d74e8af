"""Revoking a credential closes the live streams it opened at once, on every instance."""

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tasklive.config import Settings
from tasklive.realtime.brokers.memory import MemoryBroker
from tasklive.realtime.credentials import LiveCredentials
from tasklive.realtime.hub import Hub
from tests.realtime.conftest import start_live, stop_live
from tests.support.live import serving
from tests.support.redis_server import RedisServer

WAIT = 10.0


class Sse:
    """An open event stream, read line by line."""

    def __init__(self, response: httpx.Response) -> None:
        self.lines = response.aiter_lines()

    async def next_event(self) -> dict[str, Any]:
        async for line in self.lines:
            if line.startswith("data:"):
                return json.loads(line[5:])
        raise AssertionError("the stream ended")

    async def ends(self) -> bool:
        """Whether the stream ends (without any further event) within WAIT seconds."""

        async def rest() -> list[str]:
            return [line async for line in self.lines if line.startswith("data:")]

        return await asyncio.wait_for(rest(), WAIT) == []


@asynccontextmanager
async def streams(base_url: str, user_id: str, token: str) -> AsyncIterator[tuple[Any, Sse]]:
    """A WebSocket and an SSE stream opened with `token`, both past connection_established."""
    bearer = {"Authorization": f"Bearer {token}"}
    ws_url = f"{base_url.replace('http', 'ws')}/ws/{user_id}/chat?token={token}"
    async with (
        httpx.AsyncClient(base_url=base_url, timeout=WAIT) as http,
        http.stream("GET", f"/api/{user_id}/events", headers=bearer) as response,
        connect(ws_url, open_timeout=WAIT) as socket,
    ):
        assert response.status_code == 200
        sse = Sse(response)
        assert (await sse.next_event())["event_type"] == "connection_established"
        assert json.loads(await socket.recv())["event_type"] == "connection_established"
        yield socket, sse


async def close_code(socket: ClientConnection) -> int:
    try:
        event = await asyncio.wait_for(socket.recv(), WAIT)
    except ConnectionClosed as closed:
        return closed.rcvd.code
    raise AssertionError(f"the socket stayed open and sent {event}")


async def still_live(socket: ClientConnection) -> bool:
    await socket.send(json.dumps({"type": "ping"}))
    return json.loads(await asyncio.wait_for(socket.recv(), WAIT))["event_type"] == "pong"


async def account(http: httpx.AsyncClient, email: str) -> dict[str, Any]:
    body = {"email": email, "password": "right password"}
    created = (await http.post("/api/auth/sign-up", json=body)).json()
    http.cookies.clear()
    second = (await http.post("/api/auth/sign-in", json=body)).json()["access_token"]
    http.cookies.clear()
    bearer = {"Authorization": f"Bearer {created['access_token']}"}
    pat = (await http.post("/api/auth/tokens", json={"name": "script"}, headers=bearer)).json()
    return {
        "id": created["user"]["id"],
        "token": created["access_token"],
        "headers": bearer,
        "other_session": second,
        "pat": pat,
    }


@pytest.fixture
async def base_url(app: Any) -> AsyncIterator[str]:
    async with serving(app) as url:
        yield url


async def test_sign_out_closes_that_sessions_streams_and_no_others(base_url):
    async with httpx.AsyncClient(base_url=base_url, timeout=WAIT) as http:
        user = await account(http, "closing@example.com")
        uid = user["id"]
        async with (
            streams(base_url, uid, user["token"]) as (socket, sse),
            streams(base_url, uid, user["other_session"]) as (other_socket, other_sse),
            streams(base_url, uid, user["pat"]["token"]) as (pat_socket, _),
        ):
            signed_out = await http.post("/api/auth/sign-out", headers=user["headers"])
            assert signed_out.status_code == 204
            assert await close_code(socket) == 1008
            assert await sse.ends()
            assert await still_live(other_socket)
            assert await still_live(pat_socket)
            created = await http.post(
                "/api/tasks",
                json={"title": "after"},
                headers={"Authorization": f"Bearer {user['other_session']}"},
            )
            assert created.status_code == 201
            assert json.loads(await other_socket.recv())["event_type"] == "task_created"
            assert (await other_sse.next_event())["event_type"] == "task_created"


async def test_deleting_a_token_closes_its_streams(base_url):
    async with httpx.AsyncClient(base_url=base_url, timeout=WAIT) as http:
        user = await account(http, "pat-closing@example.com")
        async with (
            streams(base_url, user["id"], user["pat"]["token"]) as (socket, sse),
            streams(base_url, user["id"], user["token"]) as (session_socket, _),
        ):
            url = f"/api/auth/tokens/{user['pat']['id']}"
            assert (await http.delete(url, headers=user["headers"])).status_code == 204
            assert await close_code(socket) == 1008
            assert await sse.ends()
            assert await still_live(session_socket)


@pytest.fixture
async def two_on_private_redis(settings: Settings, tmp_path: Path) -> AsyncIterator[list[str]]:
    """Two instances on one database and a private redis-server: their base URLs."""
    with RedisServer(tmp_path / "redis") as redis:
        shared = settings.model_copy(update={"broker_url": f"{redis.url}/0"})
        async with AsyncExitStack() as stack:
            urls = []
            for _ in range(2):
                live, task = await start_live(shared)
                stack.push_async_callback(stop_live, live, task)
                urls.append(live.url)
            yield urls


async def test_revoking_on_one_instance_closes_streams_on_the_other(two_on_private_redis):
    a, b = two_on_private_redis
    async with httpx.AsyncClient(base_url=a, timeout=WAIT) as http:
        user = await account(http, "two-instances@example.com")
        async with (
            streams(b, user["id"], user["token"]) as (socket, sse),
            streams(b, user["id"], user["pat"]["token"]) as (pat_socket, pat_sse),
        ):
            assert (await http.post("/api/auth/sign-out", headers=user["headers"])).is_success
            assert await close_code(socket) == 1008
            assert await sse.ends()
            assert await still_live(pat_socket)

            other = {"Authorization": f"Bearer {user['other_session']}"}
            url = f"/api/auth/tokens/{user['pat']['id']}"
            assert (await http.delete(url, headers=other)).status_code == 204
            assert await close_code(pat_socket) == 1008
            assert await pat_sse.ends()


async def test_a_stream_that_registers_just_after_the_revocation_is_closed_too():
    hub = Hub(MemoryBroker(100, 3600), Settings(_env_file=None))
    live = LiveCredentials(hub, concurrent_checks=1)
    await hub.start()
    try:
        checked = await hub.attach("u1")  # its credential was verified just before...
        await live.revoke("session:s1")  # ...the revocation landed
        live.opened("session:s1", checked)
        assert checked.close_code == 1008
        other = await hub.attach("u1")
        live.opened("session:s2", other)
        assert other.close_code is None
    finally:
        await hub.aclose()
