"""TaskServiceDep: the caller's task service, wired to live events."""

from typing import Annotated

from fastapi import Depends
from starlette.requests import HTTPConnection

from tasklive.auth.dependencies import CurrentUser
from tasklive.db import SessionDep
from tasklive.services import get_services
from tasklive.tasks.service import TaskService


async def get_task_service(
    connection: HTTPConnection, session: SessionDep, user: CurrentUser
) -> TaskService:
    """The current user's task service, publishing changes through the app's notifier."""
    return TaskService(session, user.id, get_services(connection).task_notifier)


TaskServiceDep = Annotated[TaskService, Depends(get_task_service)]
