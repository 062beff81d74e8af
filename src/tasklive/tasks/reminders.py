"""Reminders: the schedule is the tasks' `remind_at`; each is leased to one instance at a time."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import ColumnElement, Update, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.db import new_id, utcnow
from tasklive.realtime.events import REMINDER, EventPublisher, make_event
from tasklive.tasks.models import Task
from tasklive.tasks.notify.deliver import Channels, Outcome, Reminder, deliver
from tasklive.tasks.notify.ledger import record

logger = logging.getLogger(__name__)

BATCH = 200
LEASE = timedelta(seconds=60)
# Deliveries stop retrying this long before the lease runs out, so nobody else reclaims meanwhile.
LEASE_MARGIN = timedelta(seconds=10)
IN_FLIGHT = 4  # claimed batches being delivered at once by one instance

__all__ = [
    "LEASE",
    "Claim",
    "Reminder",
    "claim_due",
    "deliver_claim",
    "mark_sent",
    "run_reminders",
    "send_due",
    "settle_outcomes",
]


@dataclass(frozen=True)
class Claim:
    """Reminders leased to one caller until `until`, under one token."""

    token: str
    until: datetime
    reminders: list[Reminder]


def _unclaimed(now: datetime) -> ColumnElement[bool]:
    return or_(Task.reminder_claimed_until.is_(None), Task.reminder_claimed_until <= now)


async def claim_due(
    sessionmaker: async_sessionmaker[AsyncSession], now: datetime, lease: timedelta = LEASE
) -> Claim:
    """Lease the unsent reminders due by `now` that nobody holds; the ones this caller won.

    The conditional UPDATE is the claim: of several instances, exactly one changes a row.
    PostgreSQL also skips rows another instance is claiming, so neither waits on the other.
    A lease whose holder died before sending runs out, and the reminder is claimed again.
    """
    claim = Claim(new_id(), now + lease, [])
    async with sessionmaker() as session:
        due = (
            select(Task.id)
            .where(
                Task.reminder_sent.is_(False),
                Task.completed.is_(False),
                Task.remind_time <= now,
                _unclaimed(now),
            )
            .order_by(Task.remind_time)
            .limit(BATCH)
        )
        if session.get_bind().dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        ids = list(await session.scalars(due))
        if not ids:
            return claim
        claimed = await session.execute(
            update(Task)
            .where(Task.id.in_(ids), Task.reminder_sent.is_(False), _unclaimed(now))
            .values(reminder_claim=claim.token, reminder_claimed_until=claim.until)
            .returning(
                Task.user_id,
                Task.id,
                Task.number,
                Task.title,
                Task.remind_time,
                Task.due_date,
                Task.due_at,
            )
        )
        for user_id, task_id, number, title, at, due_day, due_at in claimed.all():
            when = due_at if due_at is not None else due_day
            claim.reminders.append(Reminder(user_id, task_id, number, title, at, when))
        await session.commit()
    return claim


def _mark_sent(claim: Claim, sent: list[Reminder]) -> Update:
    return (
        update(Task)
        .where(Task.id.in_([r.task_id for r in sent]), Task.reminder_claim == claim.token)
        .values(reminder_sent=True, reminder_claim=None, reminder_claimed_until=None)
    )


async def mark_sent(
    sessionmaker: async_sessionmaker[AsyncSession], claim: Claim, sent: list[Reminder]
) -> None:
    """Record reminders as delivered, unless the claim was lost (lease out, reminder moved)."""
    if not sent:
        return
    async with sessionmaker() as session:
        await session.execute(_mark_sent(claim, sent))
        await session.commit()


async def settle_outcomes(
    sessionmaker: async_sessionmaker[AsyncSession],
    claim: Claim,
    published: set[str],
    outcomes: list[Outcome],
) -> None:
    """Record a group of finished reminders and mark the complete, published ones sent, in one
    transaction."""
    sent = [o.reminder for o in outcomes if o.complete and o.reminder.task_id in published]
    async with sessionmaker() as session:
        deliveries = [d for o in outcomes for d in o.deliveries]
        await record(session, deliveries, [g for o in outcomes for g in o.gone])
        if sent:
            await session.execute(_mark_sent(claim, sent))
        await session.commit()


async def send_due(
    sessionmaker: async_sessionmaker[AsyncSession],
    publisher: EventPublisher,
    *,
    now: datetime | None = None,
    lease: timedelta = LEASE,
    channels: Channels | None = None,
) -> int:
    """Claim the due reminders, deliver each (a `reminder` event, then push and e-mail as the
    user chose), then mark them sent.

    Each delivery is recorded as it finishes and marked sent in the same transaction, so a
    reminder reclaimed after its sender died skips the targets it already reached. Returns how
    many reminders were claimed and published.
    """
    claim = await claim_due(sessionmaker, now or utcnow(), lease)
    return await deliver_claim(sessionmaker, publisher, claim, channels)


async def deliver_claim(
    sessionmaker: async_sessionmaker[AsyncSession],
    publisher: EventPublisher,
    claim: Claim,
    channels: Channels | None,
) -> int:
    """Deliver what one claim holds and settle it; how many reminders were published."""
    if not claim.reminders:
        return 0
    published: set[str] = set()
    for reminder in claim.reminders:
        event = make_event(REMINDER, reminder.message, task_id=reminder.task_id)
        if await publisher.publish(reminder.user_id, event) is not None:
            published.add(reminder.task_id)  # else the broker lost it: again once the lease is out

    settle = partial(settle_outcomes, sessionmaker, claim, published)
    if channels is None:
        await settle([Outcome(r) for r in claim.reminders])
    else:
        loop = asyncio.get_running_loop()
        margin = min(LEASE_MARGIN.total_seconds(), (claim.until - utcnow()).total_seconds() / 6)
        remaining = (claim.until - utcnow()).total_seconds() - margin
        deadline = loop.time() + max(1.0, remaining)
        await deliver(channels, sessionmaker, claim.reminders, deadline=deadline, settle=settle)
    return len(published)


@asynccontextmanager
async def run_reminders(
    sessionmaker: async_sessionmaker[AsyncSession],
    publisher: EventPublisher,
    *,
    every: float = 5.0,
    channels: Channels | None = None,
    lease: timedelta = LEASE,
) -> AsyncIterator[None]:
    """Deliver reminders while the app runs; ones missed while every instance was down go
    out at the first pass after start. A full batch is followed by the next at once, up to
    IN_FLIGHT batches being delivered together."""
    gate = asyncio.Semaphore(IN_FLIGHT)
    batches: set[asyncio.Task[int]] = set()

    async def settle(claim: Claim) -> int:
        try:
            return await deliver_claim(sessionmaker, publisher, claim, channels)
        except Exception:
            logger.exception("Sending reminders failed; they go again when their lease ends")
            return 0
        finally:
            gate.release()

    async def loop() -> None:
        while True:
            await gate.acquire()
            try:
                claim = await claim_due(sessionmaker, utcnow(), lease)
            except Exception:
                logger.exception("Claiming reminders failed; trying again shortly")
                claim = Claim("", utcnow(), [])
            if not claim.reminders:
                gate.release()
            else:
                batch = asyncio.create_task(settle(claim))
                batches.add(batch)
                batch.add_done_callback(batches.discard)
            if len(claim.reminders) < BATCH:
                await asyncio.sleep(every)

    task = asyncio.create_task(loop(), name="reminders")
    try:
        yield
    finally:
        task.cancel()
        for batch in list(batches):
            batch.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await asyncio.gather(*batches, return_exceptions=True)
