"""The one rule for which credential a request or WebSocket handshake offers."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from tasklive.auth.models import User
from tasklive.auth.origins import origin_allowed
from tasklive.auth.tokens import user_from_token
from tasklive.config import Settings
from tasklive.db import without_transaction
from tasklive.errors import AuthenticationError, PermissionDeniedError

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@dataclass(frozen=True)
class OfferedToken:
    """A token as the caller presented it."""

    token: str
    via_cookie: bool


def offered_token(connection: HTTPConnection, settings: Settings) -> OfferedToken | None:
    """`Authorization: Bearer`, else `?token=`, else the session cookie; None when there is none.

    A cookie counts only from an allowed Origin where it could act for the user: on a WebSocket,
    or an HTTP method that changes something (PermissionDeniedError otherwise).
    """
    scheme, _, credentials = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return OfferedToken(credentials.strip(), via_cookie=False)
    if token := connection.query_params.get("token"):
        return OfferedToken(token, via_cookie=False)
    cookie = connection.cookies.get(settings.cookie_name)
    if not cookie:
        return None
    acts = connection.scope["type"] == "websocket" or connection.scope["method"] not in SAFE_METHODS
    if acts and not origin_allowed(connection, settings.allowed_origins):
        raise PermissionDeniedError("This request came from a site that is not allowed.")
    return OfferedToken(cookie, via_cookie=True)


@dataclass(frozen=True)
class Principal:
    """Who is calling and until when their token holds."""

    user: User
    expires_at: datetime
    via_cookie: bool
    token: str


async def principal_of(
    connection: HTTPConnection, session: AsyncSession, settings: Settings
) -> Principal:
    """The caller, by the credential `offered_token` picks; its session or token must be live."""
    offered = offered_token(connection, settings)
    if offered is None:
        raise AuthenticationError("Sign in to continue.")
    await without_transaction(session)
    user, expires_at = await user_from_token(session, offered.token, settings.resolved_secret_key)
    # End the lookup's transaction: on SQLite it holds the write lock, and a long-lived request
    # (SSE, a chat turn) must not keep other writers waiting.
    await session.commit()
    return Principal(user, expires_at, offered.via_cookie, offered.token)
