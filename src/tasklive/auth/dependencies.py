"""CurrentUser: the caller, from a Bearer token or the session cookie."""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.requests import HTTPConnection

from tasklive.auth.credentials import offered_token
from tasklive.auth.models import User
from tasklive.auth.tokens import user_from_token
from tasklive.config import Settings
from tasklive.db import SessionDep, without_transaction
from tasklive.errors import AuthenticationError, PermissionDeniedError

_bearer = HTTPBearer(
    auto_error=False,
    description="The access_token from sign-up or sign-in, or a personal access token (tlp_...).",
)


async def get_settings(connection: HTTPConnection) -> Settings:
    """The settings the app was built with."""
    from tasklive.services import get_services

    return get_services(connection).settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


@dataclass(frozen=True)
class Principal:
    """Who is calling and until when their token holds."""

    user: User
    expires_at: datetime
    via_cookie: bool
    token: str


async def get_principal(
    connection: HTTPConnection,
    session: SessionDep,
    settings: SettingsDep,
    _: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],  # declares the scheme
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


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def get_current_user(principal: PrincipalDep) -> User:
    """The authenticated user."""
    return principal.user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_path_user(user_id: str, user: CurrentUser) -> User:
    """The caller, who must be the `user_id` named in the path."""
    if user_id != user.id:
        raise PermissionDeniedError("You can only use your own account.")
    return user


PathUser = Annotated[User, Depends(get_path_user)]
