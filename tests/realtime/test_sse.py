"""`GET /api/{user_id}/events`: the same stream as Server-Sent Events; Last-Event-ID resumes."""

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tasklive.auth.tokens import start_session
from tasklive.realtime.events import make_event
from tests.realtime.conftest import Live, User
from tests.support.apps import services_of


async def sse_events(response: httpx.Response) -> AsyncIterator[tuple[int, dict[str, Any]]]:
    """(id, event) pairs from an event stream; comments and retry hints are skipped."""
    event_id, data = None, None
    async for line in response.aiter_lines():
        if line.startswith("id: "):
            event_id = int(line[4:])
        elif line.startswith("data: "):
            data = json.loads(line[6:])
        elif line == "" and data is not None:
            assert event_id is not None
            yield event_id, data
            event_id, data = None, None


async def take(stream: AsyncIterator[tuple[int, dict[str, Any]]], count: int) -> list[Any]:
    return [await anext(stream) for _ in range(count)]


def bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {user.token}"}


async def test_stream_then_resume_with_last_event_id(live: Live, new_user) -> None:
    user = await new_user()
    path = f"/api/{user.id}/events"
    async with httpx.AsyncClient(base_url=live.url, headers=bearer(user), timeout=10) as http:
        async with http.stream("GET", path) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            stream = sse_events(response)
            [(first_id, hello)] = await take(stream, 1)
            for n in range(3):
                await live.hub.publish(user.id, make_event("tool_progress", f"step {n}"))
            events = await take(stream, 3)
        assert (first_id, hello["event_type"]) == (0, "connection_established")
        assert [event_id for event_id, _ in events] == [1, 2, 3]
        assert [event["seq"] for _, event in events] == [1, 2, 3]

        await live.hub.publish(user.id, make_event("tool_progress", "while away 1"))
        await live.hub.publish(user.id, make_event("tool_progress", "while away 2"))
        async with http.stream("GET", path, headers={"Last-Event-ID": "3"}) as response:
            resumed = await take(sse_events(response), 4)
    assert [event_id for event_id, _ in resumed] == [3, 4, 5, 5]
    assert [event["event_type"] for _, event in resumed] == [
        "connection_established",
        "tool_progress",
        "tool_progress",
        "resumed",
    ]
    assert resumed[1][1]["message"] == "while away 1"
    assert resumed[-1][1]["recovered"] is True


async def test_stream_needs_the_path_users_credentials(live: Live, new_user) -> None:
    user, other = await new_user(), await new_user()
    async with httpx.AsyncClient(base_url=live.url, timeout=10) as http:
        anonymous = await http.get(f"/api/{user.id}/events")
        foreign = await http.get(f"/api/{other.id}/events", headers=bearer(user))
    assert anonymous.status_code == 401
    assert foreign.status_code == 403


async def test_stream_ends_when_the_token_expires(live: Live, new_user) -> None:
    user = await new_user()
    async with services_of(live.app).sessionmaker() as session:
        secret = services_of(live.app).settings.resolved_secret_key
        short = await start_session(session, user.id, secret, minutes=2 / 60)
    expires = short.expires_at
    headers = {"Authorization": f"Bearer {short.token}"}
    async with httpx.AsyncClient(base_url=live.url, headers=headers, timeout=10) as http:
        async with http.stream("GET", f"/api/{user.id}/events") as response:
            assert response.status_code == 200
            frames = [event async for _, event in sse_events(response)]  # until the server ends it
        assert [event["event_type"] for event in frames] == ["connection_established"]
        assert datetime.now(UTC) >= expires - timedelta(milliseconds=50)
        again = await http.get(f"/api/{user.id}/events")
        assert again.status_code == 401


@pytest.mark.parametrize("position", ["²", "-1", "1e3", "99999999999999999999999"])
async def test_a_bad_last_event_id_starts_from_now(live: Live, new_user, position: str) -> None:
    user = await new_user()
    await live.hub.publish(user.id, make_event("tool_progress", "earlier"))
    headers = {"Last-Event-ID": position.encode()}  # as raw UTF-8 bytes on the wire
    http = httpx.AsyncClient(base_url=live.url, headers=bearer(user), timeout=10)
    async with http, http.stream("GET", f"/api/{user.id}/events", headers=headers) as response:
        assert response.status_code == 200
        stream = sse_events(response)
        opening = await take(stream, 2)
        await live.hub.publish(user.id, make_event("tool_progress", "now"))
        [(now_id, now)] = await take(stream, 1)
    assert [event["event_type"] for _, event in opening] == ["connection_established", "resumed"]
    assert opening[1][1]["recovered"] is False
    assert (now_id, now["message"]) == (2, "now")
