"""An approval card reaches every tab, and any tab may answer it over its WebSocket."""

import json

from tests.chat.conftest import TwoTabs, until


async def test_a_second_tab_approves_over_its_socket(two_tabs: TwoTabs):
    phone, laptop, card = two_tabs.phone, two_tabs.laptop, two_tabs.card
    assert (await until(phone, "approval_required")) == card
    answer = {"type": "approve", "approval_id": card["approval_id"], "approved": True}
    await laptop.send(json.dumps(answer))
    for tab in (phone, laptop):
        resolved = await until(tab, "approval_resolved")
        assert resolved["approved"] is True
        assert resolved["approval_id"] == card["approval_id"]
        assert (await until(tab, "agent_done"))["run_id"] == card["run_id"]
    tasks = (await two_tabs.http.get("/api/tasks")).json()
    assert tasks["total"] == 0
