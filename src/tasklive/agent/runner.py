"""Chat turns: store the user message, run the agent detached from any socket, store the reply."""

import asyncio
import logging
from functools import cached_property
from typing import Any

from pydantic_ai import Agent, AgentRunResultEvent
from pydantic_ai.exceptions import ModelAPIError
from pydantic_ai.messages import ModelMessage
from pydantic_ai.models import Model
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.agent.agent import build_agent
from tasklive.agent.context import AgentDeps
from tasklive.agent.locks import ConversationLocks
from tasklive.agent.models import ModelChoice, build_model, retry_capabilities
from tasklive.agent.translate import RunTranslator
from tasklive.agent.turn import Outcome, Turn, changed_tasks, outcome_of, to_model_messages
from tasklive.config import Settings
from tasklive.conversations.models import Message
from tasklive.conversations.service import ConversationService, clean_message
from tasklive.db import new_id
from tasklive.errors import UnavailableError
from tasklive.realtime.events import EventPublisher, task_change_events

log = logging.getLogger(__name__)

__all__ = ["Turn", "TurnRunner"]

UNREACHABLE = "I couldn't reach the language model just now. Please try again in a moment."
FAILED = "Something went wrong while I was working on that. Please try again."
CANCELLED_NOTE = "(Cancelled before finishing.)"
SHUTDOWN_GRACE_SECONDS = 5.0
REMOTE_POLL_SECONDS = 0.25


class _RunningTurn:
    def __init__(self, turn: Turn, user_id: str) -> None:
        self.turn = turn
        self.user_id = user_id
        self.task: asyncio.Task[None] | None = None
        self.started = False
        self.finishing = False
        self.cancel_requested = False

    def cancel(self) -> bool:
        if self.finishing or self.task is None or self.task.done():
            return False
        if not self.cancel_requested:
            self.cancel_requested = True
            # A task cancelled before its first step would end without storing its note.
            if self.started:
                self.task.cancel()
        return True


