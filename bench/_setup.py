"""The in-process service every benchmark measures: fresh data dir, one signed-up user."""

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tasklive.app import create_app
from tasklive.config import Settings


@dataclass
class Bench:
    """A running app, a client for it, and the signed-up user's id and auth headers."""

    app: Any
    http: httpx.AsyncClient
    user_id: str
    headers: dict[str, str]


@asynccontextmanager
async def signed_in(database_url: str | None) -> AsyncIterator[Bench]:
    """A fresh app (SQLite in a temporary dir unless `database_url`) with one user."""
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(
            _env_file=None, data_dir=Path(data_dir), database_url=database_url, secret_key="b" * 40
        )
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                body = {"email": "bench@example.com", "password": "bench pw"}
                signed = (await http.post("/api/auth/sign-up", json=body)).json()
                http.cookies.clear()
                headers = {"Authorization": f"Bearer {signed['access_token']}"}
                yield Bench(app, http, signed["user"]["id"], headers)
