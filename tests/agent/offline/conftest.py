"""An SQLite database with the real schema, and conversations on it."""

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.db import Base, create_engine, create_sessionmaker
from tests.agent.offline.harness import OfflineChat

SEEDED = ("buy groceries", "prepare the meeting agenda", "call dentist")


@pytest.fixture
async def sessionmaker(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'offline.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    yield create_sessionmaker(engine)
    await engine.dispose()


NewChat = Callable[..., Awaitable[OfflineChat]]


@pytest.fixture
def new_chat(sessionmaker: async_sessionmaker[AsyncSession]) -> NewChat:
    """Start another user's conversation on the same database: new_chat(*titles, completed=())."""

    async def start(*titles: str, completed: tuple[int, ...] = (), **clock: Any) -> OfflineChat:
        return await OfflineChat.start(sessionmaker, *titles, completed=completed, **clock)

    return start


@pytest.fixture
async def chat(new_chat: NewChat) -> OfflineChat:
    return await new_chat()


@pytest.fixture
async def seeded(new_chat: NewChat) -> OfflineChat:
    """#1 buy groceries, #2 prepare the meeting agenda (pending), #3 call dentist (done)."""
    return await new_chat(*SEEDED, completed=(3,))
