"""Credentials: signed access tokens backed by revocable sessions, and personal access tokens."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tasklive.auth.models import AuthSession, PersonalAccessToken, User
from tasklive.db import utcnow
from tasklive.errors import AuthenticationError, NotFoundError

ALGORITHM = "HS256"
PAT_PREFIX = "tlp_"
BAD_TOKEN = "Your session is invalid or has expired. Please sign in again."
# Personal access tokens last until revoked; streams opened with one are re-checked this often.
PAT_RECHECK = timedelta(days=1)


@dataclass(frozen=True)
class AccessToken:
    """A signed token and the moment it stops working."""

    token: str
    expires_at: datetime


@dataclass(frozen=True)
class Claims:
    """What a valid access token says."""

    user_id: str
    session_id: str | None
    expires_at: datetime


def issue_token(
    user_id: str, secret: str, minutes: float, session_id: str | None = None
) -> AccessToken:
    """A signed HS256 JWT for `user_id`, valid for `minutes`, naming its session."""
    now = datetime.now(UTC).replace(microsecond=0)
    expires_at = now + timedelta(minutes=minutes)
    claims = {"sub": user_id, "iat": now, "exp": expires_at, "typ": "access"}
    if session_id is not None:
        claims["sid"] = session_id
    return AccessToken(jwt.encode(claims, secret, algorithm=ALGORITHM), expires_at)


def read_token(token: str, secret: str) -> Claims:
    """The claims of a validly signed, unexpired token; anything else is an AuthenticationError."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": ["sub", "exp"]}
        )
    except jwt.PyJWTError as exc:
        raise AuthenticationError(BAD_TOKEN) from exc
    if claims.get("typ") != "access" or not isinstance(claims.get("sub"), str):
        raise AuthenticationError(BAD_TOKEN)
    session_id = claims.get("sid")
    if session_id is not None and not isinstance(session_id, str):
        raise AuthenticationError(BAD_TOKEN)
    return Claims(claims["sub"], session_id, datetime.fromtimestamp(claims["exp"], UTC))


def session_of(token: str, secret: str) -> str | None:
    """The sign-in session an access token names; None for any other credential."""
    try:
        return read_token(token, secret).session_id
    except AuthenticationError:
        return None


async def start_session(
    session: AsyncSession, user_id: str, secret: str, minutes: float
) -> AccessToken:
    """A new sign-in session for `user_id` and its access token (committed)."""
    token = issue_token(user_id, secret, minutes, session_id=(row_id := secrets.token_hex(16)))
    session.add(AuthSession(id=row_id, user_id=user_id, expires_at=token.expires_at))
    await session.commit()
    return token


def _session_key(session_id: str) -> str:
    return f"session:{session_id}"


def _pat_key(token_hash: str) -> str:
    return f"pat:{token_hash}"


def credential_key(token: str, secret: str) -> str | None:
    """What names a credential when it is revoked: its session, or its personal token's hash."""
    if token.startswith(PAT_PREFIX):
        return _pat_key(_digest(token))
    try:
        session_id = read_token(token, secret).session_id
    except AuthenticationError:
        return None
    return None if session_id is None else _session_key(session_id)


async def revoke_session(session: AsyncSession, token: str, secret: str) -> str | None:
    """End the session an access token belongs to, everywhere; other tokens are left alone.

    Returns the credential key of what was ended, for closing its live connections.
    """
    try:
        claims = read_token(token, secret)
    except AuthenticationError:
        return None
    await session.execute(
        update(AuthSession)
        .where(AuthSession.id == claims.session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    await session.commit()
    return None if claims.session_id is None else _session_key(claims.session_id)


async def credential_keys(session: AsyncSession, user_id: str) -> list[str]:
    """The credential key of every session and personal token the user has, to close them all."""
    sessions = await session.scalars(select(AuthSession.id).where(AuthSession.user_id == user_id))
    hashes = await session.scalars(
        select(PersonalAccessToken.token_hash).where(PersonalAccessToken.user_id == user_id)
    )
    return [_session_key(row) for row in sessions] + [_pat_key(row) for row in hashes]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def user_from_token(session: AsyncSession, token: str, secret: str) -> tuple[User, datetime]:
    """The user a live credential belongs to, and when to check it again.

    A signed token counts only while its session is open; a personal access token until revoked.
    """
    if token.startswith(PAT_PREFIX):
        user = await session.scalar(
            select(User)
            .join(PersonalAccessToken, PersonalAccessToken.user_id == User.id)
            .where(PersonalAccessToken.token_hash == _digest(token))
        )
        if user is None:
            raise AuthenticationError(BAD_TOKEN)
        return user, datetime.now(UTC) + PAT_RECHECK
    claims = read_token(token, secret)
    user = await session.scalar(
        _SIGNED_IN_USER, {"p_user": claims.user_id, "p_session": claims.session_id}
    )
    if user is None:
        raise AuthenticationError(BAD_TOKEN)
    return user, claims.expires_at


# Built once: every request looks its caller up with it.
_SIGNED_IN_USER = (
    select(User)
    .join(AuthSession, AuthSession.user_id == User.id)
    .where(User.id == bindparam("p_user"))
    .where(AuthSession.id == bindparam("p_session"))
    .where(AuthSession.revoked_at.is_(None))
)


async def create_personal_token(
    session: AsyncSession, user_id: str, name: str
) -> tuple[PersonalAccessToken, str]:
    """A new personal access token; the secret is returned once and only its hash is kept."""
    secret = PAT_PREFIX + secrets.token_urlsafe(32)
    row = PersonalAccessToken(user_id=user_id, name=name, token_hash=_digest(secret))
    session.add(row)
    await session.commit()
    return row, secret


async def personal_tokens(session: AsyncSession, user_id: str) -> list[PersonalAccessToken]:
    """The user's personal access tokens, newest first."""
    rows = await session.scalars(
        select(PersonalAccessToken)
        .where(PersonalAccessToken.user_id == user_id)
        .order_by(PersonalAccessToken.created_at.desc(), PersonalAccessToken.id)
    )
    return list(rows)


async def revoke_personal_token(session: AsyncSession, user_id: str, token_id: str) -> str:
    """Delete one of the user's tokens; it stops working at once. Unknown or foreign: NotFound.

    Returns the token's credential key, for closing its live connections.
    """
    row = await session.get(PersonalAccessToken, token_id)
    if row is None or row.user_id != user_id:
        raise NotFoundError("Token not found.")
    await session.delete(row)
    await session.commit()
    return _pat_key(row.token_hash)


# Built once: every CalDAV request signs in with an email and a personal access token.
_APP_PASSWORD_USER = (
    select(User)
    .join(PersonalAccessToken, PersonalAccessToken.user_id == User.id)
    .where(User.email == bindparam("p_email"))
    .where(PersonalAccessToken.token_hash == bindparam("p_hash"))
)


async def user_from_app_password(session: AsyncSession, email: str, token: str) -> User | None:
    """The user whose email this is and who owns this personal access token (an app password
    for devices); None otherwise. The account password is never one."""
    if not token.startswith(PAT_PREFIX):
        return None
    found = await session.scalar(_APP_PASSWORD_USER, {"p_email": email, "p_hash": _digest(token)})
    return found
