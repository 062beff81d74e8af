"""A real `tasklive serve` with JSON logs: ids on every line, and no credential in any of them."""

import json
from pathlib import Path

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from websockets.exceptions import ConnectionClosed

from tests.conftest import SECRET
from tests.realtime.conftest import next_event, open_ws
from tests.support.service import ServiceProcess

pytestmark = pytest.mark.slow

ORIGIN = "http://app.example"
PASSWORD = "correct horse battery"


def percent_encoded(name: str) -> str:
    """`token` as `t%6Fken`: the same parameter to the server, different text in a log."""
    return f"{name[0]}%{ord(name[1]):02X}{name[2:]}"


async def drive_every_transport(service: ServiceProcess, tmp_path: Path) -> dict[str, str]:
    """REST, WebSocket, SSE and MCP traffic carrying the token every way a client might."""
    async with httpx.AsyncClient(base_url=service.url, timeout=20) as http:
        body = {"email": "logs@example.com", "password": PASSWORD}
        account = (await http.post("/api/auth/sign-up", json=body)).json()
        token, user_id = account["access_token"], account["user"]["id"]
        cookie = http.cookies.get("tasklive_session")
        assert cookie
        http.cookies.clear()
        bearer = {"Authorization": f"Bearer {token}"}

        traced = await http.get("/api/tasks", headers={**bearer, "X-Request-ID": "trace-42"})
        assert traced.headers["X-Request-ID"] == "trace-42"
        generated = await http.get("/api/tasks", headers=bearer)
        assert len(generated.headers["X-Request-ID"]) >= 16
        for query in ("token", "access_token", percent_encoded("token"), "x", "jwt"):
            await http.get(f"/api/tasks?{query}={token}&limit=5", headers=bearer)
        await http.get("/api/tasks", headers={"Cookie": f"tasklive_session={cookie}"})
        await http.post("/api/auth/sign-in", json=body)
        http.cookies.clear()
        await http.get("/api/tasks", headers={"Authorization": "Bearer not-a-valid-token"})

        ws = f"{service.ws_url}/ws/{user_id}/chat"
        for url, headers in (
            (f"{ws}?token={token}", {}),
            (f"{ws}?{percent_encoded('token')}={token}", {}),
            (f"{ws}?last_seq=0&token={token}", {}),
            (ws, bearer),
            (ws, {"Cookie": f"tasklive_session={cookie}", "Origin": ORIGIN}),
        ):
            async with open_ws(url, additional_headers=headers) as socket:
                assert (await next_event(socket))["event_type"] == "connection_established"
        async with open_ws(ws) as socket:
            await socket.send(json.dumps({"type": "auth", "token": token}))
            assert (await next_event(socket))["event_type"] == "connection_established"
            await socket.send(json.dumps({"type": "chat", "message": f"add a task {token}"}))
            await next_event(socket)
        async with open_ws(f"{ws}?token={token}x") as socket:
            with pytest.raises(ConnectionClosed):
                await next_event(socket)
            assert socket.close_code == 1008

        for url in (f"/api/{user_id}/events?token={token}", f"/api/{user_id}/events"):
            async with http.stream("GET", url, headers=bearer) as stream:
                assert (await anext(stream.aiter_lines())).startswith("retry:")

        async with (
            httpx2.AsyncClient(headers=bearer) as mcp_http,
            Client(streamable_http_client(f"{service.url}/mcp", http_client=mcp_http)) as mcp,
        ):
            assert not (await mcp.call_tool("add_task", {"title": "from mcp"})).is_error
        unauthorized = await http.post(f"/mcp?token={token}", json={}, headers=bearer | {
            "Authorization": f"Bearer {token}x"})  # fmt: skip
        assert unauthorized.status_code == 401
    return {"token": token, "cookie": cookie, "password": PASSWORD}


async def test_no_credential_in_any_log_line(tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    env = {
        "TASKLIVE_DATA_DIR": str(tmp_path / "data"),
        "TASKLIVE_SECRET_KEY": SECRET,
        "TASKLIVE_LOG_FORMAT": "json",
        "TASKLIVE_ALLOWED_ORIGINS": ORIGIN,
    }
    with ServiceProcess(env, log_path=log) as service:
        secrets = await drive_every_transport(service, tmp_path)
    text = log.read_text()
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]

    signature = secrets["token"].rsplit(".", 1)[1]
    for name, secret in (*secrets.items(), ("jwt signature", signature), ("key", SECRET)):
        assert secret not in text, f"the {name} is in the log"
    assert all({"ts", "level", "logger", "message"} <= set(line) for line in lines)
    access = [line for line in lines if line["logger"] == "uvicorn.access"]
    assert any(line.get("request_id") == "trace-42" for line in access)
    assert all(line.get("request_id") for line in access)
    assert any("t%6Fken=[redacted]" in line["message"] for line in access)
    assert any("/ws/" in line["message"] and "[redacted]" in line["message"] for line in lines)
