"""Log lines without credentials, JSON lines with request and run ids, and the request id itself."""

import contextlib
import contextvars
import json
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote_plus

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tasklive.db import new_id

REDACTED = "[redacted]"
REQUEST_ID_HEADER = "X-Request-ID"
# Values that start so are secrets wherever they appear (personal access tokens should use it).
SECRET_PREFIXES = ("tlpat_",)

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "tasklive_request_id", default=None
)
run_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "tasklive_run_id", default=None
)

_SECRET_NAME = re.compile(
    r"token|secret|passw|session|cookie|auth|jwt|api[_-]?key|credential|signature", re.IGNORECASE
)
_NAME_CHARS = r"A-Za-z0-9_.%+\-"
_ASSIGNMENT = re.compile(
    rf"(?<![{_NAME_CHARS}])(?P<name>[{_NAME_CHARS}]+)=(?P<value>[^&\s\"'`;,#<>]*)"
)
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_PREFIXED = re.compile(
    r"(?:" + "|".join(re.escape(p) for p in SECRET_PREFIXES) + r")[A-Za-z0-9_\-]+", re.IGNORECASE
)
_BEARER = re.compile(r"\b(Bearer|Basic|Token)(\s+|%20|\+)[^\s\"'`,;&]+", re.IGNORECASE)
_HEADER = re.compile(
    r"(?P<name>authorization|proxy-authorization|cookie|set-cookie|x-api-key)"
    r"(?P<sep>['\"]?\s*[:=,]\s*b?['\"]?)(?P<value>[^'\"\r\n]+)",
    re.IGNORECASE,
)
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:\-]{1,64}")


def _decoded(text: str) -> str:
    """Percent-decoded until stable, so `t%256Fken` is judged as `token` too."""
    if "%" not in text and "+" not in text:
        return text
    for _ in range(3):
        plain = unquote_plus(text)
        if plain == text:
            break
        text = plain
    return text


def _assignment(match: re.Match[str]) -> str:
    name, value = match["name"], match["value"]
    if _SECRET_NAME.search(_decoded(name)) or _looks_secret(_decoded(value)):
        return f"{name}={REDACTED}" if value else match[0]
    return match[0]


def _looks_secret(value: str) -> bool:
    return bool(_JWT.search(value) or _PREFIXED.search(value))


def _mentions(lower: str, words: tuple[str, ...]) -> bool:
    return any(word in lower for word in words)


def redact(text: str) -> str:
    """The text with every credential-looking value replaced by `[redacted]`."""
    # Each pattern runs only when its literal marker is present: most lines have none.
    lower = text.lower()
    if _mentions(lower, ("authorization", "cookie", "x-api-key")):
        text = _HEADER.sub(lambda m: f"{m['name']}{m['sep']}{REDACTED}", text)
    if _mentions(lower, ("bearer", "basic", "token")):
        text = _BEARER.sub(lambda m: f"{m[1]} {REDACTED}", text)
    if "=" in text:
        text = _ASSIGNMENT.sub(_assignment, text)
    if "eyJ" in text:
        text = _JWT.sub(REDACTED, text)
    if _mentions(lower, SECRET_PREFIXES):
        text = _PREFIXED.sub(REDACTED, text)
    return text


def _redact_arg(value: Any) -> Any:
    if value is None or isinstance(value, int | float):
        return value
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return redact(value if isinstance(value, str) else str(value))


class RedactionFilter(logging.Filter):
    """The one filter on every handler: no token, password, cookie or JWT in any line."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(str(record.msg))
        if isinstance(record.args, tuple):
            record.args = tuple(_redact_arg(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redact_arg(value) for key, value in record.args.items()}
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the ids that are known."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, var in (("request_id", request_id_var), ("run_id", run_id_var)):
            value = getattr(record, key, None) or var.get()
            if value:
                entry[key] = value
        if record.exc_text:
            entry["exception"] = record.exc_text
        elif record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


@contextlib.contextmanager
def bind_run_id(run_id: str) -> Iterator[None]:
    """Every log line inside the block names this run."""
    token = run_id_var.set(run_id)
    try:
        yield
    finally:
        run_id_var.reset(token)


def current_request_id() -> str | None:
    return request_id_var.get()


def request_id_of(scope: Scope) -> str:
    """The request's `X-Request-ID` when it is a sane one, else a new id."""
    given = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), "")
    return given if _REQUEST_ID.fullmatch(given) else new_id()


def echoing_request_id(send: Send, request_id: str) -> Send:
    """`send` that adds `X-Request-ID` to the response (or the WebSocket accept)."""

    async def send_with_id(message: Message) -> None:
        if message["type"] in ("http.response.start", "websocket.accept"):
            message.setdefault("headers", [])
            MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
        await send(message)

    return send_with_id


class RequestIdMiddleware:
    """Takes `X-Request-ID` (or makes one), binds it for logging and echoes it in the answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        token = request_id_var.set(request_id)
        try:
            await self.app(scope, receive, echoing_request_id(send, request_id))
        finally:
            request_id_var.reset(token)
