"""Fixtures shared by every test package: backends, app, HTTP client, accounts."""

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tasklive.app import create_app
from tasklive.config import Settings
from tests.support.backends import create_postgres_database, drop_postgres_database

SECRET = "test-secret-key-for-tasklive-tests-0123456789"


@pytest.fixture(params=["sqlite", "postgres"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database: SQLite file, then PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'tasklive.db'}"
        return
    url = await create_postgres_database()
    try:
        yield url
    finally:
        await drop_postgres_database(url)


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    """Override in a test module to change settings for its app."""
    return {}


@pytest.fixture
def settings(tmp_path: Path, database_url: str, settings_overrides: dict[str, Any]) -> Settings:
    """Settings for one test: its own data dir and database, a fixed secret, no .env."""
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "database_url": database_url,
        "secret_key": SECRET,
        **settings_overrides,
    }
    return Settings(_env_file=None, **values)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Any]:
    """A running app (lifespan entered) for the test's settings."""
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the app in-process."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


Account = dict[str, Any]


@pytest.fixture
def sign_up(client: httpx.AsyncClient) -> Callable[..., Awaitable[Account]]:
    """Create an account; returns the sign-up body plus ready-to-use `headers`."""
    counter = 0

    async def create(email: str | None = None, password: str = "correct horse") -> Account:
        nonlocal counter
        counter += 1
        body = {"email": email or f"user{counter}@example.com", "password": password}
        response = await client.post("/api/auth/sign-up", json=body)
        assert response.status_code == 201, response.text
        data = response.json()
        data["headers"] = {"Authorization": f"Bearer {data['access_token']}"}
        data["password"] = password
        client.cookies.clear()
        return data

    return create
