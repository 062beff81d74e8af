"""Running under uvicorn: 1001 on shutdown, and a JSON answer for every waiting request."""

import asyncio
import socket
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from websockets.exceptions import ConnectionClosed

from tasklive.config import Settings
from tasklive.health import JsonWhenCancelled
from tests.realtime.conftest import User, next_event, open_ws, sqlite_url, start_live, stop_live
from tests.realtime.conftest import ws_url as address


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path)


async def test_shutdown_closes_sockets_with_1001_and_ends_streams(settings: Settings) -> None:
    live, task = await start_live(settings)
    try:
        async with httpx.AsyncClient(base_url=live.url, timeout=10) as http:
            body = {"email": "bye@example.com", "password": "correct horse"}
            account = (await http.post("/api/auth/sign-up", json=body)).json()
            user = User(account["user"]["id"], account["access_token"])
            headers = {"Authorization": f"Bearer {user.token}"}
            async with (
                open_ws(address(live, user)) as ws,
                http.stream("GET", f"/api/{user.id}/events", headers=headers) as stream,
            ):
                await next_event(ws)
                lines = stream.aiter_lines()
                assert (await anext(lines)).startswith("retry:")
                live.server.should_exit = True
                with pytest.raises(ConnectionClosed):
                    await next_event(ws)
                assert ws.close_code == 1001
                rest = [line async for line in lines]  # the stream ends instead of hanging
                assert any("connection_established" in line for line in rest)
    finally:
        await stop_live(live, task)


async def test_a_request_cut_short_by_shutdown_still_gets_json() -> None:
    app = FastAPI()
    entered = asyncio.Event()

    @app.get("/slow")
    async def slow() -> None:
        entered.set()
        await asyncio.Event().wait()

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    config = uvicorn.Config(
        JsonWhenCancelled(app), lifespan="off", log_config=None, timeout_graceful_shutdown=0.2
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    async with httpx.AsyncClient(timeout=10) as http:
        request = asyncio.create_task(http.get(f"http://127.0.0.1:{sock.getsockname()[1]}/slow"))
        await asyncio.wait_for(entered.wait(), 10)
        server.should_exit = True
        response = await request
    await serving
    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"
    assert response.headers["Retry-After"]
