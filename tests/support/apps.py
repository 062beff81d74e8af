"""Reaching into a running test app: its services, and swapping its turn runner."""

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from tasklive.chat.runner import TurnRunner
from tasklive.services import services_of

__all__ = ["running", "services_of", "use_runner"]


def use_runner(app: Any, runner: TurnRunner) -> TurnRunner:
    """Make `runner` the app's turn runner; returns the one it replaced."""
    services = services_of(app)
    app.state.services = dataclasses.replace(services, runner=runner)
    return services.runner


@asynccontextmanager
async def running(app: Any, runner: TurnRunner) -> AsyncIterator[TurnRunner]:
    """`runner` as the app's turn runner meanwhile; then it is closed and the old one put back."""
    original = use_runner(app, runner)
    try:
        yield runner
    finally:
        await runner.aclose()
        use_runner(app, original)
