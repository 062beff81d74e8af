"""Resume after a disconnect: exactly the missed events, or `recovered: false` if they are gone."""

import asyncio
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tasklive.realtime.events import make_event
from tests.realtime.conftest import Live, events_until, next_event, open_ws, sqlite_url, ws_url


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path)


@pytest.fixture
def settings_overrides(broker_url: str) -> dict[str, Any]:
    return {"broker_url": broker_url, "event_history_size": 200}


async def publish(live: Live, user_id: str, *messages: str) -> None:
    for message in messages:
        await live.hub.publish(user_id, make_event("tool_progress", message, run_id="r"))


async def test_resume_on_connect_has_no_gap_and_no_duplicate(live: Live, new_user) -> None:
    user = await new_user()
    async with open_ws(ws_url(live, user)) as ws:
        epoch = (await next_event(ws))["epoch"]
        await publish(live, user.id, "a", "b", "c")
        seen = [await next_event(ws) for _ in range(3)]
    await publish(live, user.id, "d", "e")  # while no tab is open
    last_seq = seen[-1]["seq"]
    async with open_ws(ws_url(live, user, last_seq=last_seq, epoch=epoch)) as ws:
        hello = await next_event(ws)
        replayed = await events_until(ws, lambda e: e["event_type"] == "resumed")
        await publish(live, user.id, "f")
        live_event = await next_event(ws)
    assert (hello["seq"], hello["epoch"]) == (3, epoch)
    assert [e["message"] for e in replayed[:-1]] == ["d", "e"]
    assert [e["seq"] for e in replayed[:-1]] == [4, 5]
    assert replayed[-1]["recovered"] is True
    assert (live_event["message"], live_event["seq"]) == ("f", 6)


async def test_resume_frame_replays_what_the_client_missed(live: Live, new_user) -> None:
    user = await new_user()
    await publish(live, user.id, "before 1", "before 2")
    async with open_ws(ws_url(live, user)) as ws:
        hello = await next_event(ws)
        assert hello["seq"] == 2
        await ws.send(json.dumps({"type": "resume", "last_seq": 0, "epoch": hello["epoch"]}))
        replayed = await events_until(ws, lambda e: e["event_type"] == "resumed")
        await ws.send(json.dumps({"type": "resume", "last_seq": 2, "epoch": hello["epoch"]}))
        nothing_missed = await next_event(ws)
    assert [e["message"] for e in replayed[:-1]] == ["before 1", "before 2"]
    assert replayed[-1]["recovered"] is True
    assert (nothing_missed["event_type"], nothing_missed["recovered"]) == ("resumed", True)


async def test_recovered_false_when_history_is_gone(live: Live, new_user) -> None:
    user = await new_user()
    async with open_ws(ws_url(live, user)) as ws:
        epoch = (await next_event(ws))["epoch"]
    await publish(live, user.id, *[f"event {n}" for n in range(205)])  # the history keeps 200
    async with open_ws(ws_url(live, user, last_seq=0, epoch=epoch)) as ws:
        hello = await next_event(ws)
        resumed = await next_event(ws)
        await publish(live, user.id, "after")
        after = await next_event(ws)
    assert hello["seq"] == 205
    assert (resumed["event_type"], resumed["recovered"]) == ("resumed", False)
    assert (after["message"], after["seq"]) == ("after", 206)


async def test_recovered_false_for_another_epoch(live: Live, new_user) -> None:
    user = await new_user()
    await publish(live, user.id, "one")
    async with open_ws(ws_url(live, user, last_seq=0, epoch="from-before-a-restart")) as ws:
        await next_event(ws)
        resumed = await next_event(ws)
    assert resumed["recovered"] is False


async def test_reconnect_while_a_run_keeps_publishing(live: Live, new_user) -> None:
    user = await new_user()
    total = 120

    async def run() -> None:
        for n in range(1, total + 1):
            await publish(live, user.id, f"step {n}")
            await asyncio.sleep(0)  # yield, like a real run between model events

    async with open_ws(ws_url(live, user), max_queue=None) as ws:  # closes without reading on
        epoch = (await next_event(ws))["epoch"]
        running = asyncio.create_task(run())
        first = [await next_event(ws) for _ in range(10)]
    last_seq = first[-1]["seq"]
    async with open_ws(ws_url(live, user, last_seq=last_seq, epoch=epoch)) as ws:
        rest = await events_until(ws, lambda e: e["event_type"] == "resumed")
        if not any(e.get("message") == f"step {total}" for e in rest):
            rest += await events_until(ws, lambda e: e.get("message") == f"step {total}")
    await running
    seqs = [e["seq"] for e in first + rest if e["event_type"] == "tool_progress"]
    assert seqs == list(range(1, total + 1))
    assert [e["recovered"] for e in rest if e["event_type"] == "resumed"] == [True]


@pytest.mark.parametrize("last_seq", ["²", "-1", "1e3", "+3", " 3", "99999999999999999999999"])
async def test_a_resume_position_that_is_not_plain_digits_resumes_nothing(
    live: Live, new_user, last_seq: str
) -> None:
    user = await new_user()
    await publish(live, user.id, "earlier")
    async with open_ws(ws_url(live, user)) as ws:
        epoch = (await next_event(ws))["epoch"]
    async with open_ws(ws_url(live, user, last_seq=quote(last_seq), epoch=epoch)) as ws:
        hello = await next_event(ws)
        resumed = await next_event(ws)
        await publish(live, user.id, "now")
        after = await next_event(ws)
    assert hello["event_type"] == "connection_established"
    assert (resumed["event_type"], resumed["recovered"]) == ("resumed", False)
    assert (after["message"], after["seq"]) == ("now", 2)


@pytest.mark.parametrize("last_seq", ["²", -1, 1e3, True, 2**64, None])
async def test_a_resume_frame_with_a_bad_position_answers_recovered_false(
    live: Live, new_user, last_seq: Any
) -> None:
    user = await new_user()
    async with open_ws(ws_url(live, user)) as ws:
        epoch = (await next_event(ws))["epoch"]
        await ws.send(json.dumps({"type": "resume", "last_seq": last_seq, "epoch": epoch}))
        resumed = await next_event(ws)
        await ws.send(json.dumps({"type": "ping"}))
        pong = await next_event(ws)
    assert (resumed["event_type"], resumed["recovered"]) == ("resumed", False)
    assert pong["event_type"] == "pong"  # the connection stayed open
