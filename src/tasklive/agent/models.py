"""TASKLIVE_MODEL to a pydantic-ai model, and bounded retries with backoff for remote models."""

import asyncio
import os
from dataclasses import dataclass
from typing import Any

from pydantic_ai import RetryModelRequest, RunContext
from pydantic_ai.capabilities import AbstractCapability
from pydantic_ai.exceptions import (
    ModelConnectionError,
    ModelRateLimitError,
    ModelRequestTimeout,
    ModelServerError,
    ModelUnavailableError,
)
from pydantic_ai.messages import ModelResponse
from pydantic_ai.models import Model, ModelRequestContext, infer_model
from pydantic_ai.settings import ModelSettings

from tasklive.agent.context import AgentDeps
from tasklive.agent.failures import broke_off
from tasklive.agent.offline import build_offline_model
from tasklive.agent.streaming import (
    FallBackUnstreamed,
    SometimesStreamed,
    StreamingChoice,
    StreamingMode,
)
from tasklive.backoff import backoff_seconds
from tasklive.config import Settings

TRANSIENT_ERRORS = (
    ModelRateLimitError,
    ModelServerError,
    ModelUnavailableError,
    ModelConnectionError,
    ModelRequestTimeout,
)
MAX_RETRY_WAIT_SECONDS = 30.0


@dataclass(init=False)
class RetryTransientErrors(AbstractCapability[Any]):
    """Retry a model request on 429, 5xx and timeouts, with exponential backoff, a few times."""

    retries: int
    base_seconds: float
    streaming: StreamingChoice | None

    def __init__(
        self, retries: int, base_seconds: float, streaming: StreamingChoice | None = None
    ) -> None:
        self.retries = retries
        self.base_seconds = base_seconds
        self.streaming = streaming

    def backoff(self, attempt: int, error: Exception) -> float:
        """Seconds to wait before attempt `attempt + 1`; honours a provider's Retry-After."""
        retry_after: float | None = getattr(error, "retry_after", None)
        return backoff_seconds(self.base_seconds, attempt, retry_after, MAX_RETRY_WAIT_SECONDS)

    async def on_model_request_error(
        self, ctx: RunContext[Any], *, request_context: ModelRequestContext, error: Exception
    ) -> ModelResponse:
        if not isinstance(error, TRANSIENT_ERRORS) or request_context.attempt > self.retries:
            raise error
        params = request_context.model_request_parameters
        if self.streaming and self.streaming.may_fall_back(params) and broke_off(error):
            raise error  # a stream the server broke off goes straight to the unstreamed fallback
        if isinstance(ctx.deps, AgentDeps) and ctx.deps.report_progress is not None:
            attempt, attempts = request_context.attempt + 1, self.retries + 1
            await ctx.deps.report_progress(f"Retrying the model, {attempt} of {attempts}")
        await asyncio.sleep(self.backoff(request_context.attempt, error))
        raise RetryModelRequest()


@dataclass(frozen=True)
class ModelChoice:
    """The model to run, the settings to run it with, whether it is remote, and how it streams."""

    model: Model
    settings: ModelSettings | None
    remote: bool
    streaming: StreamingChoice | None = None


def _openai_compatible(settings: Settings) -> Model:
    from openai.types.chat import ChatCompletionAssistantMessageParam
    from pydantic_ai.models.openai import OpenAIChatModel
    from pydantic_ai.providers.openai import OpenAIProvider

    name = settings.model.split(":", 1)[1] if ":" in settings.model else settings.model
    api_key = settings.openai_api_key or os.environ.get("OPENAI_API_KEY") or "not-needed"
    provider = OpenAIProvider(base_url=settings.openai_base_url, api_key=api_key)

    class StringContentChatModel(OpenAIChatModel):
        """Sends "" rather than null beside tool calls: llama-cpp-python refuses a null content."""

        class _MapModelResponseContext(OpenAIChatModel._MapModelResponseContext):
            def _into_message_param(self) -> ChatCompletionAssistantMessageParam | None:
                message = super()._into_message_param()
                if message is not None and message.get("content") is None:
                    message["content"] = ""
                return message

    return StringContentChatModel(name, provider=provider)


def build_model(settings: Settings) -> ModelChoice:
    """The model TASKLIVE_MODEL names: the offline model, or a remote one that retries."""
    if settings.model == "offline":
        return ModelChoice(build_offline_model(), None, remote=False)
    model = (
        _openai_compatible(settings) if settings.openai_base_url else infer_model(settings.model)
    )
    # Our capability owns retrying, so the provider SDK makes one attempt each time.
    remote_settings = ModelSettings(max_retries=0, timeout=settings.model_timeout_seconds)
    streaming = StreamingChoice(StreamingMode(settings.model_streaming))
    return ModelChoice(SometimesStreamed(model, streaming), remote_settings, True, streaming)


def retry_capabilities(settings: Settings, choice: ModelChoice) -> list[AbstractCapability[Any]]:
    """Retries (and the unstreamed fallback) for remote models; none for the offline model."""
    if not choice.remote:
        return []
    retry = RetryTransientErrors(
        settings.model_retries, settings.model_retry_base_seconds, choice.streaming
    )
    if choice.streaming is None:
        return [retry]
    # Error hooks run last to first: retries first, then the fallback gets what they give up on
    # (a server that always fails a stream with 500 is retried before it is sent unstreamed).
    return [FallBackUnstreamed(choice.streaming), retry]
