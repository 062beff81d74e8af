"""At most so many turns work at once; the rest wait in order, and a turn waiting on its user
lets another work meanwhile."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Admission:
    """Turn slots handed out first come, first served (asyncio's semaphore is FIFO)."""

    def __init__(self, limit: int) -> None:
        self._slots = asyncio.Semaphore(max(1, limit))

    async def take(self) -> "Slot":
        """Wait for a slot; the caller must `release` it."""
        await self._slots.acquire()
        return Slot(self._slots)


class Slot:
    """One turn's place among the working ones."""

    def __init__(self, slots: asyncio.Semaphore) -> None:
        self._slots = slots
        self.held = True

    def release(self) -> None:
        if self.held:
            self.held = False
            self._slots.release()

    @asynccontextmanager
    async def aside(self) -> AsyncIterator[None]:
        """Give the place up while the block waits (for an approval), then queue for it again."""
        self.release()
        cancelled = False
        try:
            yield
        except asyncio.CancelledError:
            cancelled = True  # the turn is ending: it need not queue for a place again
            raise
        finally:
            if not cancelled:
                await self._slots.acquire()  # cancelled here: not held, so not released
                self.held = True
