"""PostgreSQL stopped and restarted under a running service: 503 with Retry-After, then recovery."""

import asyncio

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tasklive.app import create_app
from tasklive.config import Settings
from tests.conftest import SECRET
from tests.mcp.client import INITIALIZE, MCP_ACCEPT
from tests.support.live import serving
from tests.support.private_servers import private_postgres

pytestmark = pytest.mark.slow


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.json()["code"] == "unavailable"
    assert int(response.headers["Retry-After"]) >= 1


async def ws_close_code(url: str) -> int:
    async with connect(url) as socket:
        try:
            await socket.recv()
        except ConnectionClosed as closed:
            return closed.rcvd.code
    raise AssertionError("the socket stayed open")


async def test_every_call_answers_503_while_the_database_is_down_and_recovers(tmp_path):
    with private_postgres() as postgres:
        settings = Settings(
            _env_file=None, data_dir=tmp_path, database_url=postgres.url, secret_key=SECRET
        )
        app = create_app(settings)
        async with (
            app.router.lifespan_context(app),
            serving(app) as base_url,
            httpx.AsyncClient(base_url=base_url, timeout=30) as http,
        ):
            body = {"email": "outage@example.com", "password": "long enough"}
            account = (await http.post("/api/auth/sign-up", json=body)).json()
            http.cookies.clear()
            uid, token = account["user"]["id"], account["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            assert (await http.post("/api/tasks", json={"title": "a"}, headers=headers)).is_success

            await asyncio.to_thread(postgres.stop)
            calls = [
                http.get("/api/tasks", headers=headers),
                http.post("/api/tasks", json={"title": "b"}, headers=headers),
                http.get("/api/auth/session", headers=headers),
                http.post("/api/auth/sign-in", json=body),
                http.post(f"/api/{uid}/chat", json={"message": "hi"}, headers=headers),
                http.get(f"/api/{uid}/conversations", headers=headers),
                http.get(f"/api/{uid}/events", headers=headers),
                http.post("/mcp", json=INITIALIZE, headers={**headers, **MCP_ACCEPT}),
            ]
            for call in calls:
                assert_unavailable(await call)
            ws_url = f"{base_url.replace('http', 'ws')}/ws/{uid}/chat?token={token}"
            assert await ws_close_code(ws_url) == 1013

            await asyncio.to_thread(postgres.start)
            listed = await http.get("/api/tasks", headers=headers)
            assert listed.status_code == 200
            assert [t["title"] for t in listed.json()["items"]] == ["a"]
            assert (await http.post("/api/auth/sign-in", json=body)).status_code == 200
