"""Runs in the database: ordering per conversation, leases, claims, cancels and finishing."""

import asyncio
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from tasklive.chat import statements
from tasklive.chat.models import Conversation, Message, Run
from tasklive.chat.outcomes import STATUS_OF, UNFINISHED, RunStatus, TurnOutcome
from tasklive.chat.store import ConversationStore
from tasklive.db import rows_matched, utcnow


class Claim(Enum):
    """What trying to start a queued run found."""

    CLAIMED = "claimed"
    BLOCKED = "blocked"
    CANCELLED = "cancelled"
    GONE = "gone"


@dataclass(frozen=True)
class RunRef:
    """The ids of a run, detached from any session."""

    id: str
    user_id: str
    conversation_id: str
    message_id: str
    created_at: datetime

    @classmethod
    def of(cls, run: Run) -> "RunRef":
        return cls(run.id, run.user_id, run.conversation_id, run.message_id, run.created_at)


def _ahead_of(run: RunRef) -> Any:
    """Another run of the conversation that is running, or queued before this one."""
    other = aliased(Run)
    return exists().where(
        other.conversation_id == run.conversation_id,
        other.id != run.id,
        or_(
            other.status == RunStatus.RUNNING,
            and_(
                other.status == RunStatus.QUEUED,
                or_(
                    other.created_at < run.created_at,
                    and_(other.created_at == run.created_at, other.id < run.id),
                ),
            ),
        ),
    )


async def claim(session: AsyncSession, run: RunRef, owner: str, lease: timedelta) -> Claim:
    """Start a queued run when nothing in its conversation runs or is queued before it.

    The conversation's row lock serializes claims across instances, so two runs of one
    conversation never run at once, whatever order their rows were committed in.
    """
    now = utcnow()
    locked = await session.scalar(
        select(Conversation.id).where(Conversation.id == run.conversation_id).with_for_update()
    )
    if locked is None:
        await session.commit()
        return Claim.GONE
    result = await session.execute(
        update(Run)
        .where(
            Run.id == run.id,
            Run.status == RunStatus.QUEUED,
            Run.cancel_requested.is_(False),
            ~_ahead_of(run),
        )
        .values(status=RunStatus.RUNNING, owner=owner, lease_expires_at=now + lease, started_at=now)
        .execution_options(synchronize_session=False)
    )
    await session.commit()
    if rows_matched(result) == 1:
        return Claim.CLAIMED
    row = await session.execute(select(Run.status, Run.cancel_requested).where(Run.id == run.id))
    found = row.first()
    await session.commit()
    if found is None or found.status != RunStatus.QUEUED:
        return Claim.GONE
    return Claim.CANCELLED if found.cancel_requested else Claim.BLOCKED


CLAIM_POLL_SECONDS = (0.02, 1.0)


async def wait_for_claim(
    sessionmaker: async_sessionmaker[AsyncSession],
    run: RunRef,
    owner: str,
    lease: timedelta,
    wake: asyncio.Event,
    cancelled: Callable[[], bool],
) -> Claim:
    """Claim the run once it is the conversation's oldest unfinished one.

    `wake` is set when a run of this process ends; the poll backs off from 20 ms to 1 s for
    runs that end elsewhere.
    """
    delay, most = CLAIM_POLL_SECONDS
    while not cancelled():
        async with sessionmaker() as session:
            found = await claim(session, run, owner, lease)
        if found is not Claim.BLOCKED:
            return found
        wake.clear()
        try:
            await asyncio.wait_for(wake.wait(), delay)
        except TimeoutError:
            delay = min(delay * 2, most)
    return Claim.CANCELLED


