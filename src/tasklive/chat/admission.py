"""At most so many turns work at once; the rest wait in order, and a turn waiting on its user
lets another work meanwhile."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from pydantic_ai.messages import ModelMessage, ModelResponse
from pydantic_ai.models import ModelRequestParameters, StreamedResponse
from pydantic_ai.models.wrapper import WrapperModel
from pydantic_ai.settings import ModelSettings


class Admission:
    """Turn slots handed out first come, first served (asyncio's semaphore is FIFO)."""

    def __init__(self, limit: int) -> None:
        self._slots = asyncio.Semaphore(max(1, limit))

    async def take(self) -> "Slot":
        """Wait for a slot; the caller must `release` it."""
        await self._slots.acquire()
        return Slot(self._slots)


class Slot:
    """One turn's place among the working ones; `current_slot` in the turn's own task."""

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


current_slot: ContextVar[Slot | None] = ContextVar("current_slot", default=None)


@asynccontextmanager
async def aside_while_waiting() -> AsyncIterator[None]:
    """The current turn's slot given up while the block waits, if it holds one."""
    slot = current_slot.get()
    if slot is None or not slot.held:
        yield
        return
    async with slot.aside():
        yield


class AsideWhileAnswering(WrapperModel):
    """A remote model: a turn waiting for its answer leaves its slot to turns with work to do."""

    async def request(
        self,
        messages: list[ModelMessage],
        model_settings: ModelSettings | None,
        model_request_parameters: ModelRequestParameters,
    ) -> ModelResponse:
        async with aside_while_waiting():
            return await super().request(messages, model_settings, model_request_parameters)

    @asynccontextmanager
    async def request_stream(
        self,
        messages: list[ModelMessage],
        model_settings: ModelSettings | None,
        model_request_parameters: ModelRequestParameters,
        run_context: Any = None,
    ) -> AsyncIterator[StreamedResponse]:
        async with (
            aside_while_waiting(),
            super().request_stream(
                messages, model_settings, model_request_parameters, run_context
            ) as stream,
        ):
            yield stream
