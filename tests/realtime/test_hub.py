"""The hub without sockets: bounded queues, gap repair, lost events, shutdown."""

import asyncio
import json
from typing import Any

import pytest

from tasklive.config import Settings
from tasklive.realtime.brokers import BrokerUnavailableError
from tasklive.realtime.brokers.memory import MemoryBroker
from tasklive.realtime.connection import Connection
from tasklive.realtime.events import make_event
from tasklive.realtime.hub import Hub


@pytest.fixture
def hub() -> Hub:
    settings = Settings(_env_file=None, ws_queue_size=8)
    return Hub(MemoryBroker(100, 3600), settings)


async def frames(connection: Connection, count: int) -> list[dict[str, Any]]:
    async def take() -> list[dict[str, Any]]:
        items = [await connection.next() for _ in range(count)]
        return [json.loads(item.data) for item in items if item is not None]

    return await asyncio.wait_for(take(), 5)


def event(n: int) -> dict[str, Any]:
    return make_event("tool_progress", f"step {n}", run_id="r")


async def test_full_queue_closes_that_connection_only(hub: Hub) -> None:
    slow, fast = await hub.attach("u1"), await hub.attach("u1")
    await frames(fast, 1)
    for n in range(20):
        await hub.publish("u1", event(n))  # returns at once: nobody is reading `slow`
        assert len(await frames(fast, 1)) == 1
    assert slow.close_code == 1013
    assert hub.connections("u1") == [fast]
    assert await slow.next() is None  # its backlog is dropped, not sent late


async def test_a_gap_in_delivery_is_replayed_in_order(hub: Hub) -> None:
    connection = await hub.attach("u1")
    await frames(connection, 1)
    await hub.publish("u1", event(1))
    deliver = hub.broker._callbacks.deliver  # type: ignore[attr-defined]
    hub.broker._callbacks.deliver = lambda published: None  # type: ignore[attr-defined]
    await hub.publish("u1", event(2))  # lost in transit
    hub.broker._callbacks.deliver = deliver  # type: ignore[attr-defined]
    await hub.publish("u1", event(3))
    received = await frames(connection, 3)
    assert [(e["seq"], e["message"]) for e in received] == [
        (1, "step 1"),
        (2, "step 2"),
        (3, "step 3"),
    ]


async def test_lost_events_tell_local_tabs_to_reload(hub: Hub, monkeypatch) -> None:
    connection = await hub.attach("u1")
    await frames(connection, 1)

    async def unavailable(*_: Any) -> None:
        raise BrokerUnavailableError()

    monkeypatch.setattr(hub.broker, "publish", unavailable)
    assert await hub.publish("u1", event(1)) is None
    assert await hub.publish("u1", event(2)) is None
    [notice] = await frames(connection, 1)
    assert (notice["event_type"], notice["recovered"]) == ("resumed", False)


async def test_close_all_drains_then_ends_every_connection(hub: Hub) -> None:
    connection = await hub.attach("u1")
    await hub.publish("u1", event(1))
    closing = asyncio.create_task(hub.close_all())
    received = await frames(connection, 2)
    assert [e.get("event_type") for e in received] == ["connection_established", "tool_progress"]
    assert await connection.next() is None and connection.close_code == 1001
    hub.detach(connection)
    await asyncio.wait_for(closing, 5)
    with pytest.raises(BrokerUnavailableError):
        await hub.attach("u1")


async def test_a_lost_last_event_arrives_without_waiting_for_the_next() -> None:
    settings = Settings(_env_file=None, event_position_check_seconds=0.05)
    hub = Hub(MemoryBroker(100, 3600), settings)
    await hub.start()
    try:
        connection = await hub.attach("u1")
        await frames(connection, 1)
        hub.broker._callbacks.deliver = lambda published: None  # type: ignore[attr-defined]
        await hub.publish("u1", event(1))  # lost in transit, and nothing follows it
        [late] = await frames(connection, 1)
        assert (late["seq"], late["message"]) == (1, "step 1")
    finally:
        await hub.aclose()
