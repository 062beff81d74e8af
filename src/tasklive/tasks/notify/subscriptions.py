"""A user's push subscriptions, and the scoped credential each one's service worker acts with."""

import hashlib
import secrets

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from tasklive.db import new_id, utcnow
from tasklive.errors import AuthenticationError, NotFoundError
from tasklive.tasks.notify.models import PushSubscription

CREDENTIAL_PREFIX = "tlw_"
BAD_CREDENTIAL = "This notification's credential is no longer valid."


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_credential() -> str:
    """A secret that lets one service worker complete or snooze its user's tasks, nothing else."""
    return CREDENTIAL_PREFIX + secrets.token_urlsafe(32)


async def subscribe(
    session: AsyncSession,
    user_id: str,
    endpoint: str,
    p256dh: str,
    auth: str,
    user_agent: str,
    session_id: str | None = None,
) -> tuple[PushSubscription, str]:
    """Store a subscription (the same endpoint again replaces the old one, whoever had it);
    returns it with its new credential, which is shown only now."""
    await session.execute(
        delete(PushSubscription).where(PushSubscription.endpoint_hash == digest(endpoint))
    )
    credential = new_credential()
    row = PushSubscription(
        id=new_id(),
        user_id=user_id,
        session_id=session_id,
        endpoint=endpoint,
        endpoint_hash=digest(endpoint),
        p256dh=p256dh,
        auth=auth,
        user_agent=user_agent[:300],
        credential_hash=digest(credential),
        created_at=utcnow(),
        last_used_at=None,
    )
    session.add(row)
    await session.commit()
    return row, credential


async def renew(
    session: AsyncSession, row: PushSubscription, endpoint: str, p256dh: str, auth: str
) -> PushSubscription:
    """Point a subscription at the browser's new endpoint and keys (`pushsubscriptionchange`)."""
    await session.execute(
        delete(PushSubscription).where(
            PushSubscription.endpoint_hash == digest(endpoint), PushSubscription.id != row.id
        )
    )
    row.endpoint, row.endpoint_hash = endpoint, digest(endpoint)
    row.p256dh, row.auth = p256dh, auth
    await session.commit()
    return row


async def listed(session: AsyncSession, user_id: str) -> list[PushSubscription]:
    """The user's subscriptions, newest first."""
    rows = await session.scalars(
        select(PushSubscription)
        .where(PushSubscription.user_id == user_id)
        .order_by(PushSubscription.created_at.desc(), PushSubscription.id)
    )
    return list(rows)


async def remove(session: AsyncSession, user_id: str, subscription_id: str) -> None:
    """Forget one of the user's subscriptions; unknown or foreign: NotFound."""
    row = await session.get(PushSubscription, subscription_id)
    if row is None or row.user_id != user_id:
        raise NotFoundError("Push subscription not found.")
    await session.delete(row)
    await session.commit()


async def forget_session(session: AsyncSession, session_id: str) -> None:
    """Drop the subscriptions made while signed in with this session (it was signed out)."""
    await session.execute(delete(PushSubscription).where(PushSubscription.session_id == session_id))
    await session.commit()


async def by_credential(session: AsyncSession, credential: str) -> PushSubscription:
    """The subscription a service worker's credential belongs to."""
    if not credential.startswith(CREDENTIAL_PREFIX):
        raise AuthenticationError(BAD_CREDENTIAL)
    row = await session.scalar(
        select(PushSubscription).where(PushSubscription.credential_hash == digest(credential))
    )
    if row is None:
        raise AuthenticationError(BAD_CREDENTIAL)
    return row
