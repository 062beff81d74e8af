"""Async engine and session factory, the declarative Base, SessionDep, and schema upgrades."""

import functools
import os
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import DateTime, Insert, MetaData, Table, event, insert, inspect
from sqlalchemy.engine import Connection, CursorResult, Result
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection
from sqlalchemy.types import TypeDecorator

from tasklive.pool import FairAsyncPool

if TYPE_CHECKING:
    from alembic.config import Config

IDLE_PING_SECONDS = 2.0

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for every table."""

    metadata = MetaData(naming_convention=NAMING)
    __table__: ClassVar[Table]


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def rows_matched(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE matched (execute() answers those with a CursorResult)."""
    assert isinstance(result, CursorResult)
    return result.rowcount


def utcnow() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


class _RandomIds:
    """128-bit random ids, read from the OS's random source a few hundred at a time.

    One `getrandom` call per id was several percent of a chat turn's CPU on a virtual machine.
    A forked child starts with an empty buffer, so no two processes hand out the same ids.
    """

    BATCH = 4096

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._forget()
        os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        self._buffer, self._at = b"", 0

    def next(self) -> str:
        with self._lock:
            if self._at + 16 > len(self._buffer):
                self._buffer, self._at = os.urandom(self.BATCH), 0
            start = self._at
            self._at += 16
            return self._buffer[start : start + 16].hex()


_random_ids = _RandomIds()


def new_id() -> str:
    """A fresh opaque identifier: 32 hex digits of the OS's randomness."""
    return _random_ids.next()


def async_driver_url(url: str) -> str:
    """Map plain database URLs onto the async drivers this service uses."""
    for plain, driver in (
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgres://", "postgresql+asyncpg://"),
        ("sqlite://", "sqlite+aiosqlite://"),
    ):
        if url.startswith(plain):
            return driver + url[len(plain) :]
    return url


def create_engine(
    url: str,
    pool_size: int = 20,
    max_overflow: int = 10,
    pool_timeout: float = 30.0,
    ping_after_idle_seconds: float = IDLE_PING_SECONDS,
) -> AsyncEngine:
    """An async engine whose pool serves waiters in order; SQLite gets WAL and one connection."""
    url = async_driver_url(url)
    if not url.startswith("sqlite"):
        engine = create_async_engine(
            url,
            poolclass=FairAsyncPool,
            pool_size=pool_size,
            max_overflow=max_overflow,
            pool_timeout=pool_timeout,
        )
        _ping_idle_connections(engine, ping_after_idle_seconds)
        return engine
    # One connection, its users served in turn: every transaction takes the write lock (BEGIN
    # IMMEDIATE), so a second connection would only wait in SQLite's busy handler, which sleeps
    # and retries out of order (p95 1.4x the fair wait and 4 s stragglers at 100 chats).
    engine = create_async_engine(
        url,
        poolclass=FairAsyncPool,
        pool_size=1,
        max_overflow=0,
        pool_timeout=pool_timeout,
        connect_args={"timeout": 30},
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # IMMEDIATE takes the write lock up front, so concurrent writers queue instead of
        # failing with "database is locked" when a read transaction tries to upgrade.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _ping_idle_connections(engine: AsyncEngine, idle_seconds: float) -> None:
    """Check a pooled connection before use only when it sat idle; a dead one is replaced.

    SQLAlchemy's pool_pre_ping costs asyncpg three round trips (BEGIN, ping, ROLLBACK) on every
    checkout, several per chat turn; a connection back in use within seconds needs none.
    """

    @event.listens_for(engine.sync_engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _checked_out(
        dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection
    ) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return
        try:
            dbapi_connection.ping()
        except Exception as exc:
            raise DisconnectionError("a pooled connection went away") from exc


@functools.cache
def _inserting(model: type[Base]) -> tuple[Insert, tuple[tuple[str, str], ...]]:
    mapper = inspect(model)
    columns = tuple((attribute.key, attribute.columns[0].key) for attribute in mapper.column_attrs)
    return insert(model.__table__), columns


async def insert_row(session: AsyncSession, row: Base) -> None:
    """Insert a new object with one Core statement, leaving it out of the session.

    The ORM's unit of work costs several times a plain INSERT on a chat turn's hot path. Only
    the attributes set on `row` are sent (columns' own defaults fill the rest, unseen by `row`),
    so callers set every attribute they read back, the id included.
    """
    statement, columns = _inserting(type(row))
    given = row.__dict__
    values = {column: given[attribute] for attribute, column in columns if attribute in given}
    await session.execute(statement, values)


async def without_transaction(session: AsyncSession) -> None:
    """Let the session's next statements each commit by themselves, on PostgreSQL.

    For a lookup of one row it spares two round trips (BEGIN and COMMIT); the session's next
    transaction, after a commit, is an ordinary one again. SQLite keeps its transaction, which
    its BEGIN IMMEDIATE hook needs.
    """
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _alembic_config(connection: Connection) -> "Config":
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    from alembic import command

    if connection.dialect.name == "postgresql":
        # Several instances may start at once; one migrates, the others wait and find nothing to do.
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7262534)")
    command.upgrade(_alembic_config(connection), "head")


async def upgrade_schema(engine: AsyncEngine) -> None:
    """Bring the schema to the newest Alembic revision; a no-op when it is already there."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The schema's Alembic revision, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )
