"""Delivers claimed reminders beyond the tab: a Web Push to each subscription, e-mail as chosen.

No database connection is held while a push service or mail server is talked to: recipients
are read first, and what happened is written afterwards, in groups, as reminders finish.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import aiosmtplib
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.auth.zones import zone_named
from tasklive.db import utcnow
from tasklive.tasks.notify.ledger import SENT, Delivery, Recipient, already_sent, recipients
from tasklive.tasks.notify.mail import MailServer, reminder_mail, shown_due
from tasklive.tasks.notify.webpush import PushResult, Target, TooLateError, WebPusher

logger = logging.getLogger(__name__)

CHANNELS = ("push", "email", "both")
EMAIL_TARGET = "email"


@dataclass(frozen=True)
class Reminder:
    """One occurrence of a task's reminder that this instance claimed and must deliver."""

    user_id: str
    task_id: str
    number: int
    title: str
    occurrence: datetime | None = None
    due: date | datetime | None = None

    @property
    def message(self) -> str:
        return f"Reminder: #{self.number} {self.title}"


@dataclass
class Outcome:
    """What delivering one reminder did: deliveries to record, subscriptions found dead."""

    reminder: Reminder
    deliveries: list[Delivery] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    complete: bool = True  # False: some target is left for the next claim (the lease ran out)


Settle = Callable[[list[Outcome]], Awaitable[None]]


@dataclass(frozen=True)
class Channels:
    """The ways out besides the live event: Web Push and (when configured) e-mail."""

    pusher: WebPusher
    mail: MailServer | None
    public_url: str
    concurrency: int = 100

    def link(self, task_id: str) -> str:
        return f"{self.public_url}/#task={task_id}"

    def payload(self, reminder: Reminder) -> dict[str, Any]:
        """What the service worker decrypts: enough to show the notification and act on it."""
        return {
            "type": "reminder",
            "task_id": reminder.task_id,
            "number": reminder.number,
            "title": reminder.title,
            "message": reminder.message,
            "due": reminder.due.isoformat() if reminder.due is not None else None,
            "url": f"/#task={reminder.task_id}",
        }


class GroupWriter:
    """Writes finished outcomes in groups: whatever finished during one write goes in the next."""

    def __init__(self, write: Settle) -> None:
        self._write = write
        self._queue: list[Outcome] = []
        self._task: asyncio.Task[None] | None = None

    def add(self, outcome: Outcome) -> None:
        self._queue.append(outcome)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain())

    async def _drain(self) -> None:
        while self._queue:
            group, self._queue = self._queue, []
            try:
                await self._write(group)
            except Exception:
                logger.exception("Recording %d reminder deliveries failed", len(group))

    async def close(self) -> None:
        while self._task is not None and not self._task.done():
            await self._task


async def deliver(
    channels: Channels,
    sessionmaker: async_sessionmaker[AsyncSession],
    reminders: Sequence[Reminder],
    *,
    deadline: float,
    settle: Settle,
) -> None:
    """Deliver each reminder on its user's channels until `deadline` (loop time); `settle`
    records them in groups as they finish."""
    people = await recipients(sessionmaker, [r.user_id for r in reminders])
    keys = [(r.task_id, r.occurrence) for r in reminders if r.occurrence is not None]
    done = await already_sent(sessionmaker, keys)
    writer = GroupWriter(settle)
    gate = asyncio.Semaphore(channels.concurrency)

    async def one(reminder: Reminder) -> None:
        async with gate:
            person = people.get(reminder.user_id)
            try:
                outcome = await _deliver_one(
                    channels,
                    reminder,
                    person,
                    done.get((reminder.task_id, reminder.occurrence))
                    if reminder.occurrence is not None
                    else None,
                    deadline,
                )  # fmt: skip
            except Exception:
                # Settled all the same: a reminder that fails the same way at every claim would
                # otherwise go out again to every target that did take it, each lease.
                logger.exception("Delivering the reminder of task %s failed", reminder.task_id)
                outcome = Outcome(reminder)
            writer.add(outcome)

    await asyncio.gather(*(one(reminder) for reminder in reminders))
    await writer.close()


async def _deliver_one(
    channels: Channels,
    reminder: Reminder,
    person: Recipient | None,
    skip: set[str] | None,
    deadline: float,
) -> Outcome:
    outcome = Outcome(reminder)
    if person is None or reminder.occurrence is None:
        return outcome
    skip = skip or set()
    mail = channels.mail
    wants_push = person.channel in ("push", "both") or mail is None
    accepted = any(t.subscription_id in skip for t in person.targets)
    if wants_push:
        targets = [t for t in person.targets if t.subscription_id not in skip]
        pusher = channels.pusher
        payload = channels.payload(reminder)
        results = await asyncio.gather(
            *(pusher.send(t, payload, reminder.task_id, deadline) for t in targets),
            return_exceptions=True,
        )
        for target, result in zip(targets, results, strict=True):
            if isinstance(result, TooLateError):
                outcome.complete = False
                continue
            if isinstance(result, Exception):  # this target's fault (a key that is no point)
                logger.warning(
                    "Pushing the reminder of task %s to subscription %s failed: %r",
                    reminder.task_id, target.subscription_id, result,
                )  # fmt: skip
                result = PushResult("failed", 0)
            elif isinstance(result, BaseException):
                raise result
            outcome.deliveries.append(_record(reminder, "push", target, result))
            accepted = accepted or result.status == SENT
            if result.status == "gone":
                outcome.gone.append(target.subscription_id)
    wants_mail = person.channel in ("email", "both") or (wants_push and not accepted)
    if not outcome.complete:
        return outcome  # the fallback waits until every push had its chance
    if mail is not None and wants_mail and EMAIL_TARGET not in skip:
        outcome.deliveries.append(await _mail(mail, channels, reminder, person))
    return outcome


def _record(reminder: Reminder, channel: str, target: Target, result: PushResult) -> Delivery:
    assert reminder.occurrence is not None
    return Delivery(
        reminder.user_id,
        reminder.task_id,
        reminder.occurrence,
        channel,
        target.subscription_id,
        result.status,
        result.attempts,
        utcnow(),
    )


async def _mail(
    mail: MailServer, channels: Channels, reminder: Reminder, person: Recipient
) -> Delivery:
    status = "failed"
    try:
        message = reminder_mail(
            sender=mail.sender,
            to=person.email,
            number=reminder.number,
            title=reminder.title,
            due=shown_due(reminder.due, zone_named(person.timezone)),
            link=channels.link(reminder.task_id),
        )
        await mail.send(message)
        status = SENT
    except (aiosmtplib.SMTPException, OSError) as exc:
        logger.warning("Mailing the reminder of task %s failed: %s", reminder.task_id, exc)
    except Exception:
        logger.exception("Mailing the reminder of task %s failed", reminder.task_id)
    assert reminder.occurrence is not None
    return Delivery(
        reminder.user_id,
        reminder.task_id,
        reminder.occurrence,
        "email",
        EMAIL_TARGET,
        status,
        1,
        utcnow(),
    )
