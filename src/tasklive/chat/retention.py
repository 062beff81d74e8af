"""The periodic job that deletes conversations idle for longer than the retention period."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.chat.store import purge_expired
from tasklive.config import Settings
from tasklive.tasks.collections import prune_changes

log = logging.getLogger(__name__)


async def purge_once(sessionmaker: async_sessionmaker[AsyncSession], settings: Settings) -> int:
    """Delete expired conversations (and old task change-log entries) now; returns how many
    conversations."""
    async with sessionmaker() as session:
        await prune_changes(session, settings.retention_days)
        return await purge_expired(session, settings.retention_days)


async def purge_forever(sessionmaker: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    """Purge at start, then every `purge_interval_seconds`; a failed pass is only logged."""
    while True:
        try:
            purged = await purge_once(sessionmaker, settings)
            if purged:
                log.info("purged %d expired conversations", purged)
        except Exception:
            log.exception("conversation purge failed")
        await asyncio.sleep(settings.purge_interval_seconds)


@asynccontextmanager
async def run_purge_job(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> AsyncIterator[None]:
    """Run the purge job in the background for the app's lifetime."""
    job = asyncio.create_task(purge_forever(sessionmaker, settings))
    try:
        yield
    finally:
        job.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await job
