"""Every FastAPI dependency alias, in one place."""

from typing import Annotated

from fastapi import Depends
from starlette.requests import HTTPConnection

from tasklive.auth.dependencies import (
    CurrentUser,
    PathUser,
    PrincipalDep,
    SettingsDep,
)
from tasklive.chat.runner import TurnRunner
from tasklive.db import SessionDep
from tasklive.realtime.credentials import LiveCredentials
from tasklive.realtime.hub import Hub
from tasklive.services import Services, get_services
from tasklive.tasks.dependencies import TaskServiceDep


async def services_dependency(connection: HTTPConnection) -> Services:
    """The app's services (async: FastAPI runs a plain `def` dependency in a worker thread)."""
    return get_services(connection)


ServicesDep = Annotated[Services, Depends(services_dependency)]


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

__all__ = [
    "CurrentUser",
    "HubDep",
    "LiveCredentialsDep",
    "PathUser",
    "PrincipalDep",
    "RunnerDep",
    "ServicesDep",
    "SessionDep",
    "SettingsDep",
    "TaskServiceDep",
]
