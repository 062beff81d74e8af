"""Reminders: the schedule is the tasks' `remind_at`; each is claimed once across instances."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.db import utcnow
from tasklive.realtime.events import REMINDER, EventPublisher, make_event
from tasklive.tasks.models import Task

logger = logging.getLogger(__name__)

BATCH = 100


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


async def claim_due(
    sessionmaker: async_sessionmaker[AsyncSession], now: datetime
) -> list[Reminder]:
    """Mark the reminders due by `now` as sent, and return the ones this caller won.

    The conditional UPDATE is the claim: of several instances, exactly one changes a row.
    PostgreSQL also skips rows another instance is claiming, so neither waits on the other.
    """
    async with sessionmaker() as session:
        due = (
            select(Task.id)
            .where(
                Task.reminder_sent.is_(False),
                Task.completed.is_(False),
                Task.remind_time <= now,
            )
            .order_by(Task.remind_time)
            .limit(BATCH)
        )
        if session.bind.dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        ids = list(await session.scalars(due))
        if not ids:
            return []
        claimed = await session.execute(
            update(Task)
            .where(Task.id.in_(ids), Task.reminder_sent.is_(False))
            .values(reminder_sent=True)
            .returning(Task.user_id, Task.id, Task.number, Task.title)
        )
        reminders = [Reminder(*row) for row in claimed.all()]
        await session.commit()
    return reminders


async def send_due(
    sessionmaker: async_sessionmaker[AsyncSession], publisher: EventPublisher
) -> int:
    """Claim the due reminders and deliver each as a `reminder` event; returns how many."""
    reminders = await claim_due(sessionmaker, utcnow())
    for reminder in reminders:
        event = make_event(REMINDER, reminder.message, task_id=reminder.task_id)
        await publisher.publish(reminder.user_id, event)
    return len(reminders)


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
