"""Reaching into a running test app: its services, and swapping its turn runner."""

import dataclasses
from typing import Any

from tasklive.chat.runner import TurnRunner
from tasklive.services import services_of

__all__ = ["services_of", "use_runner"]


def use_runner(app: Any, runner: TurnRunner) -> TurnRunner:
    """Make `runner` the app's turn runner; returns the one it replaced."""
    services = services_of(app)
    app.state.services = dataclasses.replace(services, runner=runner)
    return services.runner
