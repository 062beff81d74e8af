"""Brokers on memory and on the machine's Redis: numbering, history, delivery, control."""

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tasklive.config import Settings
from tasklive.realtime.brokers import Broker, Position, Published, create_broker
from tasklive.realtime.brokers.memory import MemoryBroker
from tasklive.realtime.events import make_event


def broker_settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **{"event_history_size": 50, **values})


class Inbox:
    """Collects delivered events; `wait_for(n)` returns once n have arrived."""

    def __init__(self, broker: Broker) -> None:
        self.events: list[Published] = []
        self.controls: list[dict[str, Any]] = []
        self._changed = asyncio.Event()
        broker.on_event(self._event)
        broker.on_control(self._control)

    def _event(self, published: Published) -> None:
        self.events.append(published)
        self._changed.set()

    async def _control(self, payload: dict[str, Any]) -> None:
        self.controls.append(payload)
        self._changed.set()

    async def wait_for(self, events: int = 0, controls: int = 0) -> None:
        async def enough() -> None:
            while len(self.events) < events or len(self.controls) < controls:
                self._changed.clear()
                await self._changed.wait()

        await asyncio.wait_for(enough(), 10)


@pytest.fixture
async def brokers(broker_url: str) -> AsyncIterator[list[Broker]]:
    """Two brokers on one URL: two instances sharing Redis (or, for memory, one process)."""
    settings = broker_settings()
    first = create_broker(broker_url, settings)
    second = create_broker(broker_url, settings) if broker_url.startswith("redis") else first
    for broker in {id(b): b for b in (first, second)}.values():
        await broker.connect()
        for user_id in ("u1", "u2"):  # as the hub does while these users have tabs here
            await broker.watch(user_id)
    try:
        yield [first, second]
    finally:
        for broker in {id(b): b for b in (first, second)}.values():
            await broker.close()


def progress(n: int) -> dict[str, Any]:
    return make_event("tool_progress", f"step {n}", run_id="r")


async def test_seq_is_shared_and_every_instance_delivers_in_order(brokers: list[Broker]) -> None:
    first, second = brokers
    inboxes = [Inbox(first), Inbox(second)] if first is not second else [Inbox(first)]
    envelopes = [await (first, second)[n % 2].publish("u1", progress(n)) for n in range(10)]
    await first.publish("u2", progress(99))
    assert [e["seq"] for e in envelopes] == list(range(1, 11))
    assert len({e["epoch"] for e in envelopes}) == 1
    for inbox in inboxes:
        await inbox.wait_for(events=11)
        mine = [p for p in inbox.events if p.user_id == "u1"]
        assert [p.seq for p in mine] == list(range(1, 11))
        assert [p.envelope() for p in mine] == envelopes
        assert [(p.user_id, p.seq) for p in inbox.events if p.user_id == "u2"] == [("u2", 1)]


async def test_envelope_is_serialized_once_with_all_fields(brokers: list[Broker]) -> None:
    broker = brokers[0]
    inbox = Inbox(broker)
    event = make_event("task_created", "Created #1: milk", task_id="t")
    envelope = await broker.publish("u1", event)
    await inbox.wait_for(events=1)
    assert json.loads(inbox.events[0].data) == envelope
    assert envelope["event_type"] == "task_created" and envelope["task_id"] == "t"
    assert envelope["ts"].endswith("Z") and envelope["run_id"] is None


async def test_head_and_replay(brokers: list[Broker]) -> None:
    first, second = brokers
    assert (await first.head("u1")).seq == 0
    for n in range(5):
        await first.publish("u1", progress(n))
    head = await second.head("u1")
    assert head == Position(head.epoch, 5)
    missed = await second.replay("u1", Position(head.epoch, 2))
    assert missed is not None
    assert [p.seq for p in missed] == [3, 4, 5]
    assert [p.envelope()["message"] for p in missed] == ["step 2", "step 3", "step 4"]
    assert await second.replay("u1", head) == []
    assert await second.replay("u1", Position("another-epoch", 2)) is None
    assert await second.replay("u1", Position(head.epoch, 9)) is None


async def test_history_is_bounded_by_count(brokers: list[Broker]) -> None:
    broker = brokers[0]
    for n in range(60):  # the history keeps 50
        await broker.publish("u1", progress(n))
    epoch = (await broker.head("u1")).epoch
    assert await broker.replay("u1", Position(epoch, 5)) is None
    kept = await broker.replay("u1", Position(epoch, 10))
    assert kept is not None and [p.seq for p in kept] == list(range(11, 61))


async def test_history_is_bounded_by_age(broker_url: str) -> None:
    now = [1000.0]
    if broker_url.startswith("redis"):
        broker: Broker = create_broker(broker_url, broker_settings(event_history_seconds=0))
    else:
        broker = MemoryBroker(50, 60, clock=lambda: now[0])
    await broker.connect()
    try:
        await broker.publish("u1", progress(1))
        now[0] += 61
        head = await broker.head("u1")
        assert await broker.replay("u1", Position(head.epoch, 0)) is None
        assert await broker.replay("u1", head) == []
    finally:
        await broker.close()


async def test_control_reaches_every_instance(brokers: list[Broker]) -> None:
    first, second = brokers
    inboxes = [Inbox(first), Inbox(second)] if first is not second else [Inbox(first)]
    await second.send_control({"type": "cancel_run", "run_id": "r1", "user_id": "u1"})
    for inbox in inboxes:
        await inbox.wait_for(controls=1)
        assert inbox.controls == [{"type": "cancel_run", "run_id": "r1", "user_id": "u1"}]


def test_unknown_broker_url_is_refused() -> None:
    with pytest.raises(Exception, match="memory:// or redis://"):
        create_broker("kafka://secret@host", broker_settings())
