"""App factory and lifespan: builds the engine and the shared objects, mounts every router."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text

from tasklive import __version__
from tasklive.auth.router import router as auth_router
from tasklive.config import Settings
from tasklive.db import create_engine, create_sessionmaker, upgrade_schema
from tasklive.errors import install_error_handlers
from tasklive.tasks.router import router as tasks_router
from tasklive.tasks.service import TaskChange


async def _discard(_: str, __: list[TaskChange]) -> None:
    return None


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Build the engine (and upgrade the schema) on start; release everything on stop."""
    settings: Settings = app.state.settings
    async with AsyncExitStack() as stack:
        engine = create_engine(settings.resolved_database_url)
        stack.push_async_callback(engine.dispose)
        await upgrade_schema(engine)
        app.state.engine = engine
        app.state.sessionmaker = create_sessionmaker(engine)
        app.state.task_notifier = _discard
        yield


def create_app(settings: Settings | None = None) -> FastAPI:
    """A fully wired tasklive application."""
    app = FastAPI(title="tasklive", version=__version__, lifespan=lifespan)
    app.state.settings = settings or Settings()
    install_error_handlers(app)
    app.include_router(auth_router)
    app.include_router(tasks_router)

    @app.get("/healthz", tags=["health"])
    async def healthz() -> JSONResponse:
        """Liveness, and whether the database answers."""
        try:
            async with app.state.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:
            return JSONResponse({"status": "degraded", "database": "unreachable"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok", "version": __version__})

    return app
