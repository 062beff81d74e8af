"""One turn: history -> agent -> live events, then exactly one stored reply and one agent_done."""

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic_ai.messages import ModelMessage
from sqlalchemy.ext.asyncio import AsyncSession

from tasklive.agent.approvals import UserChoices, load_user_choices
from tasklive.agent.context import AgentDeps
from tasklive.agent.factory import TurnAgent
from tasklive.agent.failures import MODEL_FAILURES, describe_failure
from tasklive.agent.translate import RunTranslator
from tasklive.chat import runs
from tasklive.chat.approvals import ApprovalDesk
from tasklive.chat.environment import TurnEnvironment, publish_all
from tasklive.chat.models import Message
from tasklive.chat.outcomes import ERRORS, NOTES, STOPPED, TurnOutcome, TurnResult
from tasklive.chat.runs import RunRef
from tasklive.chat.store import ConversationStore
from tasklive.chat.turn import changed_tasks, prompt_request, to_model_messages
from tasklive.db import new_id
from tasklive.tasks.events import task_change_events

log = logging.getLogger(__name__)

TOO_SLOW = "The model took too long to answer. Please try again in a moment."
STORE_ATTEMPTS = 3


@dataclass(frozen=True)
class TurnStart:
    """A run's history and the user's settings, read in the transaction that stored its message."""

    history: list[Message]
    sent_at: datetime
    choices: UserChoices


async def read_start(
    session: AsyncSession,
    user_id: str,
    current: Message,
    window: int,
    *,
    new_conversation: bool = False,
    choices: UserChoices | None = None,
) -> TurnStart:
    """The history before `current` and the user's choices, in the session's transaction."""
    store = ConversationStore(session, user_id)
    history = [] if new_conversation else await store.history(current, window)
    if choices is None:
        choices = await load_user_choices(session, user_id)
    return TurnStart(history, current.created_at, choices)


