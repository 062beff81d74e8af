"""A push endpoint recorder, accounts subscribed to it, and reminders made due on demand."""

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from tasklive.tasks.reminders import send_due
from tests.support.apps import services_of
from tests.support.push_service import PushRecorder, push_recorder

# Each module runs on SQLite unless it says otherwise; the claim across instances is shown on
# PostgreSQL in test_instances.py.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"push_allow_http": True, "push_retry_base_seconds": 0.01}


@pytest.fixture
async def recorder() -> AsyncIterator[PushRecorder]:
    async with push_recorder() as running:
        yield running


@pytest.fixture
def subscribe(client: httpx.AsyncClient, recorder: PushRecorder) -> Callable[..., Awaitable[Any]]:
    """Subscribe an account through the API with a new recorder subscription."""

    async def create(account: dict[str, Any], *answers: int) -> dict[str, Any]:
        body = recorder.subscribe(*answers)
        response = await client.post(
            "/api/push/subscriptions", json=body, headers=account["headers"]
        )
        assert response.status_code == 201, response.text
        return response.json()

    return create


@pytest.fixture
def due_task(client: httpx.AsyncClient) -> Callable[..., Awaitable[dict[str, Any]]]:
    """A task whose reminder is an hour ahead (the app's own loop leaves it alone)."""

    async def create(account: dict[str, Any], title: str = "leave for the airport", **fields: Any):
        remind_at = datetime.now().astimezone() + timedelta(hours=1)
        body = {"title": title, "remind_at": remind_at.isoformat(), **fields}
        response = await client.post("/api/tasks", json=body, headers=account["headers"])
        assert response.status_code == 201, response.text
        return response.json()

    return create


@pytest.fixture
def run_due(app: Any) -> Callable[..., Awaitable[int]]:
    """One pass of the reminder worker at a moment past every reminder made by `due_task`."""

    async def run(at: datetime | None = None) -> int:
        services = services_of(app)
        now = at or datetime.now().astimezone() + timedelta(hours=1, seconds=1)
        return await send_due(
            services.sessionmaker, services.hub, now=now, channels=services.reminder_channels
        )

    return run
