"""The handshake as browsers make it: compression offered and declined, and tabs in a burst."""

import asyncio
import json
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.realtime.conftest import WAIT, Live, User, next_event, open_ws, ws_url

TABS = 20


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"ws_concurrent_checks": 2}


async def test_compression_offered_is_declined_and_frames_are_plain(live: Live, new_user) -> None:
    # websockets offers permessage-deflate by default, as browsers and Node's ws do.
    user: User = await new_user()
    async with connect(ws_url(live, user), ping_interval=None, open_timeout=WAIT) as ws:
        assert "permessage-deflate" in ws.request.headers["Sec-WebSocket-Extensions"]
        assert "Sec-WebSocket-Extensions" not in ws.response.headers
        assert ws.protocol.extensions == []
        hello = json.loads(await asyncio.wait_for(ws.recv(), WAIT))
        assert hello["event_type"] == "connection_established"
        await ws.send(json.dumps({"type": "ping"}))
        assert json.loads(await asyncio.wait_for(ws.recv(), WAIT))["event_type"] == "pong"


async def test_tabs_connecting_at_once_are_all_checked_and_connected(live: Live, new_user) -> None:
    user: User = await new_user()
    stranger: User = await new_user()

    async def tab(token: str) -> tuple[str, int | None]:
        url = ws_url(live, User(user.id, token))
        async with open_ws(url) as ws:
            try:
                return (await next_event(ws))["event_type"], None
            except ConnectionClosed:
                return "", ws.close_code

    outcomes = await asyncio.gather(
        *(tab(stranger.token if n % 5 == 0 else user.token) for n in range(TABS))
    )
    assert outcomes.count(("connection_established", None)) == TABS - TABS // 5
    assert outcomes.count(("", 1008)) == TABS // 5
