"""Runs are detached from connections: cancel frames stop them, closed tabs do not."""

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
import pytest

from tasklive.chat.runner import TurnRunner
from tests.agent.scripted import EchoModel
from tests.realtime.conftest import WAIT, Live, events_until, next_event, open_ws, ws_url
from tests.support.apps import running, services_of


@pytest.fixture
async def gated(live: Live) -> AsyncIterator[EchoModel]:
    """The live service's runner on a model that waits for `gate` before answering."""
    model = EchoModel(gate=asyncio.Event())
    app = live.app
    services = services_of(app)
    runner = TurnRunner(services.settings, services.sessionmaker, services.hub, model.model())
    async with running(app, runner):
        try:
            yield model
        finally:
            model.gate.set()


async def _messages(live: Live, user, conversation_id: str) -> list[dict]:
    async with httpx.AsyncClient(base_url=live.url, timeout=30) as http:
        response = await http.get(
            f"/api/{user.id}/conversations/{conversation_id}/messages",
            headers={"Authorization": f"Bearer {user.token}"},
        )
    return response.json()


async def test_cancel_frame_ends_the_run_cancelled_and_stored(live: Live, new_user, gated):
    user = await new_user()
    async with open_ws(ws_url(live, user)) as ws:
        await next_event(ws)
        chat = {"type": "chat", "message": "add paint the fence", "client_message_id": "cm-1"}
        await ws.send(json.dumps(chat))
        thinking = await next_event(ws)
        assert thinking["event_type"] == "agent_thinking"
        assert thinking["client_message_id"] == "cm-1"  # the sender can tell the run is its own
        await asyncio.wait_for(gated.started.wait(), WAIT)
        await ws.send(json.dumps({"type": "cancel", "run_id": thinking["run_id"]}))
        run = await events_until(ws, lambda e: e["event_type"] == "agent_done")
    done = run[-1]
    assert (done["run_id"], done["cancelled"]) == (thinking["run_id"], True)
    assert [e["event_type"] for e in run].count("agent_done") == 1
    assert "task_created" not in [e["event_type"] for e in run]
    stored = await _messages(live, user, thinking["conversation_id"])
    assert [m["role"] for m in stored] == ["user", "assistant"]
    assert stored[1]["run_id"] == thinking["run_id"]


async def test_closing_every_tab_does_not_stop_the_run(live: Live, new_user, gated):
    user = await new_user()
    async with open_ws(ws_url(live, user)) as ws:
        await next_event(ws)
        await ws.send(json.dumps({"type": "chat", "message": "add water the plants"}))
        thinking = await next_event(ws)
        await asyncio.wait_for(gated.started.wait(), WAIT)
    gated.gate.set()
    resume = ws_url(live, user, last_seq=thinking["seq"], epoch=thinking["epoch"])
    async with open_ws(resume) as later:
        rest = await events_until(later, lambda e: e["event_type"] == "agent_done")
    assert rest[-1]["cancelled"] is False
    assert "task_created" in [e["event_type"] for e in rest]
    stored = await _messages(live, user, thinking["conversation_id"])
    assert stored[-1]["role"] == "assistant" and stored[-1]["content"] == rest[-1]["response"]
