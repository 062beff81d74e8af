"""Running under uvicorn: WebSocket limits, redacted (or JSON) logs, and a drain on SIGTERM."""

import copy
import gc
import logging
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.config import LOGGING_CONFIG

from tasklive.app import create_app
from tasklive.config import Settings
from tasklive.logs import JsonFormatter, RedactionFilter
from tasklive.realtime.protocol import LiveHttpProtocol, LiveWebSocketProtocol
from tasklive.realtime.ws import LiveEventsFirst

logger = logging.getLogger(__name__)

# A young-generation collection every 20,000 allocations instead of 700: a turn allocates
# tens of thousands of short-lived objects, nearly all freed by reference counting.
GC_THRESHOLDS = (20_000, 20, 20)


def log_config(log_format: str = "text") -> dict[str, Any]:
    """uvicorn's logging setup with the redaction filter on every handler, root included."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact": {"()": RedactionFilter}}
    if log_format == "json":
        config["formatters"] = {"json": {"()": JsonFormatter}}
    for handler in config["handlers"].values():
        handler["filters"] = ["redact"]
        if log_format == "json":
            handler["formatter"] = "json"
    config["loggers"]["tasklive"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    config["root"] = {"handlers": ["default"], "level": "WARNING"}
    return config


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """uvicorn settings that enforce the live-event limits (1009 over 64 KiB, pings)."""
    return {
        "http": LiveHttpProtocol,
        "ws": LiveWebSocketProtocol,
        "ws_max_size": settings.ws_max_frame_bytes,
        "ws_ping_interval": settings.ws_ping_interval_seconds,
        "ws_ping_timeout": settings.ws_ping_interval_seconds,
        "ws_per_message_deflate": False,
        "log_config": log_config(settings.log_format),
        "proxy_headers": True,
        "timeout_graceful_shutdown": settings.shutdown_grace_seconds,
        # Longer than a load balancer's usual idle timeout (60 s), so the balancer closes an
        # idle connection first and never sends a request into one this server is closing.
        "timeout_keep_alive": 75,
    }


def tune_garbage_collector() -> None:
    """Collect less often, and never scan what is loaded by now (modules, schemas, the app).

    bench/bench_turns.py prints the collector's share of the server's time (from /metrics).
    """
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


class Server(uvicorn.Server):
    """On shutdown: stop accepting, close live connections with 1001, let turns finish."""

    def __init__(self, config: uvicorn.Config, app: FastAPI) -> None:
        serves_app = config.app is app
        if serves_app:
            config.app = LiveEventsFirst(app)
        super().__init__(config)
        self.tasklive_app = app

    async def shutdown(self, sockets: Any = None) -> None:
        for server in self.servers:
            server.close()
        services = getattr(self.tasklive_app.state, "services", None)
        if services is not None:
            await services.hub.close_all()
            # Before uvicorn's own wait: waiting POSTs get their turn's answer, not a cancel.
            await services.runner.aclose()
        await super().shutdown(sockets)


def serve(host: str, port: int) -> None:
    """Run the whole service until interrupted."""
    settings = Settings()
    app = create_app(settings)
    config = uvicorn.Config(app, host=host, port=port, **uvicorn_options(settings))
    if settings.gc_tuning:
        tune_garbage_collector()
    Server(config, app).run()
