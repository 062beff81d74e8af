"""An approval card reaches every tab, and any tab may answer it over its WebSocket."""

import json

import httpx

from tasklive.chat.control import ControlChannel
from tasklive.chat.runner import TurnRunner
from tests.agent.scripted import EchoModel
from tests.realtime.conftest import live, new_user, next_event, open_ws, ws_url
from tests.support.apps import services_of, use_runner

__all__ = ["live", "new_user"]
DELETE_ALL = "call " + json.dumps([["delete_all_tasks", {}]])


async def until(ws, event_type: str) -> dict:
    while (event := await next_event(ws))["event_type"] != event_type:
        pass
    return event


async def test_a_second_tab_approves_over_its_socket(live, new_user):
    services = services_of(live.app)
    runner = TurnRunner(
        services.settings,
        services.sessionmaker,
        services.hub,
        EchoModel().model(),
        control=ControlChannel(services.hub),
    )
    original = use_runner(live.app, runner)
    user = await new_user()
    headers = {"Authorization": f"Bearer {user.token}"}
    try:
        async with httpx.AsyncClient(base_url=live.url, headers=headers, timeout=30) as http:
            await http.post("/api/tasks", json={"title": "doomed"})
            async with open_ws(ws_url(live, user)) as phone, open_ws(ws_url(live, user)) as laptop:
                for tab in (phone, laptop):
                    assert (await next_event(tab))["event_type"] == "connection_established"
                await phone.send(json.dumps({"type": "chat", "message": DELETE_ALL}))
                card = await until(laptop, "approval_required")
                assert (await until(phone, "approval_required")) == card
                answer = {"type": "approve", "approval_id": card["approval_id"], "approved": True}
                await laptop.send(json.dumps(answer))
                for tab in (phone, laptop):
                    resolved = await until(tab, "approval_resolved")
                    assert resolved["approved"] is True
                    assert resolved["approval_id"] == card["approval_id"]
                    assert (await until(tab, "agent_done"))["run_id"] == card["run_id"]
            tasks = (await http.get("/api/tasks")).json()
        assert tasks["total"] == 0
    finally:
        await runner.aclose()
        use_runner(live.app, original)
