"""Operations endpoints: liveness, readiness, metrics; and the middleware they rely on."""

import asyncio
from collections.abc import Awaitable

from fastapi import APIRouter, FastAPI, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel
from sqlalchemy import text
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tasklive import __version__
from tasklive.deps import HubDep, MetricsDep, SessionDep
from tasklive.errors import UnavailableError, error_body
from tasklive.logs import RequestIdMiddleware
from tasklive.metrics import CONTENT_TYPE, HttpMetricsMiddleware, Metrics
from tasklive.openapi import errors

CHECK_SECONDS = 3.0
RETRY_AFTER_SECONDS = 5
RESTARTING = "The server is restarting. Please try again in a moment."
RESTART_RETRY_AFTER_SECONDS = 2

router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: str
    database: str
    version: str | None = None


class Readiness(BaseModel):
    status: str
    database: str
    broker: str


async def _answers(check: Awaitable[object]) -> bool:
    try:
        await asyncio.wait_for(check, CHECK_SECONDS)
    except Exception:
        return False
    return True


@router.get(
    "/healthz",
    response_model=Health,
    responses={503: {"model": Health, "description": "The database does not answer."}},
)
async def healthz(session: SessionDep) -> JSONResponse:
    """Liveness, and whether the database answers."""
    if not await _answers(session.execute(text("SELECT 1"))):
        return JSONResponse({"status": "degraded", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok", "version": __version__})


@router.get("/readyz", response_model=Readiness, responses=errors(503))
async def readyz(session: SessionDep, hub: HubDep) -> JSONResponse:
    """Ready for traffic: the database and the broker both answer."""
    database, broker = await asyncio.gather(
        _answers(session.execute(text("SELECT 1"))), _answers(hub.broker.ping())
    )
    state = {
        "database": "ok" if database else "unreachable",
        "broker": "ok" if broker else "unreachable",
    }
    if database and broker:
        return JSONResponse({"status": "ready", **state})
    down = " and ".join(name for name, ok in (("database", database), ("broker", broker)) if not ok)
    body = {"error": f"Not ready: the {down} is unreachable.", "code": "unavailable", **state}
    return JSONResponse(body, status_code=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


@router.get("/metrics", response_class=PlainTextResponse)
async def metrics(registry: MetricsDep) -> Response:
    """Prometheus text format."""
    return Response(registry.exposition(), media_type=CONTENT_TYPE)


def install_operations(app: FastAPI, metrics: Metrics) -> None:
    """Metrics for this app, request ids, JSON on a cancelled request, and these endpoints."""
    app.add_middleware(JsonWhenCancelled)
    app.add_middleware(HttpMetricsMiddleware, metrics=metrics)
    app.add_middleware(RequestIdMiddleware)
    app.include_router(router)


class JsonWhenCancelled:
    """A request cancelled before it answered (a shutdown past its grace) still gets JSON 503."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def track(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, track)
        except asyncio.CancelledError:
            if started:
                raise
            task = asyncio.current_task()
            if task is not None:
                task.uncancel()
            await _send_unavailable(send)


async def _send_unavailable(send: Send) -> None:
    response = JSONResponse(
        error_body(UnavailableError(RESTARTING)),
        status_code=503,
        headers={"Retry-After": str(RESTART_RETRY_AFTER_SECONDS)},
    )
    await send({"type": "http.response.start", "status": 503, "headers": response.raw_headers})
    await send({"type": "http.response.body", "body": response.body})
