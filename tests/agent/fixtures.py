"""Fixtures for chat tests: a runner on the echo model with its own event recorder."""

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tasklive.chat.runner import TurnRunner
from tasklive.realtime.events import RecordingPublisher
from tests.agent.scripted import EchoModel
from tests.support.apps import services_of, use_runner


@pytest.fixture
def echo() -> EchoModel:
    return EchoModel()


@pytest.fixture
def recorder() -> RecordingPublisher:
    return RecordingPublisher()


@pytest.fixture
async def runner(
    app: Any, echo: EchoModel, recorder: RecordingPublisher
) -> AsyncIterator[TurnRunner]:
    """The app's runner, replaced by one on the echo model that records its events."""
    services = services_of(app)
    runner = TurnRunner(services.settings, services.sessionmaker, recorder, model=echo.model())
    original = use_runner(app, runner)
    try:
        yield runner
    finally:
        await runner.aclose()
        use_runner(app, original)


async def post_chat(client: Any, account: dict[str, Any], message: str, **extra: Any) -> Any:
    """POST a chat message as `account`; returns the response."""
    return await client.post(
        f"/api/{account['user']['id']}/chat",
        json={"message": message, **extra},
        headers=account["headers"],
    )


def run_events(recorder: RecordingPublisher, user_id: str, run_id: str) -> list[dict[str, Any]]:
    """The recorded events of one run, in order."""
    return [e for e in recorder.of(user_id) if e.get("run_id") == run_id]
