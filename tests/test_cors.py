"""Browsers on an allowed origin may call the API with credentials; others get no CORS grant."""

import pytest

ALLOWED = "https://tasks.example.org"


@pytest.fixture
def settings_overrides():
    return {"allowed_origins": [ALLOWED]}


@pytest.fixture
def database_url(tmp_path):
    return f"sqlite+aiosqlite:///{tmp_path / 'tasklive.db'}"


async def test_preflight_from_an_allowed_origin(client):
    response = await client.options(
        "/api/tasks",
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert response.headers["access-control-allow-credentials"] == "true"
    assert "POST" in response.headers["access-control-allow-methods"]


async def test_a_foreign_origin_gets_no_grant(client, sign_up):
    account = await sign_up()
    response = await client.get(
        "/api/tasks", headers={**account["headers"], "Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in response.headers
    allowed = await client.get("/api/tasks", headers={**account["headers"], "Origin": ALLOWED})
    assert allowed.headers["access-control-allow-origin"] == ALLOWED
