"""What delivery reads first and writes after: recipients, deliveries, dead subscriptions."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.auth.models import User
from tasklive.db import new_id, utcnow
from tasklive.tasks.models import Task
from tasklive.tasks.notify.models import PushSubscription, ReminderDelivery
from tasklive.tasks.notify.webpush import Target

SENT = "sent"


@dataclass
class Recipient:
    """A user reminders go to: their address, zone, choice of channel and subscriptions."""

    email: str
    timezone: str
    channel: str
    targets: list[Target] = field(default_factory=list)


@dataclass(frozen=True)
class Delivery:
    """One finished attempt, to be recorded."""

    user_id: str
    task_id: str
    occurrence: datetime
    channel: str
    target: str
    status: str
    attempts: int
    at: datetime


async def recipients(
    sessionmaker: async_sessionmaker[AsyncSession], user_ids: Sequence[str]
) -> dict[str, Recipient]:
    """The users' addresses, zones, channel choices and push subscriptions."""
    found: dict[str, Recipient] = {}
    async with sessionmaker() as session:
        users = await session.execute(
            select(User.id, User.email, User.timezone, User.reminder_channel).where(
                User.id.in_(set(user_ids))
            )
        )
        for user_id, email, zone, channel in users.all():
            found[user_id] = Recipient(email, zone or "UTC", channel or "push")
        subscriptions = await session.execute(
            select(
                PushSubscription.user_id,
                PushSubscription.id,
                PushSubscription.endpoint,
                PushSubscription.p256dh,
                PushSubscription.auth,
            )
            .where(PushSubscription.user_id.in_(set(user_ids)))
            .order_by(PushSubscription.created_at)
        )
        for user_id, *target in subscriptions.all():
            if user_id in found:
                found[user_id].targets.append(Target(*target))
    return found


async def already_sent(
    sessionmaker: async_sessionmaker[AsyncSession], occurrences: Sequence[tuple[str, datetime]]
) -> dict[tuple[str, datetime], set[str]]:
    """Targets each (task, occurrence) already reached: a reclaimed reminder skips them."""
    done: dict[tuple[str, datetime], set[str]] = defaultdict(set)
    if not occurrences:
        return done
    async with sessionmaker() as session:
        rows = await session.execute(
            select(ReminderDelivery.task_id, ReminderDelivery.occurrence, ReminderDelivery.target)
            .where(ReminderDelivery.task_id.in_({task_id for task_id, _ in occurrences}))
            .where(ReminderDelivery.status == SENT)
        )
        wanted = set(occurrences)
        for task_id, occurrence, target in rows.all():
            if (task_id, occurrence) in wanted:
                done[(task_id, occurrence)].add(target)
    return done


async def _still_there(session: AsyncSession, task_ids: set[str]) -> set[str]:
    """Which of the tasks exist; on PostgreSQL they are held so none is deleted before commit."""
    if not task_ids:
        return set()
    query = select(Task.id).where(Task.id.in_(task_ids))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(key_share=True)
    return set(await session.scalars(query))


async def record(
    session: AsyncSession, deliveries: Sequence[Delivery], gone: Sequence[str]
) -> None:
    """Store deliveries, forget dead subscriptions, note when live ones were last used.

    A delivery of a task deleted meanwhile (or with its account) is dropped, not the group.
    """
    alive = await _still_there(session, {d.task_id for d in deliveries})
    rows = [{"id": new_id(), **d.__dict__} for d in deliveries if d.task_id in alive]
    if rows:
        await session.execute(insert(ReminderDelivery), rows)
    if gone:
        await session.execute(delete(PushSubscription).where(PushSubscription.id.in_(set(gone))))
    used = {d.target for d in deliveries if d.channel == "push" and d.status == SENT}
    if used:
        await session.execute(
            update(PushSubscription)
            .where(PushSubscription.id.in_(used))
            .values(last_used_at=utcnow())
        )


async def deliveries_of(session: AsyncSession, task_id: str) -> list[ReminderDelivery]:
    """Where a task's reminders went, oldest first."""
    rows = await session.scalars(
        select(ReminderDelivery)
        .where(ReminderDelivery.task_id == task_id)
        .order_by(ReminderDelivery.at, ReminderDelivery.id)
    )
    return list(rows)
