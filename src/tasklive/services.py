"""The shared objects one running app is built from, and the typed way to reach them."""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.requests import HTTPConnection

from tasklive.chat.runner import TurnRunner
from tasklive.config import Settings
from tasklive.errors import UnavailableError
from tasklive.metrics import Metrics
from tasklive.realtime.credentials import LiveCredentials
from tasklive.realtime.hub import Hub
from tasklive.tasks.events import TaskNotifier
from tasklive.tasks.notify.deliver import Channels
from tasklive.tasks.notify.vapid import VapidSigner


@dataclass(frozen=True)
class Services:
    """Everything the lifespan builds; requests reach it through `deps.py`."""

    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    hub: Hub
    runner: TurnRunner
    task_notifier: TaskNotifier
    metrics: Metrics
    live_credentials: LiveCredentials
    push_signer: VapidSigner
    reminder_channels: Channels


def services_of(app: Starlette) -> Services:
    """The app's services; 503 while it is starting or stopping."""
    services: Services | None = getattr(app.state, "services", None)
    if services is None:
        raise UnavailableError("tasklive is starting. Please try again in a moment.")
    return services


def get_services(connection: HTTPConnection) -> Services:
    """The services of the app serving this request or socket."""
    return services_of(connection.app)
