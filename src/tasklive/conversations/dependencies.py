"""RunnerDep: the app's turn runner, built in the lifespan."""

from typing import Annotated

from fastapi import Depends
from starlette.requests import HTTPConnection

from tasklive.agent.runner import TurnRunner


def get_runner(connection: HTTPConnection) -> TurnRunner:
    """The runner every chat entry point shares."""
    return connection.app.state.runner


RunnerDep = Annotated[TurnRunner, Depends(get_runner)]
