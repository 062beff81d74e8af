"""Sign-out and personal access tokens: once revoked, refused on REST, SSE, WebSocket and MCP."""

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.mcp.client import INITIALIZE, MCP_ACCEPT
from tests.support.live import serving

EVERYWHERE = {"rest": True, "sse": True, "websocket": True, "mcp": True}
NOWHERE = dict.fromkeys(EVERYWHERE, False)


@pytest.fixture
async def base_url(app: Any) -> AsyncIterator[str]:
    async with serving(app) as url:
        yield url


async def websocket_accepts(url: str) -> bool:
    async with connect(url) as socket:
        try:
            return json.loads(await socket.recv())["event_type"] == "connection_established"
        except ConnectionClosed as closed:
            assert closed.rcvd.code == 1008
            return False


async def accepted(base_url: str, user_id: str, token: str) -> dict[str, bool]:
    """Where `token` is accepted right now."""
    bearer = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        rest = await http.get("/api/tasks", headers=bearer)
        async with http.stream("GET", f"/api/{user_id}/events", headers=bearer) as sse:
            sse_status = sse.status_code
        mcp = await http.post("/mcp", json=INITIALIZE, headers={**MCP_ACCEPT, **bearer})
    ws_url = f"{base_url.replace('http', 'ws')}/ws/{user_id}/chat?token={token}"
    return {
        "rest": rest.status_code == 200,
        "sse": sse_status == 200,
        "websocket": await websocket_accepts(ws_url),
        "mcp": mcp.status_code == 200,
    }


async def test_sign_out_revokes_that_session_everywhere_and_only_it(base_url, client, sign_up):
    account = await sign_up("leaving@example.com", "right password")
    uid = account["user"]["id"]
    body = {"email": "leaving@example.com", "password": "right password"}
    other_session = (await client.post("/api/auth/sign-in", json=body)).json()["access_token"]
    client.cookies.clear()
    assert await accepted(base_url, uid, account["access_token"]) == EVERYWHERE

    signed_out = await client.post("/api/auth/sign-out", headers=account["headers"])
    assert signed_out.status_code == 204
    assert await accepted(base_url, uid, account["access_token"]) == NOWHERE
    assert await accepted(base_url, uid, other_session) == EVERYWHERE
    session = await client.get("/api/auth/session", headers=account["headers"])
    assert session.status_code == 401


async def test_signing_out_by_cookie_ends_the_cookie_session(client):
    body = {"email": "browser@example.com", "password": "right password"}
    signed_up = await client.post("/api/auth/sign-up", json=body)
    token = signed_up.json()["access_token"]
    assert (await client.get("/api/auth/session")).status_code == 200  # by cookie
    assert (await client.post("/api/auth/sign-out")).status_code == 204
    client.cookies.clear()
    revoked = await client.get("/api/auth/session", headers={"Authorization": f"Bearer {token}"})
    assert revoked.status_code == 401


async def test_another_site_cannot_sign_you_out(client):
    body = {"email": "kept@example.com", "password": "right password"}
    token = (await client.post("/api/auth/sign-up", json=body)).json()["access_token"]
    forced = await client.post("/api/auth/sign-out", headers={"Origin": "https://evil.example"})
    assert forced.status_code == 204
    client.cookies.clear()
    kept = await client.get("/api/auth/session", headers={"Authorization": f"Bearer {token}"})
    assert kept.status_code == 200


async def test_personal_access_token_works_everywhere_until_revoked(base_url, client, sign_up):
    account = await sign_up()
    uid = account["user"]["id"]
    created = await client.post(
        "/api/auth/tokens", json={"name": "  Claude Desktop "}, headers=account["headers"]
    )
    assert created.status_code == 201
    token = created.json()
    assert token["name"] == "Claude Desktop"
    assert token["token"].startswith("tlp_") and len(token["token"]) > 40
    assert await accepted(base_url, uid, token["token"]) == EVERYWHERE

    listed = (await client.get("/api/auth/tokens", headers=account["headers"])).json()
    assert listed == [
        {"id": token["id"], "name": "Claude Desktop", "created_at": token["created_at"]}
    ]

    revoked = await client.delete(f"/api/auth/tokens/{token['id']}", headers=account["headers"])
    assert revoked.status_code == 204
    assert await accepted(base_url, uid, token["token"]) == NOWHERE
    assert (await client.get("/api/auth/tokens", headers=account["headers"])).json() == []


async def test_tokens_are_private_to_their_user(client, sign_up):
    owner, stranger = await sign_up(), await sign_up()
    created = await client.post(
        "/api/auth/tokens", json={"name": "script"}, headers=owner["headers"]
    )
    token_id = created.json()["id"]
    assert (await client.get("/api/auth/tokens", headers=stranger["headers"])).json() == []
    foreign = await client.delete(f"/api/auth/tokens/{token_id}", headers=stranger["headers"])
    assert foreign.status_code == 404
    assert len((await client.get("/api/auth/tokens", headers=owner["headers"])).json()) == 1


async def test_a_token_needs_a_name_and_a_live_caller(client, sign_up):
    account = await sign_up()
    blank = await client.post("/api/auth/tokens", json={"name": "  "}, headers=account["headers"])
    assert blank.status_code == 422
    assert blank.json()["fields"][0]["field"] == "body.name"
    assert (await client.post("/api/auth/tokens", json={"name": "x"})).status_code == 401
    assert (
        await client.post(
            "/api/auth/tokens",
            json={"name": "x"},
            headers={"Authorization": "Bearer tlp_not-a-real-token"},
        )
    ).status_code == 401
