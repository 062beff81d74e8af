"""Fresh PostgreSQL databases and Redis key prefixes for tests; skip or fail when unreachable."""

import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

POSTGRES_URL = os.environ.get(
    "TASKLIVE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("TASKLIVE_TEST_REDIS_URL", "redis://127.0.0.1:6379")


def unavailable(what: str, error: BaseException) -> None:
    """Skip locally; fail under CI, where every backend must be tested."""
    message = f"{what} is unreachable ({error.__class__.__name__}: {error})"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def create_postgres_database() -> str:
    """A new, empty PostgreSQL database; returns its URL."""
    name = f"tasklive_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = await asyncpg.connect(POSTGRES_URL, timeout=5)
    except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
        unavailable("PostgreSQL", exc)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return _with_database(POSTGRES_URL, name)


async def drop_postgres_database(url: str) -> None:
    """Drop a database made by create_postgres_database, closing whatever still uses it."""
    name = urlsplit(url).path.lstrip("/")
    admin = await asyncpg.connect(POSTGRES_URL, timeout=5)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def redis_prefix() -> str:
    """A fresh key prefix on the test Redis (which must answer)."""
    import redis.asyncio as redis

    client = redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except (OSError, redis.RedisError) as exc:
        unavailable("Redis", exc)
    finally:
        await client.aclose()
    return f"tasklive-test-{uuid.uuid4().hex[:12]}"


async def drop_redis_prefix(prefix: str) -> None:
    """Delete every key under a test prefix."""
    import redis.asyncio as redis

    client = redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()
