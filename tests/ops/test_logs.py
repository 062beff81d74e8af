"""The one redaction filter, JSON lines, and the ids they carry."""

import json
import logging
import sys

import pytest
from uvicorn.logging import AccessFormatter

from tasklive.logs import JsonFormatter, RedactionFilter, bind_run_id, redact, request_id_var
from tasklive.server import log_config

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl"


def access_record(path: str) -> logging.LogRecord:
    """A record shaped like uvicorn's access log line."""
    return logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", path, "1.1", 101), None,
    )  # fmt: skip


def test_access_lines_keep_their_shape_and_lose_the_token() -> None:
    record = access_record(f"/ws/u1/chat?token={TOKEN}&last_seq=4")
    assert RedactionFilter().filter(record)
    line = AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s').format(record)
    request = "GET /ws/u1/chat?token=[redacted]&last_seq=4 HTTP/1.1"
    assert line == f'127.0.0.1:5000 - "{request}" 101 Switching Protocols'


@pytest.mark.parametrize(
    "text",
    [
        "/ws/u/chat?t%6Fken=opaque-secret",
        "/ws/u/chat?T%256FKEN=opaque-secret",  # encoded twice
        "/api/tasks?access%5Ftoken=opaque-secret&limit=5",
        "/api/tasks?password=opaque-secret",
        f"/api/tasks?anything={TOKEN}",
        f"/api/tasks?x=%65yJhbGciOiJIUzI1NiJ9.{TOKEN.split('.', 1)[1]}",
        f"a JWT in prose: {TOKEN}.",
        "Authorization: Bearer opaque-secret",
        "{'authorization': 'Bearer opaque-secret', 'accept': '*/*'}",
        "[(b'cookie', b'tasklive_session=opaque-secret; theme=dark')]",
        "Cookie: tasklive_session=opaque-secret",
        "set-cookie: tasklive_session=opaque-secret; HttpOnly",
        "token tlpat_opaque-secret leaked",
    ],
)
def test_credentials_are_redacted_wherever_they_appear(text: str) -> None:
    assert "opaque-secret" not in redact(text)
    assert "c2lnbmF0dXJl" not in redact(text)
    assert "[redacted]" in redact(text)


def test_harmless_text_is_left_alone() -> None:
    text = '127.0.0.1:5000 - "GET /api/tasks?status=pending&limit=5&q=milk HTTP/1.1" 200'
    assert redact(text) == text


def test_arguments_of_any_type_and_tracebacks_are_redacted() -> None:
    headers = {"authorization": f"Bearer {TOKEN}"}
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "headers %s, %d", (headers, 3), None)
    RedactionFilter().filter(record)
    assert TOKEN not in record.getMessage() and record.getMessage().endswith(", 3")

    try:
        raise ValueError(f"bad url /ws/u1/chat?token={TOKEN}")
    except ValueError:
        crash = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", (), sys.exc_info())
    RedactionFilter().filter(crash)
    assert TOKEN not in logging.Formatter().format(crash)


def test_json_lines_carry_request_and_run_ids() -> None:
    record = logging.LogRecord(
        "tasklive.x", logging.WARNING, __file__, 1, "step %s", ("one",), None
    )
    reset = request_id_var.set("req-1")
    try:
        with bind_run_id("run-9"):
            line = json.loads(JsonFormatter().format(record))
        outside = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(reset)
    assert line["message"] == "step one" and line["level"] == "WARNING"
    assert (line["request_id"], line["run_id"]) == ("req-1", "run-9")
    assert "run_id" not in outside


def test_every_handler_redacts_and_json_is_a_setting() -> None:
    for config in (log_config("text"), log_config("json")):
        assert config["handlers"] and all(
            "redact" in handler["filters"] for handler in config["handlers"].values()
        )
        assert config["root"]["handlers"]
    assert {h["formatter"] for h in log_config("json")["handlers"].values()} == {"json"}
