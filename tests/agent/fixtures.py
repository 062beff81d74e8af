"""Fixtures for chat tests: a runner on the echo model with its own event recorder."""

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tasklive.chat.runner import TurnRunner
from tasklive.realtime.events import RecordingPublisher
from tests.agent.openai_server import ScriptedOpenAI
from tests.agent.scripted import EchoModel
from tests.support.apps import running, services_of


@pytest.fixture
def echo() -> EchoModel:
    return EchoModel()


@pytest.fixture
async def openai_server() -> AsyncIterator[ScriptedOpenAI]:
    """A scripted OpenAI-compatible server on 127.0.0.1."""
    async with ScriptedOpenAI() as server:
        yield server


def remote_model_settings(server: ScriptedOpenAI, **extra: Any) -> dict[str, Any]:
    """Settings for an app whose model is `server`, retried quickly."""
    return {
        "model": "openai-chat:scripted-model",
        "openai_base_url": server.base_url,
        "model_retries": 2,
        "model_retry_base_seconds": 0.01,
        **extra,
    }


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
    async with running(app, runner):
        yield runner


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


async def post_chat_answering(
    client: Any, account: dict[str, Any], message: str, approved: bool = True, **extra: Any
) -> Any:
    """POST a chat message, answering each approval card it raises; returns the final response."""
    extra.setdefault("client_message_id", f"answering-{id(message)}-{len(message)}-{message[:40]}")
    response = await post_chat(client, account, message, **extra)
    while response.status_code == 202 and response.json().get("approval_id"):
        answer = await client.post(
            f"/api/{account['user']['id']}/approvals/{response.json()['approval_id']}",
            json={"approved": approved},
            headers=account["headers"],
        )
        assert answer.status_code == 200, answer.text
        response = await post_chat(client, account, message, **extra)
    return response
