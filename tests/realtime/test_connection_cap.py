"""At most TASKLIVE_MAX_CONNECTIONS_PER_USER live connections per user, WebSocket and SSE."""

from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from tests.realtime.conftest import Live, next_event, open_ws, sqlite_url, ws_url


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path)


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"max_connections_per_user": 3}


async def test_the_connection_past_the_cap_is_refused_on_both_transports(
    live: Live, new_user
) -> None:
    user, other = await new_user(), await new_user()
    headers = {"Authorization": f"Bearer {user.token}"}
    async with AsyncExitStack() as stack:
        http = await stack.enter_async_context(
            httpx.AsyncClient(base_url=live.url, headers=headers, timeout=10)
        )
        stream = await stack.enter_async_context(http.stream("GET", f"/api/{user.id}/events"))
        assert stream.status_code == 200
        for _ in range(2):
            ws = await stack.enter_async_context(open_ws(ws_url(live, user)))
            assert (await next_event(ws))["event_type"] == "connection_established"

        async with open_ws(ws_url(live, user)) as refused:
            with pytest.raises(ConnectionClosed) as closed:
                await next_event(refused)
        refused_sse = await http.get(f"/api/{user.id}/events")
        async with open_ws(ws_url(live, other)) as someone_else:
            hello = await next_event(someone_else)

    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4029, "too many connections")
    assert refused_sse.status_code == 429
    assert refused_sse.json() == {"error": "too many connections", "code": "too_many_connections"}
    assert hello["event_type"] == "connection_established"  # the cap is per user


async def test_a_closed_connection_frees_its_place(live: Live, new_user) -> None:
    user = await new_user()
    async with AsyncExitStack() as stack:
        for _ in range(3):
            ws = await stack.enter_async_context(open_ws(ws_url(live, user)))
            await next_event(ws)
        connection = live.hub.connections(user.id)[0]
        connection.close(1013)
        async with open_ws(ws_url(live, user)) as ws:
            hello = await next_event(ws)
    assert hello["event_type"] == "connection_established"
