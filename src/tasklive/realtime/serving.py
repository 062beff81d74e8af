"""Running under uvicorn: WebSocket limits, token-free logs, and a 1001 close on shutdown."""

import copy
import logging
import re
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.config import LOGGING_CONFIG

from tasklive.config import Settings

_TOKEN_VALUE = re.compile(r"((?:access_)?token=)[^&\s\"';]+", re.IGNORECASE)
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """The text with every `token=` value replaced."""
    return _TOKEN_VALUE.sub(rf"\1{REDACTED}", text)


class TokenRedactionFilter(logging.Filter):
    """Keeps `?token=` values out of access and error logs (uvicorn logs paths with queries)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                key: redact(value) if isinstance(value, str) else value
                for key, value in record.args.items()
            }
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's logging setup, redacting on every handler; tasklive's own logs included."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact_tokens": {"()": TokenRedactionFilter}}
    for handler in config["handlers"].values():
        handler["filters"] = ["redact_tokens"]
    config["loggers"]["tasklive"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """uvicorn settings that enforce the live-event limits (1009 over 64 KiB, pings)."""
    return {
        "ws_max_size": settings.ws_max_frame_bytes,
        "ws_ping_interval": settings.ws_ping_interval_seconds,
        "ws_ping_timeout": settings.ws_ping_interval_seconds,
        "ws_per_message_deflate": False,
        "log_config": log_config(),
        "proxy_headers": True,
        "timeout_graceful_shutdown": 10,
    }


class Server(uvicorn.Server):
    """Closes live connections with 1001 before uvicorn's own shutdown would send 1012."""

    def __init__(self, config: uvicorn.Config, app: FastAPI) -> None:
        super().__init__(config)
        self.tasklive_app = app

    async def shutdown(self, sockets: Any = None) -> None:
        hub = getattr(self.tasklive_app.state, "hub", None)
        if hub is not None:
            await hub.close_all()
        await super().shutdown(sockets)


def serve(host: str, port: int) -> None:
    """Run the whole service until interrupted."""
    from tasklive.main import create_app

    settings = Settings()
    app = create_app(settings)
    config = uvicorn.Config(app, host=host, port=port, **uvicorn_options(settings))
    Server(config, app).run()
