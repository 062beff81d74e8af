"""At most so many turns work at once; the rest wait in order, and a turn waiting on its user
lets another work meanwhile."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Admission:
    """Turn slots handed out first come, first served (asyncio's semaphore is FIFO)."""

    def __init__(self, limit: int) -> None:
        self._slots = asyncio.Semaphore(max(1, limit))

    @asynccontextmanager
    async def slot(self) -> AsyncIterator["Slot"]:
        """Hold a slot while the block runs; it may be let go meanwhile with `Slot.aside`."""
        await self._slots.acquire()
        slot = Slot(self._slots)
        try:
            yield slot
        finally:
            if slot.held:
                self._slots.release()


class Slot:
    """One turn's place among the working ones."""

    def __init__(self, slots: asyncio.Semaphore) -> None:
        self._slots = slots
        self.held = True

    @asynccontextmanager
    async def aside(self) -> AsyncIterator[None]:
        """Give the place up while the block waits (for an approval), then queue for it again."""
        self._slots.release()
        self.held = False
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
