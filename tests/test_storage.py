"""Schema migrations and persistence across service restarts."""

from sqlalchemy import inspect

from tasklive.app import create_app
from tasklive.config import Settings
from tasklive.db import create_engine, current_revision, upgrade_schema
from tests.conftest import SECRET


async def test_migrations_build_an_empty_database_and_are_idempotent(database_url):
    engine = create_engine(database_url)
    try:
        assert await current_revision(engine) is None
        await upgrade_schema(engine)
        first = await current_revision(engine)
        await upgrade_schema(engine)
        assert await current_revision(engine) == first is not None
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert {
            "users",
            "tasks",
            "conversations",
            "messages",
            "tool_calls",
            "daily_usage",
        } <= tables
    finally:
        await engine.dispose()


async def test_data_survives_a_restart(database_url, tmp_path):
    import httpx

    settings = Settings(
        _env_file=None, data_dir=tmp_path, database_url=database_url, secret_key=SECRET
    )

    async def session(app):
        transport = httpx.ASGITransport(app=app)
        return httpx.AsyncClient(transport=transport, base_url="http://testserver")

    first = create_app(settings)
    async with first.router.lifespan_context(first), await session(first) as http:
        signed = await http.post(
            "/api/auth/sign-up", json={"email": "r@example.com", "password": "restart pw"}
        )
        headers = {"Authorization": f"Bearer {signed.json()['access_token']}"}
        await http.post("/api/tasks", json={"title": "survive"}, headers=headers)

    second = create_app(settings)
    async with second.router.lifespan_context(second), await session(second) as http:
        listing = await http.get("/api/tasks", headers=headers)
        assert [t["title"] for t in listing.json()["items"]] == ["survive"]


async def test_generated_secret_is_kept_private_and_reused(tmp_path):
    first = Settings(_env_file=None, data_dir=tmp_path).resolved_secret_key
    second = Settings(_env_file=None, data_dir=tmp_path).resolved_secret_key
    assert first == second and len(first) > 30
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


async def test_healthz_reports_database(client):
    response = await client.get("/healthz")
    assert response.json()["database"] == "ok"
    docs = await client.get("/docs")
    assert docs.status_code == 200


async def test_start_up_says_what_it_runs_on(settings, caplog):
    caplog.set_level("INFO", logger="tasklive")
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        pass
    line = next(r.getMessage() for r in caplog.records if r.getMessage().startswith("tasklive "))
    assert "model offline" in line and "broker memory://" in line
    assert str(settings.data_dir.resolve()) in line
    assert "database sqlite" in line or "database postgresql" in line
