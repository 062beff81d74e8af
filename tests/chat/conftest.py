"""Chat fixtures shared with the agent tests, and two live tabs of one user facing a card."""

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection

from tasklive.chat.control import ControlChannel
from tasklive.chat.runner import TurnRunner
from tests.agent.fixtures import echo, openai_server, recorder, runner
from tests.agent.scripted import EchoModel
from tests.realtime.conftest import Live, live, new_user, next_event, open_ws, ws_url
from tests.support.apps import running, services_of

__all__ = ["echo", "live", "new_user", "openai_server", "recorder", "runner"]
DELETE_ALL = "call " + json.dumps([["delete_all_tasks", {}]])


@dataclass
class TwoTabs:
    """One user's phone and laptop on the live service, the card a delete-all raised on them."""

    http: httpx.AsyncClient
    phone: ClientConnection
    laptop: ClientConnection
    card: dict[str, Any]


async def until(ws: ClientConnection, event_type: str) -> dict[str, Any]:
    """The next event of this type on a tab, passing over the others."""
    while (event := await next_event(ws))["event_type"] != event_type:
        pass
    return event


@pytest.fixture
async def echo_live(live: Live) -> AsyncIterator[Live]:
    """The live service running turns on the echo model, approval cards answered over sockets."""
    services = services_of(live.app)
    model = EchoModel().model()
    control = ControlChannel(services.hub)
    runner = TurnRunner(
        services.settings, services.sessionmaker, services.hub, model, control=control
    )
    async with running(live.app, runner):
        yield live


@pytest.fixture
async def two_tabs(echo_live: Live, new_user: Any) -> AsyncIterator[TwoTabs]:
    """A user with one task ("doomed") asks on the phone to delete all; the laptop sees the card."""
    user = await new_user()
    headers = {"Authorization": f"Bearer {user.token}"}
    async with httpx.AsyncClient(base_url=echo_live.url, headers=headers, timeout=30) as http:
        await http.post("/api/tasks", json={"title": "doomed"})
        url = ws_url(echo_live, user)
        async with open_ws(url) as phone, open_ws(url) as laptop:
            for tab in (phone, laptop):
                assert (await next_event(tab))["event_type"] == "connection_established"
            await phone.send(json.dumps({"type": "chat", "message": DELETE_ALL}))
            yield TwoTabs(http, phone, laptop, await until(laptop, "approval_required"))
