"""A served app on its own thread, for fuzzers that call it from synchronous Hypothesis tests."""

import socket
import threading
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from tasklive.app import create_app


@pytest.fixture
def served(settings) -> Iterator[str]:
    """The app with its lifespan, served by uvicorn on its own thread and event loop."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    config = uvicorn.Config(create_app(settings), lifespan="on", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(30)
        listener.close()


@pytest.fixture
def account(served) -> dict:
    """A signed-up user of the served app."""
    body = {"email": "fuzz@example.com", "password": "fuzzing password"}
    return httpx.post(f"{served}/api/auth/sign-up", json=body, timeout=60).json()
