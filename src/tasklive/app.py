"""App factory and lifespan: builds the typed Services, mounts every router."""

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from tasklive import __version__
from tasklive.auth.router import router as auth_router
from tasklive.bodylimit import BodyLimit
from tasklive.caldav.router import router as caldav_router
from tasklive.chat.control import ControlChannel
from tasklive.chat.retention import run_purge_job
from tasklive.chat.router import router as chat_router
from tasklive.chat.runner import TurnRunner
from tasklive.config import Settings
from tasklive.db import create_engine, create_sessionmaker, upgrade_schema
from tasklive.errors import install_error_handlers
from tasklive.health import install_operations
from tasklive.mcp.server import install_mcp, run_mcp
from tasklive.metrics import Metrics
from tasklive.openapi import install_openapi, operation_id
from tasklive.realtime import sse, ws
from tasklive.realtime.brokers import create_broker
from tasklive.realtime.credentials import LiveCredentials
from tasklive.realtime.hub import Hub
from tasklive.services import Services
from tasklive.tasks.events import task_notifier
from tasklive.tasks.notify.channels import reminder_channels
from tasklive.tasks.notify.router import router as push_router
from tasklive.tasks.reminders import run_reminders
from tasklive.tasks.router import router as tasks_router
from tasklive.tasks.transfer_router import router as transfer_router
from tasklive.web.router import router as web_router

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]
log = logging.getLogger("tasklive")


def lifespan_for(settings: Settings, metrics: Metrics) -> Lifespan:
    """The lifespan that builds the Services on start and releases them in reverse on stop."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            metrics.watch_gc()
            stack.callback(metrics.unwatch_gc)
            engine = create_engine(
                settings.resolved_database_url,
                pool_size=settings.db_pool_size,
                max_overflow=settings.db_max_overflow,
                pool_timeout=settings.db_pool_timeout_seconds,
            )
            stack.push_async_callback(engine.dispose)
            await upgrade_schema(engine)
            log.info(
                "tasklive %s: model %s, database %s, broker %s, data dir %s",
                __version__,
                settings.model,
                engine.url.render_as_string(hide_password=True),
                settings.broker_url.split("?", 1)[0],
                settings.data_dir.resolve(),
            )
            sessionmaker = create_sessionmaker(engine)

            hub = Hub(create_broker(settings.broker_url, settings), settings, metrics)
            await hub.start()
            stack.push_async_callback(hub.aclose)
            runner = TurnRunner(
                settings, sessionmaker, hub, control=ControlChannel(hub), metrics=metrics
            )
            await runner.open()
            stack.push_async_callback(runner.aclose)
            channels = await stack.enter_async_context(reminder_channels(settings))
            services = Services(
                settings=settings,
                engine=engine,
                sessionmaker=sessionmaker,
                hub=hub,
                runner=runner,
                task_notifier=task_notifier(hub),
                metrics=metrics,
                live_credentials=LiveCredentials(hub, settings.ws_concurrent_checks),
                push_signer=channels.pusher.signer,
                reminder_channels=channels,
            )
            app.state.services = services
            stack.callback(delattr, app.state, "services")
            await stack.enter_async_context(run_purge_job(sessionmaker, settings))
            await stack.enter_async_context(run_mcp(app, services))
            await stack.enter_async_context(
                run_reminders(
                    sessionmaker,
                    hub,
                    channels=channels,
                    every=settings.reminder_poll_seconds,
                    lease=timedelta(seconds=settings.reminder_lease_seconds),
                )
            )
            yield

    return lifespan


def create_app(settings: Settings | None = None) -> FastAPI:
    """A fully wired tasklive application."""
    settings = settings or Settings()
    metrics = Metrics()
    app = FastAPI(
        title="tasklive",
        version=__version__,
        lifespan=lifespan_for(settings, metrics),
        generate_unique_id_function=operation_id,
        # /docs is served by the web router from local files; ReDoc would need a CDN.
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(app)
    app.include_router(auth_router)
    app.include_router(tasks_router)
    app.include_router(push_router)
    app.include_router(transfer_router)
    app.include_router(chat_router)
    app.include_router(ws.router)
    app.include_router(sse.router)
    install_mcp(app)
    app.include_router(caldav_router)
    app.add_middleware(BodyLimit, settings=settings)  # inside the metrics and request ids
    install_operations(app, metrics)
    if settings.allowed_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.allowed_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["Retry-After", "X-Request-ID"],
        )

    app.include_router(web_router)  # last, so it never shadows /api, /ws, /mcp or /docs
    install_openapi(app)
    return app
