"""Every tab of a user gets every event in seq order, a run in progress too; others get none."""

import asyncio
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed

from tasklive.realtime.events import make_event
from tasklive.realtime.sinks import TransportSink
from tests.realtime.conftest import Live, next_event, open_ws, sqlite_url, ws_url


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path)


@pytest.fixture
def settings_overrides(broker_url: str) -> dict[str, Any]:
    return {"broker_url": broker_url}


async def test_three_tabs_identical_and_ordered_other_user_none(live: Live, new_user) -> None:
    alice, bob = await new_user(), await new_user()
    async with (
        open_ws(ws_url(live, alice)) as tab1,
        open_ws(ws_url(live, alice)) as tab2,
        open_ws(ws_url(live, alice)) as tab3,
        open_ws(ws_url(live, bob)) as bobs,
    ):
        tabs = [tab1, tab2, tab3]
        for ws in [*tabs, bobs]:
            await next_event(ws)
        assert len(live.hub.connections(alice.id)) == 3
        assert all(isinstance(c.sink, TransportSink) for c in live.hub.connections(alice.id))
        for n in range(30):
            await live.hub.publish(alice.id, make_event("tool_progress", f"step {n}", run_id="r"))
        await live.hub.publish(bob.id, make_event("task_created", "Created #1: bob's"))
        frames = [[await tab.recv() for _ in range(30)] for tab in tabs]
        bob_first = await next_event(bobs)
    assert frames[0] == frames[1] == frames[2]
    seqs = [int(frame.split(",")[0].removeprefix('{"seq":')) for frame in frames[0]]
    assert seqs == list(range(1, 31))
    assert (bob_first["message"], bob_first["seq"]) == ("Created #1: bob's", 1)


async def test_a_burst_bigger_than_the_queue_reaches_healthy_tabs(live: Live, new_user) -> None:
    # "Complete all" on a long list publishes one task_updated per task in a tight loop.
    alice = await new_user()
    burst = live.hub.queue_size * 3
    async with open_ws(ws_url(live, alice)) as tab1, open_ws(ws_url(live, alice)) as tab2:
        for ws in (tab1, tab2):
            await next_event(ws)

        async def read_all(ws) -> list[int]:
            return [(await next_event(ws))["seq"] for _ in range(burst)]

        readers = [asyncio.create_task(read_all(ws)) for ws in (tab1, tab2)]
        for n in range(burst):
            await live.hub.publish(alice.id, make_event("task_updated", f"Marked #{n} done"))
        received = await asyncio.gather(*readers)
    assert received[0] == received[1] == list(range(1, burst + 1))


async def test_other_asgi_servers_get_the_queued_path(live: Live, new_user, monkeypatch) -> None:
    monkeypatch.setattr(TransportSink, "of", classmethod(lambda cls, receive, size: None))
    alice = await new_user()
    async with open_ws(ws_url(live, alice)) as tab:
        await next_event(tab)
        assert not isinstance(live.hub.connections(alice.id)[0].sink, TransportSink)
        for n in range(30):
            await live.hub.publish(alice.id, make_event("tool_progress", f"step {n}", run_id="r"))
        received = [await next_event(tab) for _ in range(30)]
        live.hub.connections(alice.id)[0].close(1013, drain=False)
        with pytest.raises(ConnectionClosed) as closed:
            await next_event(tab)
    assert [e["seq"] for e in received] == list(range(1, 31))
    assert closed.value.rcvd.code == 1013


# A tab that connects mid-run starts just before the run's first event, so seqs still grow.
async def test_a_new_tab_gets_the_running_runs_events_then_live_ones(live: Live, new_user) -> None:
    user = await new_user()
    published = [
        make_event("agent_thinking", "Thinking...", run_id="done-run"),
        make_event("agent_thinking", "Thinking...", run_id="running"),
        make_event("tool_starting", "Searching your tasks...", run_id="running", tool="list"),
        make_event("agent_done", "Done", run_id="done-run", response="hi"),
        make_event("task_created", "Created #1: milk"),
        make_event("tool_complete", "Found 3 tasks", run_id="running", tool="list", count=3),
    ]
    for event in published:
        await live.hub.publish(user.id, event)
    async with open_ws(ws_url(live, user)) as tab:
        hello = await next_event(tab)
        so_far = [await next_event(tab) for _ in range(3)]
        await live.hub.publish(user.id, make_event("agent_done", "Done", run_id="running"))
        live_event = await next_event(tab)
    assert (hello["event_type"], hello["seq"]) == ("connection_established", 1)
    assert [(e["seq"], e["event_type"]) for e in so_far] == [
        (2, "agent_thinking"),
        (3, "tool_starting"),
        (6, "tool_complete"),
    ]
    assert {e["run_id"] for e in so_far} == {"running"}
    assert (live_event["seq"], live_event["event_type"]) == (7, "agent_done")


async def test_no_run_going_means_nothing_before_live_events(live: Live, new_user) -> None:
    user = await new_user()
    await live.hub.publish(user.id, make_event("agent_thinking", "Thinking...", run_id="r"))
    await live.hub.publish(user.id, make_event("agent_done", "Done", run_id="r"))
    async with open_ws(ws_url(live, user)) as tab:
        await next_event(tab)
        await live.hub.publish(user.id, make_event("task_created", "Created #1: milk"))
        first = await next_event(tab)
    assert (first["seq"], first["event_type"]) == (3, "task_created")