async def finish(
    session: AsyncSession,
    run: RunRef,
    outcome: TurnOutcome,
    reply: str,
    details: dict[str, Any],
    reply_id: str,
    *,
    owner: str | None = None,
    expired_before: datetime | None = None,
) -> bool:
    """Mark an unfinished run finished and store its one reply, atomically.

    Either `owner` finishes a run this instance holds, or `expired_before` one whose lease ran
    out. False when someone else finished it first (then nothing is stored).
    """
    values: dict[str, Any] = {"p_run": run.id, "p_status": STATUS_OF[outcome], "p_outcome": outcome}
    if owner is not None and expired_before is None:
        statement, values["p_owner"] = statements.FINISH_OWNED, owner
    elif expired_before is not None and owner is None:
        statement, values["p_before"] = statements.FINISH_EXPIRED, expired_before
    else:
        raise ValueError("finish a run either as its owner or once its lease ran out")
    result = await session.execute(statement, {**values, "p_now": utcnow()})
    if rows_matched(result) != 1:
        await session.rollback()
        return False
    await ConversationStore(session, run.user_id).add_reply(run, reply, details, reply_id)
    await session.commit()
    return True


async def renew(
    session: AsyncSession, owner: str, lease: timedelta, driving: Collection[str] = ()
) -> list[str]:
    """Extend the leases of this owner's unfinished runs; returns those to stop: asked to
    cancel, or among `driving` (the runs this process drives) but gone with their account."""
    await session.execute(
        update(Run)
        .where(Run.owner == owner, Run.status.in_(UNFINISHED))
        .values(lease_expires_at=utcnow() + lease)
        .execution_options(synchronize_session=False)
    )
    rows = await session.scalars(
        select(Run.id).where(
            Run.owner == owner, Run.status.in_(UNFINISHED), Run.cancel_requested.is_(True)
        )
    )
    cancelling = list(rows)
    if driving:
        present = set(await session.scalars(select(Run.id).where(Run.id.in_(list(driving)))))
        cancelling += [run_id for run_id in driving if run_id not in present]
    await session.commit()
    return cancelling


async def expired(session: AsyncSession, now: datetime, limit: int = 100) -> list[Run]:
    """Unfinished runs whose owner stopped renewing their lease."""
    rows = await session.scalars(
        select(Run)
        .where(Run.status.in_(UNFINISHED), Run.lease_expires_at < now)
        .order_by(Run.created_at)
        .limit(limit)
    )
    found = list(rows)
    await session.commit()
    return found


async def leftovers(session: AsyncSession, instance_id: str, owner: str) -> list[Run]:
    """Unfinished runs of an earlier process with this instance's name (it was restarted)."""
    rows = await session.scalars(
        select(Run).where(
            Run.status.in_(UNFINISHED),
            Run.owner.startswith(f"{instance_id}/", autoescape=True),
            Run.owner != owner,
        )
    )
    found = list(rows)
    await session.commit()
    return found


async def expire_now(session: AsyncSession, run_id: str) -> None:
    """Let a leftover run be finished at once, as if its lease had run out."""
    await session.execute(
        update(Run)
        .where(Run.id == run_id, Run.status.in_(UNFINISHED))
        .values(lease_expires_at=utcnow() - timedelta(seconds=1))
        .execution_options(synchronize_session=False)
    )
    await session.commit()


async def request_cancel(session: AsyncSession, user_id: str, run_id: str) -> Run | None:
    """Flag the user's unfinished run for cancelling; the run, or None when it has finished."""
    await session.execute(
        update(Run)
        .where(Run.id == run_id, Run.user_id == user_id, Run.status.in_(UNFINISHED))
        .values(cancel_requested=True)
        .execution_options(synchronize_session=False)
    )
    run = await session.scalar(select(Run).where(Run.id == run_id, Run.user_id == user_id))
    await session.commit()
    if run is None or run.status not in UNFINISHED:
        return None
    return run


async def get(session: AsyncSession, user_id: str, run_id: str) -> Run | None:
    """One of the user's runs."""
    return await session.scalar(select(Run).where(Run.id == run_id, Run.user_id == user_id))


async def rerun(session: AsyncSession, message: Message, previous_run_id: str, run: Run) -> bool:
    """Queue a new run for a message whose last run failed; False if another retry won."""
    result = await session.execute(
        update(Message)
        .where(Message.id == message.id, Message.run_id == previous_run_id)
        .values(run_id=run.id)
        .execution_options(synchronize_session=False)
    )
    if rows_matched(result) != 1:
        await session.rollback()
        return False
    session.add(run)
    await session.commit()
    return True
