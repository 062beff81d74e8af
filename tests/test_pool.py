"""The connection pool serves waiters in the order they came, and loses no connection."""

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.util.concurrency import greenlet_spawn
from sqlalchemy.util.queue import Empty

from tasklive.db import create_engine
from tasklive.pool import FairAsyncPool, HandOffQueue


def taker(queue: HandOffQueue[str], name: str, got: list[tuple[str, str]], timeout: float = 10):
    """A task that waits for an item, as the pool does, and notes who got which."""

    def take() -> None:
        got.append((name, queue.get(True, timeout)))

    return asyncio.create_task(greenlet_spawn(take))


async def waiting(*tasks: asyncio.Task[None]) -> None:
    """Let the tasks run up to their wait."""
    for _ in tasks:
        await asyncio.sleep(0)


async def test_a_newcomer_cannot_take_a_connection_handed_to_a_waiter():
    queue: HandOffQueue[str] = HandOffQueue(2)
    got: list[tuple[str, str]] = []
    first, second = taker(queue, "first", got), taker(queue, "second", got)
    await waiting(first, second)
    # The newcomer is scheduled before the first waiter wakes: it used to take the connection.
    newcomer = taker(queue, "newcomer", got)
    queue.put_nowait("c1")
    await first
    queue.put_nowait("c2")
    await second
    queue.put_nowait("c1")
    await newcomer
    assert got == [("first", "c1"), ("second", "c2"), ("newcomer", "c1")]


async def test_a_waiter_that_gives_up_leaves_the_next_connection_to_the_others():
    queue: HandOffQueue[str] = HandOffQueue(1)
    got: list[tuple[str, str]] = []
    impatient = taker(queue, "impatient", got, timeout=0.01)
    patient = taker(queue, "patient", got)
    with pytest.raises(Empty):
        await impatient
    queue.put_nowait("c1")
    await patient
    assert got == [("patient", "c1")]
    assert queue.qsize() == 0


async def test_a_waiter_cancelled_as_it_is_handed_a_connection_passes_it_on():
    queue: HandOffQueue[str] = HandOffQueue(1)
    got: list[tuple[str, str]] = []
    cancelled, next_in_line = taker(queue, "cancelled", got), taker(queue, "next", got)
    await waiting(cancelled, next_in_line)
    queue.put_nowait("c1")
    cancelled.cancel()
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    await next_in_line
    assert got == [("next", "c1")]


async def test_an_idle_connection_is_taken_at_once_and_kept_for_the_next():
    queue: HandOffQueue[str] = HandOffQueue(1)
    queue.put_nowait("c1")
    assert queue.full()
    assert await greenlet_spawn(queue.get, True, 1) == "c1"
    assert queue.empty()


async def test_many_sessions_share_the_engine_pool_in_turn(database_url):
    engine = create_engine(database_url, pool_size=2, max_overflow=0)
    assert isinstance(engine.pool, FairAsyncPool)

    async def count() -> int:
        async with engine.connect() as connection:
            return (await connection.execute(text("SELECT 1"))).scalar_one()

    try:
        assert await asyncio.gather(*(count() for _ in range(50))) == [1] * 50
    finally:
        await engine.dispose()
