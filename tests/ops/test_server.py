"""Running under uvicorn: 1001 on shutdown, and no token in any log line."""

import logging
import sys
from pathlib import Path

import httpx
import pytest
from uvicorn.logging import AccessFormatter
from websockets.exceptions import ConnectionClosed

from tasklive.config import Settings
from tasklive.logs import RedactionFilter
from tasklive.server import log_config
from tests.realtime.conftest import User, next_event, open_ws, sqlite_url, start_live, stop_live
from tests.realtime.conftest import ws_url as address

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path)


async def test_shutdown_closes_sockets_with_1001_and_ends_streams(settings: Settings) -> None:
    live, task = await start_live(settings)
    try:
        async with httpx.AsyncClient(base_url=live.url, timeout=10) as http:
            body = {"email": "bye@example.com", "password": "correct horse"}
            account = (await http.post("/api/auth/sign-up", json=body)).json()
            user = User(account["user"]["id"], account["access_token"])
            headers = {"Authorization": f"Bearer {user.token}"}
            async with (
                open_ws(address(live, user)) as ws,
                http.stream("GET", f"/api/{user.id}/events", headers=headers) as stream,
            ):
                await next_event(ws)
                lines = stream.aiter_lines()
                assert (await anext(lines)).startswith("retry:")
                live.server.should_exit = True
                with pytest.raises(ConnectionClosed):
                    await next_event(ws)
                assert ws.close_code == 1001
                rest = [line async for line in lines]  # the stream ends instead of hanging
                assert any("connection_established" in line for line in rest)
    finally:
        await stop_live(live, task)


def access_record(path: str) -> logging.LogRecord:
    """A record shaped like uvicorn's access log line."""
    return logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", path, "1.1", 101),
        None,
    )


def test_token_values_are_redacted_from_access_and_error_lines() -> None:
    redactor = RedactionFilter()
    record = access_record(f"/ws/u1/chat?token={TOKEN}&last_seq=4")
    assert redactor.filter(record)
    line = AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s').format(record)
    assert TOKEN not in line and "token=[redacted]&last_seq=4" in line

    error = logging.LogRecord(
        "uvicorn.error", logging.INFO, __file__, 1, '%s - "WebSocket %s" [accepted]',
        ("127.0.0.1:5000", f"/ws/u1/chat?access_token={TOKEN}"), None,
    )  # fmt: skip
    redactor.filter(error)
    assert TOKEN not in error.getMessage()

    try:
        raise ValueError(f"bad url /ws/u1/chat?token={TOKEN}")
    except ValueError:
        crash = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", (), sys.exc_info())
    redactor.filter(crash)
    assert TOKEN not in logging.Formatter().format(crash)


def test_every_log_handler_of_serve_redacts() -> None:
    config = log_config()
    assert config["handlers"] and all(
        "redact" in handler["filters"] for handler in config["handlers"].values()
    )
