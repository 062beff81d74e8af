"""Deleting an account: the password re-typed, then every row, token and live connection is gone."""

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from tasklive.db import Base
from tasklive.services import services_of
from tests.agent.fixtures import echo, recorder, runner
from tests.auth.test_revocation_closes import WAIT, account, close_code, streams
from tests.support.live import serving


@pytest.fixture
async def base_url(app: Any) -> Any:
    async with serving(app) as url:
        yield url


async def rows_of(app: Any, user_id: str) -> dict[str, int]:
    """How many rows each table holds that belong to the user (by a user_id column or id)."""
    counts = {}
    async with services_of(app).sessionmaker() as session:
        for table in Base.metadata.sorted_tables:
            column = table.c.get("user_id")
            if column is None and table.name == "users":
                column = table.c.id
            if column is None:
                continue
            found = await session.scalar(select(func.count()).where(column == user_id))
            counts[table.name] = found or 0
    return counts


async def test_deleting_the_account_removes_every_row_token_and_connection(app, base_url):
    async with httpx.AsyncClient(base_url=base_url, timeout=WAIT) as http:
        user = await account(http, "leaving@example.com")
        other = await account(http, "staying@example.com")
        uid, headers = user["id"], user["headers"]
        await http.post("/api/tasks", json={"title": "mine"}, headers=headers)
        await http.post("/api/tasks", json={"title": "theirs"}, headers=other["headers"])
        said = await http.post(f"/api/{uid}/chat", json={"message": "add milk"}, headers=headers)
        assert said.status_code == 200
        before = await rows_of(app, uid)
        assert before["tasks"] == 2 and before["messages"] == 2 and before["auth_sessions"] == 2

        async with (
            streams(base_url, uid, user["token"]) as (socket, sse),
            streams(base_url, uid, user["other_session"]) as (other_socket, _),
            streams(base_url, uid, user["pat"]["token"]) as (pat_socket, _),
        ):
            wrong = await http.request(
                "DELETE", "/api/auth/me", json={"password": "not it at all"}, headers=headers
            )
            assert wrong.status_code == 403
            assert wrong.json()["code"] == "wrong_password"
            assert (await rows_of(app, uid))["tasks"] == 2

            gone = await http.request(
                "DELETE", "/api/auth/me", json={"password": "right password"}, headers=headers
            )
            assert gone.status_code == 204
            assert await close_code(socket) == 1008
            assert await close_code(other_socket) == 1008
            assert await close_code(pat_socket) == 1008
            assert await sse.ends()

        assert set((await rows_of(app, uid)).values()) == {0}
        for token in (user["token"], user["other_session"], user["pat"]["token"]):
            answer = await http.get("/api/tasks", headers={"Authorization": f"Bearer {token}"})
            assert answer.status_code == 401
        signed_in = await http.post(
            "/api/auth/sign-in", json={"email": "leaving@example.com", "password": "right password"}
        )
        assert signed_in.status_code == 401
        theirs = await http.get("/api/tasks", headers=other["headers"])
        assert [t["title"] for t in theirs.json()["items"]] == ["theirs"]


__all__ = ["echo", "recorder", "runner"]


@pytest.fixture
def settings_overrides(request):
    return getattr(request, "param", {})


@pytest.mark.parametrize("settings_overrides", [{"run_renew_seconds": 0.05}], indirect=True)
async def test_deleting_an_account_stops_its_running_turn(client, sign_up, echo, runner):
    """A model call of a deleted account does not run on (and bill) to its end."""
    alice = await sign_up()
    echo.gate = asyncio.Event()  # the model never answers on its own
    started = await client.post(
        f"/api/{alice['user']['id']}/chat?wait=false",
        json={"message": "hello"},
        headers=alice["headers"],
    )
    await asyncio.wait_for(echo.started.wait(), 10)
    turn = runner.running(started.json()["run_id"])
    assert turn is not None
    deleted = await client.request(
        "DELETE", "/api/auth/me", json={"password": alice["password"]}, headers=alice["headers"]
    )
    assert deleted.status_code == 204
    result = await asyncio.wait_for(turn.result(), 10)
    assert result.outcome.value in ("cancelled", "interrupted")
