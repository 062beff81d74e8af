"""Accounts: password hashing (off the event loop), sign-up and sign-in."""

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import TypeVar

from pwdlib import PasswordHash
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tasklive.auth import throttle, tokens
from tasklive.auth.models import AuthThrottle, User
from tasklive.auth.throttle import ThrottleRules
from tasklive.errors import AuthenticationError, ConflictError, PermissionDeniedError

BAD_CREDENTIALS = "Incorrect email or password."


class WrongPasswordError(PermissionDeniedError):
    """The password re-typed to confirm something is not the account's."""

    code = "wrong_password"


_hasher = PasswordHash.recommended()
T = TypeVar("T")


@cache
def _dummy_hash() -> str:
    """A hash to verify unknown emails against, so they take as long as known ones."""
    return _hasher.hash("tasklive-timing-equaliser")


def _verify_against_dummy(password: str) -> bool:
    return _hasher.verify(password, _dummy_hash())


# Few hashing threads: each hash is CPU-bound (and argon2 runs lanes in parallel), so more of them
# would only starve the event loop's thread of CPU time.
_hashing = ThreadPoolExecutor(max(1, (os.cpu_count() or 2) // 2), thread_name_prefix="hashing")


async def _off_loop(work: Callable[..., T], *args: object) -> T:
    """Run CPU-bound password work on the hashing threads."""
    return await asyncio.get_running_loop().run_in_executor(_hashing, work, *args)


def normalize_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding spaces."""
    return email.strip().lower()


async def sign_up(
    session: AsyncSession,
    email: str,
    password: str,
    name: str | None,
    *,
    rules: ThrottleRules,
    address: str,
) -> User:
    """Create an account; a taken email is a ConflictError."""
    email = normalize_email(email)
    await throttle.count_attempt(session, rules, "sign-up", email, address)
    display_name = (name or "").strip() or email.split("@")[0]
    password_hash = await _off_loop(_hasher.hash, password)
    user = User(email=email, name=display_name, password_hash=password_hash)
    session.add(user)
    try:
        await session.commit()
    except IntegrityError as exc:
        await session.rollback()
        raise ConflictError("An account with this email already exists.") from exc
    return user


async def sign_in(
    session: AsyncSession, email: str, password: str, *, rules: ThrottleRules, address: str
) -> User:
    """The user for a correct email and password; one message for any bad pair.

    Passwords are checked in a worker thread, so live streams keep flowing meanwhile.
    """
    email = normalize_email(email)
    await throttle.count_attempt(session, rules, "sign-in", email, address)
    user = await session.scalar(select(User).where(User.email == email))
    await session.commit()  # hold no transaction (on SQLite: no write lock) while hashing
    if user is None:
        await _off_loop(_verify_against_dummy, password)
        raise AuthenticationError(BAD_CREDENTIALS)
    valid, new_hash = await _off_loop(_hasher.verify_and_update, password, user.password_hash)
    if not valid:
        raise AuthenticationError(BAD_CREDENTIALS)
    if new_hash:
        user.password_hash = new_hash
    await throttle.forget_email(session, email)
    await session.commit()
    return user


async def delete_account(
    session: AsyncSession, user: User, password: str, *, rules: ThrottleRules, address: str
) -> list[str]:
    """Delete the account and every row of it (the tables cascade), after its password is
    re-typed; returns the keys of its credentials, for closing their live connections."""
    await throttle.count_attempt(session, rules, "sign-in", user.email, address)
    await session.commit()
    valid = await _off_loop(_hasher.verify, password, user.password_hash)
    if not valid:
        raise WrongPasswordError("That is not your password; the account was not deleted.")
    keys = await tokens.credential_keys(session, user.id)
    throttled = [throttle.email_key(action, user.email) for action in ("sign-in", "sign-up")]
    await session.execute(delete(AuthThrottle).where(AuthThrottle.key.in_(throttled)))
    await session.execute(delete(User).where(User.id == user.id))
    await session.commit()
    return keys
