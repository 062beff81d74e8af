"""Streamed or not: a server that cannot stream a turn with tools gets one request without."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic_ai import RunContext
from pydantic_ai.capabilities import AbstractCapability
from pydantic_ai.exceptions import (
    ModelAPIError,
    ModelAuthenticationError,
    ModelConnectionError,
    ModelEmptyResponseError,
    ModelQuotaExceededError,
    ModelRateLimitError,
    ModelRequestTimeout,
    UnexpectedModelBehavior,
)
from pydantic_ai.messages import ModelMessage, ModelResponse, ModelResponseStreamEvent
from pydantic_ai.models import (
    CompletedStreamedResponse,
    ModelRequestContext,
    ModelRequestParameters,
    StreamedResponse,
)
from pydantic_ai.models.wrapper import WrapperModel
from pydantic_ai.settings import ModelSettings

from tasklive.agent.failures import broke_off

log = logging.getLogger(__name__)

# Failures that say nothing about streaming: the same request unstreamed would fail the same way.
NOT_ABOUT_STREAMING = (
    ModelConnectionError,
    ModelRequestTimeout,
    ModelRateLimitError,
    ModelQuotaExceededError,
    ModelAuthenticationError,
)


class StreamingMode(StrEnum):
    """TASKLIVE_MODEL_STREAMING: `auto` streams until a server shows it cannot, `on`, `off`."""

    AUTO = "auto"
    ON = "on"
    OFF = "off"


def _with_tools(params: ModelRequestParameters) -> bool:
    return bool(params.function_tools or params.output_tools)


@dataclass
class StreamingChoice:
    """Whether one model's requests are streamed; `auto` remembers (until restart) a failure."""

    mode: StreamingMode = StreamingMode.AUTO
    fails_with_tools: bool = field(default=False)

    def streams(self, params: ModelRequestParameters) -> bool:
        if self.mode is StreamingMode.AUTO:
            return not (self.fails_with_tools and _with_tools(params))
        return self.mode is StreamingMode.ON

    def may_fall_back(self, params: ModelRequestParameters) -> bool:
        return self.mode is StreamingMode.AUTO and self.streams(params)

    def remember_failure(self, params: ModelRequestParameters) -> None:
        if _with_tools(params):
            self.fails_with_tools = True


def stream_failure(error: Exception) -> bool:
    """Whether an error streaming a request may go away when it is sent unstreamed."""
    if broke_off(error):
        return True
    if isinstance(error, NOT_ABOUT_STREAMING):
        return False
    return isinstance(error, ModelAPIError | UnexpectedModelBehavior)


class SometimesStreamed(WrapperModel):
    """A model that streams when its choice says so, else answers a stream with one request.

    In `auto` a stream must bring an event before it is handed on, so a stream that ends
    with nothing fails while it opens, where `FallBackUnstreamed` can still act on it.
    """

    def __init__(self, wrapped: Any, choice: StreamingChoice) -> None:
        super().__init__(wrapped)
        self.choice = choice

    @asynccontextmanager
    async def request_stream(
        self,
        messages: list[ModelMessage],
        model_settings: ModelSettings | None,
        model_request_parameters: ModelRequestParameters,
        run_context: RunContext[Any] | None = None,
    ) -> AsyncIterator[StreamedResponse]:
        params = model_request_parameters
        if not self.choice.streams(params):
            response = await self.request(messages, model_settings, params)
            yield CompletedStreamedResponse(
                response, model_request_parameters=params, replay_events=True
            )
            return
        async with super().request_stream(messages, model_settings, params, run_context) as stream:
            if self.choice.mode is StreamingMode.AUTO:
                await _first_event_or_fail(stream, self.model_name)
            yield stream


async def _first_event_or_fail(stream: StreamedResponse, model_name: str) -> None:
    """Pull the stream's first event (it is replayed); a stream that ends without one fails."""
    events = aiter(stream)
    try:
        first = await anext(events)
    except StopAsyncIteration:
        raise ModelEmptyResponseError(
            model_name, "Streamed response ended without content or tool calls"
        ) from None

    async def replayed() -> AsyncIterator[ModelResponseStreamEvent]:
        yield first
        async for event in events:
            yield event

    stream._event_iterator = replayed()


@dataclass(init=False)
class FallBackUnstreamed(AbstractCapability[Any]):
    """When streaming a request fails before any output, send it once more without streaming.

    It acts on what the retries give up on. If the request answers unstreamed, the model's
    streaming with tools is remembered as broken, so later turns go straight to one request.
    """

    choice: StreamingChoice

    def __init__(self, choice: StreamingChoice) -> None:
        self.choice = choice

    async def on_model_request_error(
        self, ctx: RunContext[Any], *, request_context: ModelRequestContext, error: Exception
    ) -> ModelResponse:
        params = request_context.model_request_parameters
        if not (stream_failure(error) and self.choice.may_fall_back(params)):
            raise error
        response = await self._unstreamed(request_context)
        if not self.choice.fails_with_tools:
            log.warning(
                "model %s could not stream a request with tools (%s); sending them unstreamed "
                "until restart",
                request_context.model.model_name,
                error,
            )
        self.choice.remember_failure(params)
        return response

    async def _unstreamed(self, request_context: ModelRequestContext) -> ModelResponse:
        """The request, unstreamed; sent twice if the first meets the connection the failed
        stream left behind (the server closes it just after: "Server disconnected")."""
        for attempt in (1, 2):
            try:
                return await request_context.model.request(
                    request_context.messages,
                    request_context.model_settings,
                    request_context.model_request_parameters,
                )
            except ModelAPIError as error:
                if attempt == 2 or not broke_off(error):
                    raise
        raise AssertionError("unreachable")