class TurnRunner:
    """Starts, orders, cancels and finishes chat turns; owns their asyncio tasks."""

    def __init__(
        self,
        settings: Settings,
        sessionmaker: async_sessionmaker[AsyncSession],
        publisher: EventPublisher,
        model: ModelChoice | Model | None = None,
    ) -> None:
        self.settings = settings
        self.sessionmaker = sessionmaker
        self.publisher = publisher
        self._model = model
        self.locks = ConversationLocks(sessionmaker.kw.get("bind"))
        self._running: dict[str, _RunningTurn] = {}
        self._waiters: set[asyncio.Task[None]] = set()
        self._closing = False
        on_control = getattr(publisher, "on_control", None)
        if on_control is not None:
            on_control(self._on_control)

    @cached_property
    def agent(self) -> Agent[AgentDeps, str]:
        """The agent, built at the first turn: a model that cannot load fails turns, not startup."""
        choice = self._model if isinstance(self._model, ModelChoice) else None
        if choice is None:
            choice = (
                ModelChoice(self._model, None, False) if self._model else build_model(self.settings)
            )
        return build_agent(choice.model, choice.settings, retry_capabilities(self.settings, choice))

    async def start(
        self,
        user_id: str,
        message: str,
        conversation_id: str | None = None,
        client_message_id: str | None = None,
    ) -> Turn:
        """Validate, check limits, store the user message and schedule the turn; returns at once."""
        text = clean_message(message, self.settings.max_message_chars)
        if self._closing:
            raise UnavailableError("The server is restarting. Please try again in a moment.")
        if client_message_id:
            earlier = await self._earlier_turn(user_id, client_message_id)
            if earlier is not None:
                return earlier
        run_id = new_id()
        try:
            async with self.sessionmaker() as session:
                stored = await ConversationService(session, user_id).add_user_message(
                    text,
                    conversation_id=conversation_id,
                    client_message_id=client_message_id,
                    run_id=run_id,
                    daily_limit=self.settings.daily_message_limit,
                )
        except IntegrityError:
            # The same client_message_id raced in from another request.
            earlier = (
                await self._earlier_turn(user_id, client_message_id) if client_message_id else None
            )
            if earlier is None:
                raise
            return earlier
        turn = Turn(run_id, stored.conversation_id, stored.id)
        running = _RunningTurn(turn, user_id)
        self._running[run_id] = running
        running.task = asyncio.create_task(self._run(running, stored), name=f"turn-{run_id}")
        running.task.add_done_callback(lambda _: self._running.pop(run_id, None))
        return turn

    async def cancel(self, user_id: str, run_id: str) -> bool:
        """Ask a run to stop; it ends with `agent_done` cancelled: true and a stored note."""
        running = self._running.get(run_id)
        if running is not None:
            return running.user_id == user_id and running.cancel()
        send_control = getattr(self.publisher, "send_control", None)
        if send_control is None or not await self._running_elsewhere(user_id, run_id):
            return False
        try:
            await send_control({"type": "cancel_run", "user_id": user_id, "run_id": run_id})
        except Exception:
            log.warning("could not forward the cancel of run %s", run_id, exc_info=True)
            return False
        return True

    async def _running_elsewhere(self, user_id: str, run_id: str) -> bool:
        async with self.sessionmaker() as session:
            service = ConversationService(session, user_id)
            return await service.owns_run(run_id) and await service.reply_for_run(run_id) is None

    async def cancel_conversation(self, user_id: str, conversation_id: str) -> None:
        """Stop this process's runs in a conversation (before it is deleted)."""
        for running in list(self._running.values()):
            if running.user_id == user_id and running.turn.conversation_id == conversation_id:
                running.cancel()
        tasks = [
            r.task for r in self._running.values() if r.turn.conversation_id == conversation_id
        ]
        await asyncio.gather(*(t for t in tasks if t is not None), return_exceptions=True)

    async def aclose(self, grace_seconds: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """Let running turns finish briefly, then cancel the rest; each still stores its note."""
        self._closing = True
        tasks = [r.task for r in self._running.values() if r.task is not None]
        if tasks:
            await asyncio.wait(tasks, timeout=grace_seconds)
        for running in list(self._running.values()):
            running.cancel()
        for waiter in self._waiters:
            waiter.cancel()
        await asyncio.gather(*tasks, *self._waiters, return_exceptions=True)

    async def _on_control(self, payload: dict[str, Any]) -> None:
        if payload.get("type") == "cancel_run":
            running = self._running.get(str(payload.get("run_id")))
            if running is not None and running.user_id == payload.get("user_id"):
                running.cancel()

    async def _earlier_turn(self, user_id: str, client_message_id: str) -> Turn | None:
        async with self.sessionmaker() as session:
            service = ConversationService(session, user_id)
            sent = await service.by_client_id(client_message_id)
            if sent is None or sent.run_id is None:
                return None
            if (running := self._running.get(sent.run_id)) is not None:
                return running.turn
            reply = await service.reply_for_run(sent.run_id)
        turn = Turn(sent.run_id, sent.conversation_id, sent.id)
        if reply is not None:
            turn._finish(*outcome_of(reply))
        else:
            # Still running in another server process: wait for its stored reply.
            waiter = asyncio.create_task(self._wait_for_reply(turn, user_id))
            self._waiters.add(waiter)
            waiter.add_done_callback(self._waiters.discard)
        return turn

    async def _wait_for_reply(self, turn: Turn, user_id: str) -> None:
        attempts = self.settings.model_retries + 1
        deadline = (
            asyncio.get_running_loop().time() + self.settings.model_timeout_seconds * attempts
        )
        try:
            while asyncio.get_running_loop().time() < deadline:
                async with self.sessionmaker() as session:
                    service = ConversationService(session, user_id)
                    reply = await service.reply_for_run(turn.run_id)
                if reply is not None:
                    turn._finish(*outcome_of(reply))
                    return
                await asyncio.sleep(REMOTE_POLL_SECONDS)
        finally:
            # Gave up, or the server is stopping: the caller still gets an answer.
            turn._finish(None, UnavailableError(UNREACHABLE))

    async def _publish(self, user_id: str, events: list[dict[str, Any]]) -> None:
        for event in events:
            try:
                await self.publisher.publish(user_id, event)
            except Exception:
                log.exception("could not publish a %s event", event.get("event_type"))

    async def _load_history(self, user_id: str, stored: Message) -> list[ModelMessage]:
        async with self.sessionmaker() as session:
            service = ConversationService(session, user_id)
            history = await service.history(stored, self.settings.history_window)
        return to_model_messages(history)

    async def _run(self, running: _RunningTurn, stored: Message) -> None:
        turn = running.turn
        translator = RunTranslator(turn.run_id, turn.conversation_id, stored.client_message_id)
        deps = AgentDeps(running.user_id, self.sessionmaker, turn.run_id, turn.conversation_id)
        running.started = True
        try:
            if running.cancel_requested:
                raise asyncio.CancelledError
            async with self.locks.hold(turn.conversation_id):
                outcome = await self._converse(running, stored, translator, deps)
                # Still under the lock: the next turn's history must include this reply.
                await self._finish(running, stored, translator, deps, outcome)
                return
        except asyncio.CancelledError:
            # Only reachable before the turn got the conversation's lock.
            if not running.cancel_requested:
                raise
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                task.uncancel()
        running.finishing = True
        await self._finish(running, stored, translator, deps, Outcome(cancelled=True))

    async def _converse(
        self, running: _RunningTurn, stored: Message, translator: RunTranslator, deps: AgentDeps
    ) -> Outcome:
        outcome = Outcome()
        try:
            await self._publish(running.user_id, [translator.thinking()])
            history = await self._load_history(running.user_id, stored)
            async with self.agent.run_stream_events(
                stored.content, message_history=history, deps=deps
            ) as events:
                async for event in events:
                    await self._publish(running.user_id, translator.translate(event))
                    if isinstance(event, AgentRunResultEvent):
                        outcome.response = str(event.result.output).strip()
                        outcome.metadata = event.result.response.metadata
        except asyncio.CancelledError:
            if not running.cancel_requested:
                raise
            asyncio.current_task().uncancel()  # type: ignore[union-attr]
            outcome.cancelled = True
        except ModelAPIError as exc:
            log.warning("model unreachable for run %s: %s", running.turn.run_id, exc)
            outcome.error = UNREACHABLE
        except Exception:
            log.exception("turn %s failed", running.turn.run_id)
            outcome.error = FAILED
        running.finishing = True
        return outcome

    async def _finish(
        self,
        running: _RunningTurn,
        stored: Message,
        translator: RunTranslator,
        deps: AgentDeps,
        outcome: Outcome,
    ) -> None:
        turn, user_id = running.turn, running.user_id
        response, error, cancelled = outcome.response, outcome.error, outcome.cancelled
        if not translator.started:
            await self._publish(user_id, [translator.thinking()])
        reason = "Cancelled." if cancelled else "Stopped before finishing."
        await self._publish(user_id, translator.close_open_calls(reason))
        unannounced = deps.changes[translator.announced :]
        await self._publish(
            user_id,
            task_change_events(
                unannounced, run_id=turn.run_id, conversation_id=turn.conversation_id
            ),
        )
        if cancelled:
            partial = translator.text.strip()
            response = f"{partial} {CANCELLED_NOTE}" if partial else CANCELLED_NOTE
        elif error:
            response = error
        reply_id = new_id()
        body = {
            "response": response,
            "conversation_id": turn.conversation_id,
            "message_id": reply_id,
            "user_message_id": turn.message_id,
            "run_id": turn.run_id,
            "tasks": changed_tasks(deps.changes),
            "tool_calls": translator.tool_calls,
            "cancelled": cancelled,
        }
        unavailable = error is not None
        details = {
            "result": body,
            "cancelled": cancelled,
            "error": error,
            "unavailable": unavailable,
            "model_metadata": None if cancelled or error else outcome.metadata,
        }
        try:
            async with self.sessionmaker() as session:
                service = ConversationService(session, user_id)
                await service.add_reply(stored, response, details, reply_id)
        except Exception:
            # The conversation was deleted meanwhile, or the database is gone: nothing to keep.
            log.warning("could not store the reply of run %s", turn.run_id, exc_info=True)
        await self._publish(user_id, [translator.done(response, error=error, cancelled=cancelled)])
        turn._finish(body, UnavailableError(error) if error else None)
