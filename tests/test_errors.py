"""The one error table: each kind's HTTP status, body code, headers and WebSocket close code."""

import pytest

from tasklive import errors
from tasklive.chat.store import ConversationNotFoundError
from tasklive.tasks.activity import NothingToUndoError


@pytest.mark.parametrize(
    ("error", "status", "code", "headers", "ws_close"),
    [
        (errors.NotFoundError("x"), 404, "not_found", None, None),
        (ConversationNotFoundError("x"), 404, "not_found", None, None),
        (NothingToUndoError("x"), 409, "nothing_to_undo", None, None),
        (
            errors.AuthenticationError("x"),
            401,
            "unauthorized",
            {"WWW-Authenticate": "Bearer"},
            1008,
        ),
        (errors.PermissionDeniedError("x"), 403, "forbidden", None, 1008),
        (
            errors.RateLimitedError("x", retry_after=7),
            429,
            "rate_limited",
            {"Retry-After": "7"},
            None,
        ),
        (errors.TooManyConnectionsError("x"), 429, "too_many_connections", None, 4029),
        (errors.DatabaseUnavailableError("x"), 503, "unavailable", {"Retry-After": "5"}, None),
        (errors.ModelUnavailableError("x"), 503, "model_unavailable", {"Retry-After": "10"}, None),
        (errors.ModelAnswerError("x"), 503, "model_error", {"Retry-After": "10"}, None),
        (errors.TurnFailedError("x"), 500, "turn_failed", None, None),
    ],
)
def test_each_kind_is_answered_as_its_row_says(error, status, code, headers, ws_close):
    response = errors.error_response(error)
    assert (response.status_code, errors.error_body(error)["code"]) == (status, code)
    for name, value in (headers or {}).items():
        assert response.headers[name] == value
    assert errors.ws_close_code(error) == ws_close


def test_a_foreign_failure_is_a_plain_500_without_details():
    response = errors.error_response(ValueError("secret detail"))
    assert response.status_code == 500 and b"secret" not in response.body


async def test_a_body_that_is_not_json_is_named_as_such(client, sign_up):
    account = await sign_up()
    for body in (b'{"text": ', b"not json"):
        headers = {**account["headers"], "Content-Type": "application/json"}
        response = await client.post("/api/tasks/quick", content=body, headers=headers)
        assert response.status_code == 422
        assert response.json()["error"] == "The request body is not valid JSON."
        assert response.json()["fields"] == [
            {"field": "body", "message": "The request body is not valid JSON."}
        ]
