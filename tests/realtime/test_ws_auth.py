"""Connecting: every way to authenticate, and every rejection (1008, before any event)."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed

from tasklive.auth.tokens import issue_token, start_session
from tasklive.realtime.events import make_event
from tests.conftest import SECRET
from tests.realtime.conftest import Live, User, next_event, open_ws, ws_url
from tests.support.apps import services_of

ESTABLISHED_KEYS = {"event_type", "message", "user_id", "connection_id", "seq", "epoch"}


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"ws_auth_timeout_seconds": 0.5, "allowed_origins": ["https://tasks.example.com"]}


async def assert_rejected(url: str, **options: Any) -> None:
    """The socket opens, then closes with 1008 without sending a single event."""
    async with open_ws(url, **options) as ws:
        with pytest.raises(ConnectionClosed):
            await next_event(ws)
    assert ws.close_code == 1008


async def test_token_in_query_then_events_in_order(live: Live, new_user) -> None:
    user: User = await new_user()
    async with open_ws(ws_url(live, user)) as ws:
        hello = await next_event(ws)
        assert set(hello) == ESTABLISHED_KEYS
        assert hello["event_type"] == "connection_established"
        assert hello["message"] == "Connected to real-time updates"
        assert hello["user_id"] == user.id
        assert hello["seq"] == 0
        for n in range(3):
            await live.hub.publish(user.id, make_event("tool_progress", f"Step {n}", run_id="r1"))
        events = [await next_event(ws) for _ in range(3)]
    assert [e["seq"] for e in events] == [1, 2, 3]
    assert [e["message"] for e in events] == ["Step 0", "Step 1", "Step 2"]
    assert {e["epoch"] for e in events} == {hello["epoch"]}
    assert all(e["run_id"] == "r1" and e["ts"].endswith("Z") for e in events)


async def test_bearer_header(live: Live, new_user) -> None:
    user = await new_user()
    headers = {"Authorization": f"Bearer {user.token}"}
    async with open_ws(ws_url(live, user, token=None), additional_headers=headers) as ws:
        assert (await next_event(ws))["event_type"] == "connection_established"


async def test_cookie_from_own_or_allowed_origin(live: Live, new_user) -> None:
    user = await new_user()
    for origin in (live.url, "https://tasks.example.com", None):
        headers = {"Cookie": f"tasklive_session={user.token}"}
        if origin:
            headers["Origin"] = origin
        async with open_ws(ws_url(live, user, token=None), additional_headers=headers) as ws:
            assert (await next_event(ws))["event_type"] == "connection_established"


async def test_cookie_from_foreign_origin_is_refused(live: Live, new_user) -> None:
    user = await new_user()
    headers = {"Cookie": f"tasklive_session={user.token}", "Origin": "https://evil.example"}
    await assert_rejected(ws_url(live, user, token=None), additional_headers=headers)


async def test_auth_frame(live: Live, new_user) -> None:
    user = await new_user()
    async with open_ws(ws_url(live, user, token=None)) as ws:
        await ws.send(f'{{"type": "auth", "token": "{user.token}"}}')
        assert (await next_event(ws))["event_type"] == "connection_established"


async def test_rejections(live: Live, new_user) -> None:
    user, other = await new_user(), await new_user()
    expired = issue_token(user.id, SECRET, minutes=-1).token
    await assert_rejected(ws_url(live, user, token=None))  # nothing within the auth timeout
    await assert_rejected(ws_url(live, user, token="not-a-token"))
    await assert_rejected(ws_url(live, user, token=expired))
    await assert_rejected(ws_url(live, user, path_user=other.id))
    await assert_rejected(ws_url(live, user, token=issue_token("ghost", SECRET, 5).token))


async def test_bad_auth_frames_are_refused(live: Live, new_user) -> None:
    user = await new_user()
    for frame in ('{"type": "auth", "token": "nope"}', '{"type": "ping"}', "hello"):
        async with open_ws(ws_url(live, user, token=None)) as ws:
            await ws.send(frame)
            with pytest.raises(ConnectionClosed):
                await next_event(ws)
        assert ws.close_code == 1008


async def test_the_seed_projects_path_is_the_same_endpoint(live: Live, new_user) -> None:
    user = await new_user()
    url = f"ws://127.0.0.1:{live.port}/api/ws/{user.id}/chat?token={user.token}"
    async with open_ws(url) as ws:
        hello = await next_event(ws)
        assert hello["event_type"] == "connection_established"
        await ws.send('{"type": "ping"}')
        assert (await next_event(ws))["event_type"] == "pong"


async def test_tabs_are_closed_when_their_session_expires(live: Live, new_user) -> None:
    user = await new_user()
    async with services_of(live.app).sessionmaker() as session:
        secret = services_of(live.app).settings.resolved_secret_key
        short = await start_session(session, user.id, secret, minutes=2 / 60)
    short_url = ws_url(live, User(user.id, short.token))
    async with (
        open_ws(short_url) as leaving,
        open_ws(short_url) as staying,
        open_ws(ws_url(live, user)) as other,
    ):
        for ws in (leaving, staying, other):
            assert (await next_event(ws))["event_type"] == "connection_established"
        await leaving.close()  # one tab of the session goes first: the other is still closed
        with pytest.raises(ConnectionClosed):
            await next_event(staying)
        assert datetime.now(UTC) >= short.expires_at - timedelta(milliseconds=50)
        await live.hub.publish(user.id, make_event("tool_progress", "Still open"))
        assert (await next_event(other))["message"] == "Still open"
    assert staying.close_code == 1008