class TurnExecution:
    """Runs one claimed turn; `finish` always stores one reply and publishes one agent_done."""

    def __init__(
        self,
        env: TurnEnvironment,
        run: RunRef,
        prompt: str,
        client_message_id: str | None,
        approvals: ApprovalDesk | None = None,
        on_waiting: Callable[[str | None], None] | None = None,
        start: TurnStart | None = None,
        reply: str | None = None,
    ) -> None:
        self.env = env
        self.reply = reply
        self.start = start
        self.run = run
        self.prompt = prompt
        self.translator = RunTranslator(run.id, run.conversation_id, client_message_id)
        self.approvals = approvals
        self.on_waiting = on_waiting
        self.deps = AgentDeps(
            run.user_id,
            env.sessionmaker,
            run.id,
            run.conversation_id,
            report_progress=self._report_progress,
            approver=self._ask_approval if approvals is not None else None,
        )
        # While it waits on its user, the turn lets another take its place among the working.
        self.step_aside: Callable[[], AbstractAsyncContextManager[None]] = contextlib.nullcontext
        self.cancel_requested = False
        self.finishing = False
        self.model_metadata: dict[str, Any] | None = None
        self.model_messages: list[Any] | None = None
        self._deadline: asyncio.Timeout | None = None

    async def execute(self, agent: TurnAgent) -> tuple[TurnOutcome, str]:
        """Run the agent to its reply; cancellation by the user ends it as cancelled."""
        try:
            await self._publish([self.translator.thinking()])
            if self.reply is not None:
                return TurnOutcome.OK, self.reply
            history = await self._history()
            async with asyncio.timeout(self.env.settings.turn_deadline_seconds) as deadline:
                self._deadline = deadline
                return TurnOutcome.OK, await self._converse(agent, history)
        except asyncio.CancelledError:
            if not self.cancel_requested:
                raise
            return TurnOutcome.CANCELLED, ""
        except TimeoutError:
            log.warning("run %s passed its deadline", self.run.id)
            return TurnOutcome.MODEL_UNAVAILABLE, TOO_SLOW
        except MODEL_FAILURES as exc:
            failure = describe_failure(exc)
            if not failure.answered:
                log.warning("model unreachable for run %s: %s", self.run.id, failure.detail)
                return TurnOutcome.MODEL_UNAVAILABLE, failure.reply
            log.warning("model answered run %s with an error: %s", self.run.id, failure.detail)
            return TurnOutcome.MODEL_ERROR, failure.reply
        except Exception:
            log.exception("run %s failed", self.run.id)
            return TurnOutcome.FAILED, NOTES[TurnOutcome.FAILED]

    async def _converse(self, agent: TurnAgent, history: list[ModelMessage]) -> str:
        reply = await agent.run(history, self.deps, self._on_event)
        self.model_metadata = reply.metadata
        if reply.messages is not None:
            self.model_messages = json.loads(reply.messages)
        return reply.text.strip()

    async def finish(self, outcome: TurnOutcome, text: str) -> TurnResult:
        """Store the reply or note, publish the closing events; survives a second cancel."""
        self.finishing = True
        closing = asyncio.ensure_future(self._finish(outcome, text))
        try:
            return await asyncio.shield(closing)
        except asyncio.CancelledError:
            return await closing

    async def _finish(self, outcome: TurnOutcome, text: str) -> TurnResult:
        run, translator = self.run, self.translator
        reply = self._reply_text(outcome, text)
        error = None if outcome in (TurnOutcome.OK, TurnOutcome.CANCELLED) else reply
        closing: list[dict[str, Any]] = []
        if not translator.started:
            closing.append(translator.thinking())
        closing += translator.flush()
        reason = "cancelled" if outcome is TurnOutcome.CANCELLED else STOPPED
        closing += translator.close_open_calls(reason)
        unannounced = self.deps.changes[translator.announced :]
        closing += task_change_events(
            unannounced, run_id=run.id, conversation_id=run.conversation_id
        )
        await self._publish(closing)
        reply_id = new_id()
        body = {
            "response": reply,
            "conversation_id": run.conversation_id,
            "message_id": reply_id,
            "user_message_id": run.message_id,
            "run_id": run.id,
            "tasks": changed_tasks(self.deps.changes),
            "tool_calls": translator.tool_calls,
            "cancelled": outcome is TurnOutcome.CANCELLED,
        }
        details = {
            "result": body,
            "outcome": outcome.value,
            "cancelled": outcome is TurnOutcome.CANCELLED,
            "error": error,
            "model_metadata": self.model_metadata if outcome is TurnOutcome.OK else None,
            # A remote model sees its own tool calls and their results again in later turns.
            "model_messages": self.model_messages if outcome is TurnOutcome.OK else None,
        }
        stored = await self._store(outcome, reply, details, reply_id)
        if not stored:
            # Someone else finished this run (its lease ran out), or the database is gone and
            # the run will be finished as interrupted once it is back.
            return TurnResult(
                TurnOutcome.INTERRUPTED, {**body, "response": NOTES[TurnOutcome.INTERRUPTED]}
            )
        kind = ERRORS.get(outcome)
        done = translator.done(
            reply,
            error=error,
            cancelled=outcome is TurnOutcome.CANCELLED,
            code=kind.code if kind is not None and error else None,
        )
        await self._publish([done])
        return TurnResult(outcome, body)

    def _reply_text(self, outcome: TurnOutcome, text: str) -> str:
        if outcome is TurnOutcome.OK:
            return text
        if outcome is TurnOutcome.CANCELLED:
            partial = self.translator.text.strip()
            note = NOTES[TurnOutcome.CANCELLED]
            return f"{partial} {note}" if partial else note
        return text or NOTES[outcome]

    async def _store(
        self, outcome: TurnOutcome, reply: str, details: dict[str, Any], reply_id: str
    ) -> bool:
        for attempt in range(STORE_ATTEMPTS):
            try:
                async with self.env.sessionmaker() as session:
                    return await runs.finish(
                        session, self.run, outcome, reply, details, reply_id, owner=self.env.owner
                    )
            except Exception:
                log.warning("could not store the reply of run %s", self.run.id, exc_info=True)
                await asyncio.sleep(0.2 * 2**attempt)
        return False

    async def _history(self) -> list[ModelMessage]:
        start = self.start or await self._read_start()
        if start is None:
            return [prompt_request(self.prompt, None)]
        self.deps.now = start.sent_at  # relative dates resolve against the message
        start.choices.apply(self.deps)
        return [*to_model_messages(start.history), prompt_request(self.prompt, start.sent_at)]

    async def _read_start(self) -> TurnStart | None:
        async with self.env.sessionmaker() as session:
            current = await session.get(Message, self.run.message_id)
            if current is None:
                return None
            start = await read_start(
                session, self.run.user_id, current, self.env.settings.history_window
            )
            await session.commit()
        return start

    async def _ask_approval(self, tool: str, args: dict[str, Any], tool_call_id: str) -> str | None:
        """Wait for the user's answer; the turn's deadline does not run meanwhile."""
        assert self.approvals is not None
        await self._publish(self.translator.flush())
        loop = asyncio.get_running_loop()
        deadline, remaining = self._deadline, None
        if deadline is not None and (when := deadline.when()) is not None:
            remaining = max(0.0, when - loop.time())
            deadline.reschedule(None)
        try:
            async with self.step_aside():
                return await self.approvals.ask(
                    self.translator,
                    self.run.user_id,
                    tool,
                    args,
                    tool_call_id,
                    on_asked=self.on_waiting,
                )
        finally:
            if self.on_waiting is not None:
                self.on_waiting(None)
            if deadline is not None and remaining is not None:
                deadline.reschedule(loop.time() + remaining)

    async def _on_event(self, event: Any) -> None:
        await self._publish(self.translator.translate(event))

    async def _report_progress(self, text: str) -> None:
        await self._publish(self.translator.progress(text))

    async def _publish(self, events: list[dict[str, Any]]) -> None:
        await publish_all(self.env.publisher, self.run.user_id, events)
