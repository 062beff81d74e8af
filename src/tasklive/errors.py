"""Domain error base classes and the one mapping to HTTP answers and WebSocket close codes."""

from collections.abc import Sequence
from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

WS_POLICY_VIOLATION = 1008
WS_TOO_BIG = 1009
WS_TRY_AGAIN_LATER = 1013
WS_GOING_AWAY = 1001
WS_TOO_MANY_CONNECTIONS = 4029


class TaskliveError(Exception):
    """A failure a user can be told about; `message` is shown as it is.

    Each kind says its answer in its class line, the rows of the table below: `status` (HTTP),
    `code` (in the body), `retry_after` (seconds, the Retry-After header) and `ws_close` (the
    code a WebSocket is closed with; none: an `error` event, the socket stays open). What a kind
    does not say, it inherits.
    """

    status_code = 400
    code = "bad_request"
    retry_after: int | None = None
    ws_close: int | None = None
    challenge = "Bearer"  # the WWW-Authenticate of a 401

    def __init_subclass__(
        cls,
        *,
        status: int | None = None,
        code: str | None = None,
        retry_after: int | None = None,
        ws_close: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        said = {
            "status_code": status,
            "code": code,
            "retry_after": retry_after,
            "ws_close": ws_close,
        }
        for name, value in said.items():
            if value is not None:
                setattr(cls, name, value)

    def __init__(self, message: str, *, retry_after: int | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra
        if retry_after is not None:
            self.retry_after = retry_after


# The table of error kinds: one class line each says how it is answered.
class NotFoundError(TaskliveError, status=404, code="not_found"): ...


class ConflictError(TaskliveError, status=409, code="conflict"): ...


class AuthenticationError(
    TaskliveError, status=401, code="unauthorized", ws_close=WS_POLICY_VIOLATION
): ...


class PermissionDeniedError(
    TaskliveError, status=403, code="forbidden", ws_close=WS_POLICY_VIOLATION
): ...


class InvalidInputError(TaskliveError, status=422, code="invalid"): ...


class RateLimitedError(TaskliveError, status=429, code="rate_limited"): ...


class PreconditionFailedError(TaskliveError, status=412, code="precondition_failed"): ...


class PayloadTooLargeError(TaskliveError, status=413, code="too_large"): ...


class TooManyConnectionsError(
    RateLimitedError, code="too_many_connections", ws_close=WS_TOO_MANY_CONNECTIONS
): ...


class UnavailableError(TaskliveError, status=503, code="unavailable", retry_after=5): ...


class DatabaseUnavailableError(UnavailableError): ...


class ModelUnavailableError(UnavailableError, code="model_unavailable", retry_after=10):
    """The model could not be reached, even after retries; the user message stays stored."""


class ModelAnswerError(UnavailableError, code="model_error", retry_after=10):
    """The model answered with an error or nothing usable; the user message stays stored."""


class TurnInterruptedError(UnavailableError, code="interrupted"):
    """The turn's server stopped before it finished; sending it again runs it again."""


class TurnStillRunningError(UnavailableError, code="still_running"):
    """The turn is still going after the wait deadline; its events and stored reply follow."""


class TurnFailedError(TaskliveError, status=500, code="turn_failed"):
    """The turn failed on our side; sending it again runs it again."""


DATABASE_UNREACHABLE = "The service cannot reach its database right now. Please try again shortly."
UNSTORABLE = "Some of the request's values cannot be stored."

# Failures of the database or the network to it, from SQLAlchemy, asyncpg or the OS.
UNREACHABLE = (
    OSError,
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
)
FOREIGN_ERRORS = (OSError, sa_exc.SQLAlchemyError, asyncpg.PostgresError)


def error_body(exc: TaskliveError) -> dict[str, Any]:
    """The JSON body for a domain error, shared by HTTP answers and WebSocket `error` events."""
    return {"error": exc.message, "code": exc.code, **exc.extra}


def http_headers(exc: TaskliveError) -> dict[str, str] | None:
    """Headers an HTTP answer to this error carries: a Bearer challenge, or when to retry."""
    headers = {}
    if exc.status_code == 401:
        headers["WWW-Authenticate"] = exc.challenge
    if exc.retry_after is not None:
        headers["Retry-After"] = str(exc.retry_after)
    return headers or None


def ws_close_code(exc: TaskliveError) -> int | None:
    """The close code a WebSocket gets for this error, or None to answer with an `error` event."""
    return exc.ws_close


def domain_error(exc: BaseException) -> TaskliveError | None:
    """The domain error a foreign failure amounts to, or None when it is a plain bug."""
    if isinstance(exc, TaskliveError):
        return exc
    invalidated = isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated
    if invalidated or isinstance(exc, UNREACHABLE):
        return DatabaseUnavailableError(DATABASE_UNREACHABLE)
    if isinstance(exc, sa_exc.DataError | asyncpg.DataError):
        return InvalidInputError(UNSTORABLE)
    return None


INTERNAL = "Something went wrong on our side. Please try again."


def error_response(exc: BaseException) -> JSONResponse:
    """The JSON answer to any failure: its domain error's, or a plain 500 without details."""
    known = domain_error(exc)
    if known is None:
        return JSONResponse({"error": INTERNAL, "code": "internal"}, status_code=500)
    headers = http_headers(known)
    return JSONResponse(error_body(known), status_code=known.status_code, headers=headers)


NOT_JSON = "The request body is not valid JSON."


def field_errors(errors: Sequence[Any]) -> list[dict[str, str]]:
    """Each bad field with its message; a body that is not JSON is one error on `body`."""
    return [
        {"field": "body", "message": NOT_JSON}
        if e.get("type") == "json_invalid"
        else {"field": ".".join(str(p) for p in e.get("loc", ())), "message": str(e.get("msg"))}
        for e in errors
    ]


def describe_validation_errors(errors: Sequence[Any]) -> str:
    """Validation errors as one plain sentence that names each bad field."""
    parts = []
    for error in errors:
        if error.get("type") == "json_invalid":
            parts.append(NOT_JSON)
            continue
        field = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path"))
        if field.endswith("number") and error.get("type") == "greater_than_equal":
            # "complete task 0": said as a person would, not as the validator does
            parts.append(f"There is no task #{error.get('input')}: task numbers start at 1.")
            continue
        message = str(error.get("msg", "is invalid"))
        message = message.removeprefix("Value error, ")
        parts.append(f"{field}: {message}" if field else message)
    return "; ".join(parts) or "The request is invalid."


def install_error_handlers(app: FastAPI) -> None:
    """Map every error to a clear JSON answer; never a stack trace."""

    @app.exception_handler(TaskliveError)
    async def _domain(_: Request, exc: TaskliveError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        body = {
            "error": describe_validation_errors(exc.errors()),
            "code": "invalid",
            "fields": field_errors(exc.errors()),
        }
        return JSONResponse(body, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "Request failed."
        return JSONResponse(
            {"error": message, "code": "http_error"},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        return error_response(exc)

    for foreign in FOREIGN_ERRORS:

        @app.exception_handler(foreign)
        async def _foreign(request: Request, exc: Exception) -> JSONResponse:
            known = domain_error(exc)
            if known is None:
                raise exc
            return await _domain(request, known)
