"""Client frames: ping, chat, cancel, bad frames, oversize frames; the seed-style run flow."""

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed

from tasklive.errors import RateLimitedError
from tasklive.realtime.events import make_event
from tests.realtime.conftest import Live, events_until, next_event, open_ws, ws_url
from tests.support.apps import use_runner


class FakeRunner:
    """Stands in for TurnRunner: records calls and publishes a one-tool run through the hub."""

    def __init__(self, live: Live) -> None:
        self.hub = live.hub
        self.started: list[tuple[str, str, str | None, str | None]] = []
        self.cancelled: list[tuple[str, str]] = []

    async def aclose(self) -> None:
        """Nothing runs in the background."""

    async def start(
        self,
        user_id: str,
        message: str,
        conversation_id: str | None = None,
        client_message_id: str | None = None,
    ) -> Any:
        if message == "over the limit":
            raise RateLimitedError("Daily limit reached.", limit=100, reset_at="2030-01-01T00:00Z")
        self.started.append((user_id, message, conversation_id, client_message_id))
        ids = {"run_id": uuid.uuid4().hex, "conversation_id": conversation_id or "c1"}
        call = {"tool": "list_tasks", "tool_call_id": "t1"}
        for event in (
            make_event("agent_thinking", "Thinking...", **ids),
            make_event("tool_starting", "Searching your tasks...", **ids, **call),
            make_event("tool_progress", "Searching your tasks...", **ids, **call),
            make_event("tool_complete", "Found 0 tasks", **ids, **call, result={"count": 0}),
            make_event("agent_done", "Done", **ids, response="No tasks.", cancelled=False),
        ):
            await self.hub.publish(user_id, event)

    async def cancel(self, user_id: str, run_id: str) -> bool:
        self.cancelled.append((user_id, run_id))
        return run_id == "running"


@pytest.fixture
def runner(live: Live) -> FakeRunner:
    fake = FakeRunner(live)
    use_runner(live.app, fake)
    return fake


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """Frames do not touch storage: SQLite only."""
    return f"sqlite+aiosqlite:///{tmp_path / 'tasklive.db'}"


async def test_seed_flow_chat_frame(live: Live, new_user, runner: FakeRunner) -> None:
    user = await new_user()
    async with open_ws(ws_url(live, user)) as ws:
        await next_event(ws)
        chat = {"type": "chat", "message": "show my tasks", "client_message_id": "m1"}
        await ws.send(json.dumps(chat))
        events = await events_until(ws, lambda e: e["event_type"] == "agent_done")
    assert [e["event_type"] for e in events] == [
        "agent_thinking",
        "tool_starting",
        "tool_progress",
        "tool_complete",
        "agent_done",
    ]
    assert [e["seq"] for e in events] == [1, 2, 3, 4, 5]
    assert len({e["run_id"] for e in events}) == 1
    assert runner.started == [(user.id, "show my tasks", None, "m1")]


async def test_ping_answers_pong_without_taking_a_seq(live: Live, new_user) -> None:
    user = await new_user()
    async with open_ws(ws_url(live, user)) as ws:
        await next_event(ws)
        await live.hub.publish(user.id, make_event("task_created", "Created #1: milk"))
        assert (await next_event(ws))["seq"] == 1
        await ws.send('{"type": "ping"}')
        pong = await next_event(ws)
        assert (pong["event_type"], pong["seq"]) == ("pong", 1)
        await live.hub.publish(user.id, make_event("task_created", "Created #2: eggs"))
        assert (await next_event(ws))["seq"] == 2


async def test_bad_frames_get_an_error_and_the_socket_stays(
    live: Live, new_user, runner: FakeRunner
) -> None:
    user = await new_user()
    async with open_ws(ws_url(live, user)) as ws:
        await next_event(ws)
        for frame, words in [
            ("not json", "JSON"),
            ("[1, 2]", "JSON"),
            ('{"type": "dance"}', "Unknown frame type"),
            ('{"type": "chat"}', "message"),
            ('{"type": "chat", "message": "over the limit"}', "Daily limit"),
            ('{"type": "cancel", "run_id": "finished-long-ago"}', "not running"),
        ]:
            await ws.send(frame)
            error = await next_event(ws)
            assert error["event_type"] == "error", frame
            assert words in error["message"] and error["error"] == error["message"]
        await ws.send('{"type": "chat", "message": "over the limit"}')
        limited = await next_event(ws)
        assert (limited["code"], limited["limit"]) == ("rate_limited", 100)
        await ws.send('{"type": "cancel", "run_id": "running"}')
        await ws.send('{"type": "ping"}')
        assert (await next_event(ws))["event_type"] == "pong"
    assert runner.cancelled[-1] == (user.id, "running")


async def test_a_deep_frame_and_a_binary_frame_are_the_clients_fault(live: Live, new_user) -> None:
    user = await new_user()
    async with open_ws(ws_url(live, user)) as ws:
        await next_event(ws)
        await ws.send('{"type": "chat", "message": ' + "[" * 10_000 + "]" * 10_000 + "}")
        deep = await next_event(ws)
        assert (deep["event_type"], deep["code"]) == ("error", "invalid")
        await ws.send(b"\x00binary")
        binary = await next_event(ws)
        assert (binary["event_type"], binary["code"]) == ("error", "invalid")
        assert "text" in binary["message"]
        await ws.send('{"type": "ping"}')
        assert (await next_event(ws))["event_type"] == "pong"


async def test_frame_over_64_kib_closes_with_1009(live: Live, new_user) -> None:
    user = await new_user()
    async with open_ws(ws_url(live, user)) as ws:
        await next_event(ws)
        await ws.send(json.dumps({"type": "chat", "message": "x" * 70_000}))
        with pytest.raises(ConnectionClosed):
            await next_event(ws)
    assert ws.close_code == 1009


async def test_frame_just_under_the_limit_is_read(live: Live, new_user, runner) -> None:
    user = await new_user()
    async with open_ws(ws_url(live, user)) as ws:
        await next_event(ws)
        await ws.send(json.dumps({"type": "chat", "message": "y" * 60_000}))
        done = await events_until(ws, lambda e: e["event_type"] == "agent_done")
    assert done[-1]["response"] == "No tasks."
