"""Prometheus metrics of one app: a registry per app and small typed calls for whoever counts."""

import gc
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any, Literal

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from pydantic_ai.messages import ModelMessage, ModelResponse
from pydantic_ai.models import Model, ModelRequestParameters, StreamedResponse
from pydantic_ai.models.wrapper import WrapperModel
from pydantic_ai.settings import ModelSettings
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TurnOutcome = Literal[
    "completed", "failed", "cancelled", "interrupted", "model_unavailable", "model_error"
]
MODEL_FAILURE_CODES = ("model_unavailable", "model_error")
DropReason = Literal["broker_unavailable", "slow_connection"]

CONTENT_TYPE = CONTENT_TYPE_LATEST
TURN_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
GC_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1)
MAX_TRACKED_TURNS = 10_000


class Metrics:
    """Every tasklive metric, registered on this object's own registry (one per app)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self.http_requests = Counter(
            "tasklive_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.http_duration = Histogram(
            "tasklive_http_request_duration_seconds",
            "Time to answer an HTTP request (streams: until they end).",
            ["method", "route"],
            registry=registry,
        )
        self.turns = Counter(
            "tasklive_turns", "Chat turns finished, by outcome.", ["outcome"], registry=registry
        )
        self.turn_duration = Histogram(
            "tasklive_turn_duration_seconds",
            "Time from a turn's start to its end, by outcome.",
            ["outcome"],
            buckets=TURN_BUCKETS,
            registry=registry,
        )
        self.model_latency = Histogram(
            "tasklive_model_request_duration_seconds",
            "Time a model request took (one turn may make several).",
            buckets=TURN_BUCKETS,
            registry=registry,
        )
        self.live_connections = Gauge(
            "tasklive_live_connections",
            "Open live-event connections (WebSocket and SSE) on this instance.",
            registry=registry,
        )
        self.events_published = Counter(
            "tasklive_events_published",
            "Live events numbered and handed to the broker, by event type.",
            ["event_type"],
            registry=registry,
        )
        self.events_dropped = Counter(
            "tasklive_events_dropped",
            "Live events that did not reach the broker or a connection, by reason.",
            ["reason"],
            registry=registry,
        )
        self.reminders_sent = Counter(
            "tasklive_reminders_sent", "Reminder events published.", registry=registry
        )
        self.gc_pauses = Histogram(
            "tasklive_gc_pause_seconds",
            "Time the process stood still for Python's garbage collector, by generation.",
            ["generation"],
            buckets=GC_BUCKETS,
            registry=registry,
        )
        self._turn_started: dict[str, float] = {}
        self._gc_started = 0.0

    def http_request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.http_requests.labels(method, route, str(status)).inc()
        self.http_duration.labels(method, route).observe(seconds)

    def turn_finished(self, outcome: TurnOutcome, seconds: float) -> None:
        self.turns.labels(outcome).inc()
        self.turn_duration.labels(outcome).observe(seconds)

    def model_request_finished(self, seconds: float) -> None:
        self.model_latency.observe(seconds)

    def timed(self, model: Model) -> Model:
        """The model, with each of its requests counted in `model_latency`."""
        return TimedModel(model, self)

    def connection_opened(self) -> None:
        self.live_connections.inc()

    def connection_closed(self) -> None:
        self.live_connections.dec()

    def event_dropped(self, reason: DropReason) -> None:
        self.events_dropped.labels(reason).inc()

    def reminder_sent(self) -> None:
        self.reminders_sent.inc()

    def event_published(self, event: Mapping[str, Any]) -> None:
        """Count a published event; a run's first and last events also time its turn."""
        kind = str(event.get("event_type"))
        self.events_published.labels(kind).inc()
        run_id = event.get("run_id")
        if kind == "agent_thinking" and run_id:
            if len(self._turn_started) >= MAX_TRACKED_TURNS:
                self._turn_started.clear()
            self._turn_started.setdefault(run_id, time.monotonic())
        elif kind == "agent_done":
            started = self._turn_started.pop(run_id, None) if run_id else None
            seconds = time.monotonic() - started if started is not None else 0.0
            self.turn_finished(turn_outcome(event), seconds)
        elif kind == "reminder":
            self.reminder_sent()

    def watch_gc(self) -> None:
        """Time every garbage collection from now on, until `unwatch_gc`."""
        if self._on_gc not in gc.callbacks:
            gc.callbacks.append(self._on_gc)

    def unwatch_gc(self) -> None:
        if self._on_gc in gc.callbacks:
            gc.callbacks.remove(self._on_gc)

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            seconds = time.perf_counter() - self._gc_started
            self.gc_pauses.labels(str(info["generation"])).observe(seconds)

    def exposition(self) -> bytes:
        """The Prometheus text format of every metric."""
        return generate_latest(self.registry)


_STATED: dict[str, TurnOutcome] = {
    o: o for o in ("completed", "failed", "cancelled", "interrupted")
}


def turn_outcome(done: Mapping[str, Any]) -> TurnOutcome:
    """How an `agent_done` event says its turn ended."""
    stated = done.get("outcome")
    if isinstance(stated, str) and stated in _STATED:
        return _STATED[stated]
    if done.get("cancelled"):
        return "cancelled"
    if not done.get("error"):
        return "completed"
    code = done.get("code")
    return code if code in MODEL_FAILURE_CODES else "failed"


class HttpMetricsMiddleware:
    """Counts and times every HTTP request by its route template (not its raw path)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or ("unmatched" if status == 404 else "other")
            self.metrics.http_request(
                scope["method"], template, status, time.perf_counter() - started
            )


class TimedModel(WrapperModel):
    """A model whose every request (each retry too) is timed as model latency."""

    def __init__(self, wrapped: Model, metrics: Metrics) -> None:
        super().__init__(wrapped)
        self.metrics = metrics

    async def request(
        self,
        messages: list[ModelMessage],
        model_settings: ModelSettings | None,
        model_request_parameters: ModelRequestParameters,
    ) -> ModelResponse:
        started = time.perf_counter()
        try:
            return await super().request(messages, model_settings, model_request_parameters)
        finally:
            self.metrics.model_request_finished(time.perf_counter() - started)

    @asynccontextmanager
    async def request_stream(
        self,
        messages: list[ModelMessage],
        model_settings: ModelSettings | None,
        model_request_parameters: ModelRequestParameters,
        run_context: Any = None,
    ) -> AsyncIterator[StreamedResponse]:
        started = time.perf_counter()
        try:
            async with super().request_stream(
                messages, model_settings, model_request_parameters, run_context
            ) as stream:
                yield stream
        finally:
            self.metrics.model_request_finished(time.perf_counter() - started)
