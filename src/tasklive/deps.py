"""Every FastAPI dependency alias, in one place; only the edge (routers, sockets) imports it."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from tasklive.auth.credentials import Principal, principal_of
from tasklive.auth.models import User
from tasklive.chat.runner import TurnRunner
from tasklive.config import Settings
from tasklive.errors import PermissionDeniedError
from tasklive.metrics import Metrics
from tasklive.realtime.credentials import LiveCredentials
from tasklive.realtime.hub import Hub
from tasklive.services import Services, get_services
from tasklive.tasks.service import TaskService

_bearer = HTTPBearer(
    auto_error=False,
    description="The access_token from sign-up or sign-in, or a personal access token (tlp_...).",
)


async def services_dependency(connection: HTTPConnection) -> Services:
    """The app's services (async: FastAPI runs a plain `def` dependency in a worker thread)."""
    return get_services(connection)


ServicesDep = Annotated[Services, Depends(services_dependency)]


async def get_session(connection: HTTPConnection) -> AsyncIterator[AsyncSession]:
    """One session per request, from the sessionmaker built in the lifespan."""
    async with get_services(connection).sessionmaker() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


async def get_settings(connection: HTTPConnection) -> Settings:
    """The settings the app was built with."""
    return get_services(connection).settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_metrics(connection: HTTPConnection) -> Metrics:
    """The app's metrics, created with the app."""
    return get_services(connection).metrics


MetricsDep = Annotated[Metrics, Depends(get_metrics)]


async def get_principal(
    connection: HTTPConnection,
    session: SessionDep,
    settings: SettingsDep,
    _: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],  # declares the scheme
) -> Principal:
    """The caller, by the credential their request offers."""
    return await principal_of(connection, session, settings)


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


async def get_task_service(
    connection: HTTPConnection, session: SessionDep, user: CurrentUser
) -> TaskService:
    """The current user's task service, publishing changes through the app's notifier."""
    return TaskService(session, user.id, get_services(connection).task_notifier)


TaskServiceDep = Annotated[TaskService, Depends(get_task_service)]


async def get_runner(connection: HTTPConnection) -> TurnRunner:
    """The turn runner every chat entry point shares."""
    return get_services(connection).runner


async def get_hub(connection: HTTPConnection) -> Hub:
    """The live event hub."""
    return get_services(connection).hub


def get_live_credentials(connection: HTTPConnection) -> LiveCredentials:
    """Open live connections by credential, to close them when it is revoked."""
    return get_services(connection).live_credentials


RunnerDep = Annotated[TurnRunner, Depends(get_runner)]
HubDep = Annotated[Hub, Depends(get_hub)]
LiveCredentialsDep = Annotated[LiveCredentials, Depends(get_live_credentials)]
