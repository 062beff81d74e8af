"""The seed-style flow against the real runner and the offline model, as clients speak it."""

import json

from tests.realtime.conftest import Live, events_until, next_event, open_ws, ws_url


async def test_chat_frame_streams_a_whole_run(live: Live, new_user) -> None:
    user = await new_user()
    async with open_ws(ws_url(live, user)) as ws, open_ws(ws_url(live, user)) as other_tab:
        hello = await next_event(ws)
        await next_event(other_tab)
        await ws.send(json.dumps({"type": "chat", "message": "add a task to buy milk"}))
        run = await events_until(ws, lambda e: e["event_type"] == "agent_done", timeout=30)
        mirrored = await events_until(other_tab, lambda e: e["event_type"] == "agent_done")
    kinds = [e["event_type"] for e in run]
    assert kinds[0] == "agent_thinking" and kinds.count("agent_done") == 1
    assert "client_message_id" not in run[0]  # none was sent
    assert kinds.index("tool_starting") < kinds.index("tool_progress")
    assert kinds.index("tool_progress") < kinds.index("tool_complete")
    assert "task_created" in kinds
    assert [e["seq"] for e in run] == list(range(hello["seq"] + 1, hello["seq"] + len(run) + 1))
    assert len({e["run_id"] for e in run}) == 1 and run[0]["conversation_id"]
    assert run[-1]["cancelled"] is False and "milk" in run[-1]["response"]
    assert mirrored == run
