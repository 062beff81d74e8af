"""One turn at a time per conversation: an asyncio lock, plus a PostgreSQL advisory lock."""

import asyncio
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


def advisory_key(conversation_id: str) -> int:
    """A stable signed 64-bit key for a conversation."""
    digest = hashlib.blake2b(f"tasklive-conversation:{conversation_id}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


class ConversationLocks:
    """Waiters get the lock in arrival order; locks of idle conversations are forgotten."""

    def __init__(self, engine: AsyncEngine | None) -> None:
        self.engine = engine if engine is not None and engine.dialect.name == "postgresql" else None
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, conversation_id: str) -> AsyncIterator[None]:
        """Hold the conversation's lock for the duration of the block."""
        lock, users = self._locks.get(conversation_id, (asyncio.Lock(), 0))
        self._locks[conversation_id] = (lock, users + 1)
        try:
            async with lock:
                if self.engine is None:
                    yield
                else:
                    async with self._advisory(conversation_id):
                        yield
        finally:
            lock, users = self._locks[conversation_id]
            if users <= 1:
                del self._locks[conversation_id]
            else:
                self._locks[conversation_id] = (lock, users - 1)

    @asynccontextmanager
    async def _advisory(self, conversation_id: str) -> AsyncIterator[None]:
        assert self.engine is not None
        key = advisory_key(conversation_id)
        connection = await self.engine.connect()
        try:
            # Autocommit: the lock is held by the session, with no transaction left open meanwhile.
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        except BaseException:
            # Closing the connection for good releases whatever it may hold.
            await connection.invalidate()
            await connection.close()
            raise
        try:
            yield
        finally:
            try:
                await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            except BaseException:
                await connection.invalidate()
                raise
            finally:
                await connection.close()
