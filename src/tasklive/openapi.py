"""The published OpenAPI: readable operation ids, and every error answer with its real body."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict


class FieldError(BaseModel):
    """One bad field: where it is (`body.title`, `query.offset`) and what is wrong with it."""

    field: str
    message: str


class ErrorBody(BaseModel):
    """Every error answer: a sentence to show, a stable code, and for a 422 the bad fields."""

    model_config = ConfigDict(extra="allow")

    error: str
    code: str
    fields: list[FieldError] | None = None


MEANINGS = {
    400: "The body could not be read as JSON.",
    401: "Not signed in, or the token is invalid, expired or revoked.",
    403: "Not allowed: another user's account, or a cookie sent from a site that is not allowed.",
    404: "No such thing, or it belongs to someone else.",
    409: "It conflicts with what is already there.",
    413: "The body is over its limit (an import file has a larger one than JSON).",
    422: "The request is invalid; `fields` names each bad field.",
    429: "Too many requests; `Retry-After` says when to try again.",
    500: "The turn failed on our side; sending it again runs it again.",
    503: "A service this depends on is unreachable; `Retry-After` says when to try again.",
}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}
OWN_USER_PARAMETER = "user_id"


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route that can answer these error statuses besides the usual ones."""
    return {status: {"model": ErrorBody, "description": MEANINGS[status]} for status in statuses}


def _usual_errors(path: str, operation: dict[str, Any]) -> set[int]:
    parameters = operation.get("parameters", [])
    statuses = set()
    if operation.get("security"):
        statuses |= {401, 403}
    if any(p["in"] == "path" and p["name"] != OWN_USER_PARAMETER for p in parameters):
        statuses.add(404)
    if parameters or "requestBody" in operation:
        statuses.add(422)
    if "requestBody" in operation:
        statuses |= {400, 413}
    if path.startswith("/api/"):
        statuses.add(503)
    return statuses


def _error_response(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": MEANINGS[status],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
    }
    if status in (429, 503):
        response["headers"] = RETRY_AFTER
    return response


def _is_fastapi_validation_error(response: dict[str, Any]) -> bool:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    ref: str = schema.get("$ref", "")
    return ref.endswith("/HTTPValidationError")


def describe_errors(spec: dict[str, Any]) -> dict[str, Any]:
    """`spec` with every error status an operation can answer declared with ErrorBody.

    A status the route declared with its own body keeps it.
    """
    for path, operations in spec.get("paths", {}).items():
        for operation in operations.values():
            responses = operation["responses"]
            for status in sorted(_usual_errors(path, operation)):
                declared = responses.get(str(status))
                if declared is None or _is_fastapi_validation_error(declared):
                    responses[str(status)] = _error_response(status)
            for code in ("429", "503"):
                if code in responses:
                    responses[code].setdefault("headers", RETRY_AFTER)
            operation["responses"] = dict(sorted(responses.items()))
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    error_schema = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(error_schema.pop("$defs", {}))
    schemas["ErrorBody"] = error_schema
    return spec


def operation_id(route: APIRoute) -> str:
    """An operation is named after its route function: `sign_in`, `list_tasks`, `chat`."""
    return route.name


def install_openapi(app: FastAPI) -> None:
    """Publish the OpenAPI with every error answer described."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(
                title=app.title, version=app.version, routes=app.routes, description=app.description
            )
            app.openapi_schema = describe_errors(spec)
        return app.openapi_schema

    # FastAPI's documented way to customise the schema is to replace this method.
    app.openapi = openapi  # type: ignore[method-assign]
