"""Reminders: the schedule is the tasks' `remind_at`; each is leased to one instance at a time."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.db import new_id, utcnow
from tasklive.realtime.events import REMINDER, EventPublisher, make_event
from tasklive.tasks.models import Task

logger = logging.getLogger(__name__)

BATCH = 100
LEASE = timedelta(seconds=60)


@dataclass(frozen=True)
class Reminder:
    """A reminder this instance claimed and must deliver."""

    user_id: str
    task_id: str
    number: int
    title: str

    @property
    def message(self) -> str:
        return f"Reminder: #{self.number} {self.title}"


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
        if session.bind.dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        ids = list(await session.scalars(due))
        if not ids:
            return claim
        claimed = await session.execute(
            update(Task)
            .where(Task.id.in_(ids), Task.reminder_sent.is_(False), _unclaimed(now))
            .values(reminder_claim=claim.token, reminder_claimed_until=claim.until)
            .returning(Task.user_id, Task.id, Task.number, Task.title)
        )
        claim.reminders.extend(Reminder(*row) for row in claimed.all())
        await session.commit()
    return claim


async def mark_sent(
    sessionmaker: async_sessionmaker[AsyncSession], claim: Claim, sent: list[Reminder]
) -> None:
    """Record reminders as delivered, unless the claim was lost (lease out, reminder moved)."""
    if not sent:
        return
    async with sessionmaker() as session:
        await session.execute(
            update(Task)
            .where(Task.id.in_([r.task_id for r in sent]), Task.reminder_claim == claim.token)
            .values(reminder_sent=True, reminder_claim=None, reminder_claimed_until=None)
        )
        await session.commit()


async def send_due(
    sessionmaker: async_sessionmaker[AsyncSession],
    publisher: EventPublisher,
    *,
    now: datetime | None = None,
    lease: timedelta = LEASE,
) -> int:
    """Claim the due reminders, deliver each as a `reminder` event, then mark them sent.

    At least once if this process dies between the two steps; exactly once otherwise.
    Returns how many went out.
    """
    claim = await claim_due(sessionmaker, now or utcnow(), lease)
    sent = []
    for reminder in claim.reminders:
        event = make_event(REMINDER, reminder.message, task_id=reminder.task_id)
        if await publisher.publish(reminder.user_id, event) is not None:
            sent.append(reminder)  # None: the broker lost it; sent again once the lease is out
    await mark_sent(sessionmaker, claim, sent)
    return len(sent)


@asynccontextmanager
async def run_reminders(
    sessionmaker: async_sessionmaker[AsyncSession],
    publisher: EventPublisher,
    *,
    every: float = 5.0,
) -> AsyncIterator[None]:
    """Deliver reminders while the app runs; ones missed while every instance was down go
    out at the first pass after start."""

    async def loop() -> None:
        while True:
            try:
                await send_due(sessionmaker, publisher)
            except Exception:
                logger.exception("Sending reminders failed; trying again shortly")
            await asyncio.sleep(every)

    task = asyncio.create_task(loop(), name="reminders")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
