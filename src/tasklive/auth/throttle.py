"""Sign-in and sign-up throttling per email and per client address, counted in the database."""

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Row, bindparam, case, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from tasklive.auth.models import AuthThrottle
from tasklive.config import Settings
from tasklive.db import UTCDateTime, utcnow
from tasklive.errors import RateLimitedError

TOO_MANY = "Too many sign-in attempts. Please try again in {seconds} seconds."


@dataclass(frozen=True)
class ThrottleRules:
    """How many attempts one email and one client address get per window."""

    per_email: int
    per_address: int
    window: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> "ThrottleRules":
        return cls(
            settings.auth_attempts_per_email,
            settings.auth_attempts_per_address,
            timedelta(seconds=settings.auth_throttle_window_seconds),
        )


PAGE_ACTIONS = frozenset({"sign-in", "sign-up"})


def _key(kind: str, value: str) -> str:
    # Hashed, so the table never holds the emails or addresses of strangers.
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def email_key(action: str, email: str) -> str:
    """The throttle key of a (normalized) email for one action: "sign-in", "sign-up", "device"."""
    return _key(f"{action}:email", email)


async def _count(
    session: AsyncSession, key: str, now: datetime, window: timedelta
) -> Row[int, datetime]:
    table = AuthThrottle.__table__
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    now_param = bindparam("now", now, type_=UTCDateTime)
    expired = table.c.window_start <= bindparam("cutoff", now - window, type_=UTCDateTime)
    statement = (
        insert(table)
        .values(key=key, window_start=now_param, attempts=1)
        .on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "attempts": case((expired, 1), else_=table.c.attempts + 1),
                "window_start": case((expired, now_param), else_=table.c.window_start),
            },
        )
        .returning(table.c.attempts, table.c.window_start)
    )
    return (await session.execute(statement)).one()


async def count_attempt(
    session: AsyncSession, rules: ThrottleRules, action: str, email: str, address: str
) -> None:
    """Count one `action` for `email` and `address`; RateLimitedError once either is over its limit.

    Counted before any password is checked, so known and unknown emails are answered alike.
    """
    now = utcnow()
    retry_after = 0.0
    # The page's sign-in and sign-up share one count per address; a device's Basic sign-in
    # (CalDAV) has its own, so a phone left with a revoked password never locks the page out.
    address_kind = "addr" if action in PAGE_ACTIONS else f"{action}:addr"
    limits = (
        (email_key(action, email), rules.per_email),
        (_key(address_kind, address), rules.per_address),
    )
    for key, limit in limits:
        attempts, window_start = await _count(session, key, now, rules.window)
        if attempts > limit:
            retry_after = max(retry_after, (window_start + rules.window - now).total_seconds())
    await session.execute(
        delete(AuthThrottle).where(AuthThrottle.window_start <= now - rules.window)
    )
    await session.commit()
    if retry_after:
        seconds = max(1, math.ceil(retry_after))
        raise RateLimitedError(TOO_MANY.format(seconds=seconds), retry_after=seconds)


async def forget_email(session: AsyncSession, email: str) -> None:
    """Clear an email's sign-in count after it signed in (the caller commits)."""
    key = email_key("sign-in", email)
    await session.execute(delete(AuthThrottle).where(AuthThrottle.key == key))
