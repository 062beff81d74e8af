"""Schema migrations and persistence across service restarts."""

import asyncpg
from sqlalchemy import inspect, text

from tasklive.app import create_app
from tasklive.config import Settings
from tasklive.db import create_engine, current_revision, upgrade_schema
from tests.conftest import SECRET
from tests.support.backends import create_postgres_database, drop_postgres_database


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


async def test_a_pooled_connection_that_died_while_idle_is_replaced_unseen():
    url = await create_postgres_database()
    engine = create_engine(url, ping_after_idle_seconds=0)
    try:
        async with engine.connect() as connection:
            pid = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        admin = await asyncpg.connect(url.replace("+asyncpg", ""))
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
        finally:
            await admin.close()
        async with engine.connect() as connection:
            assert (await connection.execute(text("SELECT 1"))).scalar_one() == 1
            assert (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one() != pid
    finally:
        await engine.dispose()
        await drop_postgres_database(url)
