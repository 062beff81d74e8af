"""App factory and lifespan: builds the engine and the shared objects, mounts every router."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI

from tasklive import __version__
from tasklive.agent.runner import TurnRunner
from tasklive.auth.router import router as auth_router
from tasklive.config import Settings
from tasklive.conversations.retention import run_purge_job
from tasklive.conversations.router import router as conversations_router
from tasklive.db import create_engine, create_sessionmaker, upgrade_schema
from tasklive.errors import install_error_handlers
from tasklive.health import install_operations
from tasklive.mcp.server import install_mcp, run_mcp
from tasklive.openapi import install_openapi, operation_id
from tasklive.realtime import sse, ws
from tasklive.realtime.brokers import create_broker
from tasklive.realtime.events import EventPublisher, task_change_events
from tasklive.realtime.hub import Hub
from tasklive.tasks.reminders import run_reminders
from tasklive.tasks.router import router as tasks_router
from tasklive.tasks.service import TaskChange, TaskNotifier
from tasklive.web.router import router as web_router


def task_notifier(publisher: EventPublisher) -> TaskNotifier:
    """Publishes `task_*` events for changes made outside an agent run (REST, MCP)."""

    async def notify(user_id: str, changes: list[TaskChange]) -> None:
        for event in task_change_events(changes):
            await publisher.publish(user_id, event)

    return notify


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Build the shared objects on start; release them in reverse order on stop."""
    settings: Settings = app.state.settings
    async with AsyncExitStack() as stack:
        engine = create_engine(settings.resolved_database_url)
        stack.push_async_callback(engine.dispose)
        await upgrade_schema(engine)
        app.state.engine = engine
        app.state.sessionmaker = create_sessionmaker(engine)

        hub = Hub(create_broker(settings.broker_url, settings), settings, app.state.metrics)
        await hub.start()
        stack.push_async_callback(hub.aclose)
        app.state.hub = hub
        publisher: EventPublisher = hub
        app.state.publisher = publisher
        app.state.task_notifier = task_notifier(publisher)
        app.state.runner = TurnRunner(settings, app.state.sessionmaker, publisher)
        stack.push_async_callback(app.state.runner.aclose)
        await stack.enter_async_context(run_purge_job(app))
        await stack.enter_async_context(run_mcp(app))
        await stack.enter_async_context(run_reminders(app.state.sessionmaker, publisher))

        yield


def create_app(settings: Settings | None = None) -> FastAPI:
    """A fully wired tasklive application."""
    # /docs is served by the web router from local files; ReDoc would need a CDN.
    app = FastAPI(
        title="tasklive",
        version=__version__,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings or Settings()
    install_error_handlers(app)
    app.include_router(auth_router)
    app.include_router(tasks_router)
    app.include_router(conversations_router)
    app.include_router(ws.router)
    app.include_router(sse.router)
    install_mcp(app)

    install_operations(app)
    app.include_router(web_router)  # last, so it never shadows /api, /ws, /mcp or /docs
    install_openapi(app)
    return app
