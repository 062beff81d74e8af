"""With Redis the per-user connection cap holds across instances; dead instances free places."""

import asyncio
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from tasklive.realtime.brokers.redis import RedisBroker
from tests.realtime.conftest import (
    WAIT,
    Live,
    User,
    next_event,
    open_ws,
    sqlite_url,
    ws_url,
)
from tests.support.redis_server import RedisServer

PREFIX = "cap-test"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path)


@pytest.fixture
def settings_overrides(private_redis: RedisServer) -> dict[str, Any]:
    return {"broker_url": f"{private_redis.url}/0?prefix={PREFIX}", "max_connections_per_user": 3}


async def sign_up(live: Live, email: str) -> User:
    async with httpx.AsyncClient(base_url=live.url, timeout=30) as http:
        body = {"email": email, "password": "correct horse"}
        data = (await http.post("/api/auth/sign-up", json=body)).json()
    return User(data["user"]["id"], data["access_token"])


async def refusal(url: str) -> tuple[int, str]:
    async with open_ws(url) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await next_event(ws)
    return closed.value.rcvd.code, closed.value.rcvd.reason


async def places_given_back(live: Live, user: User, still_open: int) -> None:
    """Until the instance noticed the closed tab and removed its claim from Redis."""
    while len(live.hub.connections(user.id)) > still_open:
        await asyncio.sleep(0.01)  # the server sees the close in its own time; no event says so
    await live.hub.broker.claims.settled()


async def test_the_cap_counts_the_tabs_of_every_instance(two: list[Live]) -> None:
    a, b = two
    user, other = await sign_up(a, "capped@example.com"), await sign_up(a, "other@example.com")
    async with AsyncExitStack() as stack:
        on_a = [await stack.enter_async_context(open_ws(ws_url(a, user))) for _ in range(2)]
        for ws in on_a:
            assert (await next_event(ws))["event_type"] == "connection_established"
        http_b = await stack.enter_async_context(
            httpx.AsyncClient(
                base_url=b.url, headers={"Authorization": f"Bearer {user.token}"}, timeout=30
            )
        )
        stream = await stack.enter_async_context(http_b.stream("GET", f"/api/{user.id}/events"))
        assert stream.status_code == 200

        refused_ws = await refusal(ws_url(b, user))
        async with httpx.AsyncClient(base_url=a.url, timeout=WAIT) as http_a:
            headers = {"Authorization": f"Bearer {user.token}"}
            refused_sse = await http_a.get(f"/api/{user.id}/events", headers=headers)
        async with open_ws(ws_url(b, other)) as someone_else:
            hello = await next_event(someone_else)

        await on_a[0].close()
        await asyncio.wait_for(places_given_back(a, user, still_open=1), WAIT)
        async with open_ws(ws_url(b, user)) as freed:
            after_close = await next_event(freed)

    assert refused_ws == (4029, "too many connections")
    assert refused_sse.status_code == 429
    assert refused_sse.json() == {"error": "too many connections", "code": "too_many_connections"}
    assert hello["event_type"] == "connection_established"
    assert after_close["event_type"] == "connection_established"


async def redis_now(broker: RedisBroker) -> float:
    seconds, micros = await broker.claims._client.time()
    return seconds + micros / 1_000_000


async def claim_runs_out(broker: RedisBroker, user_id: str, connection_id: str) -> float:
    """When, on Redis's clock, this broker's claim on a place runs out."""
    member = f"{broker.claims.instance}:{connection_id}"
    score = await broker.claims._client.zscore(broker.claims.key(user_id), member)
    assert score is not None
    return score


async def renewed_past(broker: RedisBroker, connection_id: str, moment: float) -> None:
    """Until the broker pushed its claim beyond `moment` (its renewer runs on its own timer)."""
    while await claim_runs_out(broker, "u1", connection_id) <= moment:
        await asyncio.sleep(0.05)


async def redis_clock_past(broker: RedisBroker, moment: float) -> None:
    while await redis_now(broker) <= moment:
        await asyncio.sleep(0.05)


async def lapsed(broker: RedisBroker, connection_id: str) -> None:
    """Until Redis's clock passes the claim's end (read again: a last renewal may land late)."""
    while await redis_now(broker) <= await claim_runs_out(broker, "u1", connection_id):
        await asyncio.sleep(0.05)


async def test_a_dead_instance_gives_its_places_back_and_a_live_one_keeps_them(
    private_redis: RedisServer,
) -> None:
    url = f"{private_redis.url}/0?prefix={PREFIX}"
    alive, dying = (RedisBroker(url, 100, 60, claim_seconds=1.5) for _ in range(2))
    await alive.connect()
    await dying.connect()
    try:
        assert await dying.claim("u1", "tab-1", limit=2)
        assert await alive.claim("u1", "tab-2", limit=2)
        first_expiry = max(
            await claim_runs_out(dying, "u1", "tab-1"), await claim_runs_out(alive, "u1", "tab-2")
        )
        await asyncio.wait_for(
            asyncio.gather(
                renewed_past(dying, "tab-1", first_expiry),
                renewed_past(alive, "tab-2", first_expiry),
            ),
            WAIT,
        )
        await asyncio.wait_for(redis_clock_past(alive, first_expiry), WAIT)
        kept = await alive.claim("u1", "tab-3", limit=2)

        renewer = dying.claims._renewer
        renewer.cancel()  # the instance dies: nobody renews its claim
        await asyncio.gather(renewer, return_exceptions=True)
        await asyncio.wait_for(lapsed(dying, "tab-1"), WAIT)
        after_death = await alive.claim("u1", "tab-3", limit=2)
        full_again = await alive.claim("u1", "tab-4", limit=2)
    finally:
        await dying.close()
        await alive.close()
    assert kept is False
    assert after_death is True
    assert full_again is False
