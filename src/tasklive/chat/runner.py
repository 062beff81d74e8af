"""Chat turns: start, order, cancel and finish them, and finish the ones a dead process left."""

import asyncio
import contextlib
import logging
import socket
import uuid
from datetime import timedelta
from functools import cached_property

from pydantic_ai.models import Model
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.agent.approvals import UserChoices
from tasklive.agent.factory import TurnAgent, build_turn_agent
from tasklive.agent.models import ModelChoice
from tasklive.chat import runs
from tasklive.chat.admission import Admission, AsideWhileAnswering, Slot, current_slot
from tasklive.chat.approvals import ApprovalDesk, ApprovalSettledError
from tasklive.chat.control import ApprovalDecided, CancelRun, ControlChannel, ControlMessage
from tasklive.chat.environment import TurnEnvironment
from tasklive.chat.execution import TurnExecution, TurnStart, read_start
from tasklive.chat.local_run import LocalRun
from tasklive.chat.models import Approval, Message
from tasklive.chat.outcomes import UNFINISHED, RunStatus, TurnOutcome, replayable
from tasklive.chat.recovery import RunKeeper
from tasklive.chat.replay import Replays
from tasklive.chat.runs import Claim, RunRef
from tasklive.chat.store import ConversationStore, clean_message, queued_run
from tasklive.chat.turn import Turn, stored_result
from tasklive.config import Settings
from tasklive.db import new_id, utcnow
from tasklive.errors import UnavailableError
from tasklive.logs import bind_run_id
from tasklive.metrics import Metrics
from tasklive.realtime.events import EventPublisher

log = logging.getLogger(__name__)

__all__ = ["Turn", "TurnRunner"]

SHUTDOWN_GRACE_SECONDS = 5.0


class TurnRunner:
    """Starts, orders, cancels and finishes chat turns; owns their asyncio tasks."""

    def __init__(
        self,
        settings: Settings,
        sessionmaker: async_sessionmaker[AsyncSession],
        publisher: EventPublisher,
        model: ModelChoice | Model | None = None,
        control: ControlChannel | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.settings = settings
        self.metrics = metrics
        self.sessionmaker = sessionmaker
        self.publisher = publisher
        self.control = control
        self._model = model
        self.instance_id = settings.instance_id or f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}"
        self.owner = f"{self.instance_id}/{uuid.uuid4().hex[:12]}"
        self.lease = timedelta(seconds=settings.run_lease_seconds)
        self.env = TurnEnvironment(settings, sessionmaker, publisher, self.owner)
        self.keeper = RunKeeper(
            self.env, self.instance_id, self.lease, self._cancel_local, lambda: list(self._local)
        )
        self.approvals = ApprovalDesk(self.env, control)
        self._local: dict[str, LocalRun] = {}
        # Turns past this many wait in memory (their leases kept), so a burst queues in order
        # instead of every turn contending for the event loop and the connection pool at once.
        self._admission = Admission(settings.max_active_turns)
        self.replays = Replays(sessionmaker)
        self._closing = False
        if control is not None:
            control.on_control(self._on_control)

    @cached_property
    def agent(self) -> TurnAgent:
        """The agent, built at the first turn: a model that cannot load fails turns, not startup."""
        return build_turn_agent(self.settings, self._model, self.metrics, AsideWhileAnswering)

    async def open(self) -> None:
        """Finish what an earlier process of this instance left, then keep leases and sweep."""
        await self._warm_up()
        await self.keeper.recover()
        self.keeper.start()

    async def _warm_up(self) -> None:
        """Build and warm the agent before the first turn; one that cannot be built fails its
        turns instead."""
        try:
            agent = self.agent
        except Exception:
            log.warning("the model could not be built yet", exc_info=True)
            return
        await agent.warm_up()

    async def start(
        self,
        user_id: str,
        message: str,
        conversation_id: str | None = None,
        client_message_id: str | None = None,
        choices: UserChoices | None = None,
        queue_first: bool = False,
    ) -> Turn:
        """Validate, check limits, store the user message and its run; returns at once.

        A run that can start at once reads its history in the same transaction; `choices`
        spares it reading the user's settings when the caller has them. `queue_first` waits
        for a turn slot before storing anything, for a caller that waits for the reply anyway:
        a burst is then served in the order it came, not all of it at once.
        """
        text = clean_message(message, self.settings.max_message_chars)
        if self._closing:
            raise UnavailableError("The server is restarting. Please try again in a moment.")
        self.keeper.start()
        if client_message_id:
            earlier = await self._earlier_turn(user_id, client_message_id)
            if earlier is not None:
                return earlier
        start: TurnStart | None = None
        slot = await self._admission.take() if queue_first else None
        try:
            async with self.sessionmaker() as session:
                added = await ConversationStore(session, user_id).add_user_message(
                    text,
                    conversation_id=conversation_id,
                    client_message_id=client_message_id,
                    run_id=new_id(),
                    daily_limit=self.settings.daily_message_limit,
                    owner=self.owner,
                    lease_expires_at=utcnow() + self.lease,
                )
                stored, run = added.message, added.run
                if run is not None and run.status == RunStatus.RUNNING:
                    start = await read_start(
                        session,
                        user_id,
                        stored,
                        self.settings.history_window,
                        new_conversation=conversation_id is None,
                        choices=choices,
                    )
                await session.commit()
        except IntegrityError:
            if slot is not None:
                slot.release()
            # The same client_message_id raced in from another request.
            earlier = (
                await self._earlier_turn(user_id, client_message_id) if client_message_id else None
            )
            if earlier is None:
                raise
            return earlier
        except BaseException:
            if slot is not None:
                slot.release()
            raise
        if slot is not None and start is None:
            slot.release()  # it waits for the conversation's turn before it, without a slot
            slot = None
        if added.card is not None:
            if run is None:
                return await self._answered(user_id, added.card, added.answer is True, stored)
            await self.approvals.supersede(user_id, added.card.id)
        assert run is not None
        late = added.late.reply() if added.late is not None else None
        return self._drive(
            RunRef.of(run), stored.content, client_message_id, start=start, slot=slot, reply=late
        )

    async def _answered(
        self, user_id: str, card: Approval, approved: bool, answer: Message
    ) -> Turn:
        """A typed yes or no settles the card as its buttons would; the turn is the card's run."""
        with contextlib.suppress(ApprovalSettledError):  # a tab answered first
            await self.approvals.resolve(user_id, card.id, approved)
        local = self._local.get(card.run_id)
        if local is not None:
            if local.turn.approval_id == card.id:
                local.turn.asking(None)
            return local.turn.alias(answer.id)
        turn = Turn(card.run_id, card.conversation_id, answer.id)
        self.replays.follow(turn, user_id)
        return turn

    async def cancel(self, user_id: str, run_id: str) -> bool:
        """Ask a run to stop, wherever it runs; False when it has already finished."""
        async with self.sessionmaker() as session:
            run = await runs.request_cancel(session, user_id, run_id)
        if run is None:
            return False
        if self._cancel_local(run_id):
            return True
        if self.control is not None:
            try:
                await self.control.send(CancelRun(user_id=user_id, run_id=run_id))
            except Exception:
                # The owner still sees the flag when it next renews its lease.
                log.warning("could not forward the cancel of run %s", run_id, exc_info=True)
        return True

    async def cancel_conversation(self, user_id: str, conversation_id: str) -> None:
        """Stop this process's runs in a conversation (before it is deleted)."""
        mine = [
            local
            for local in self._local.values()
            if local.execution.run.user_id == user_id
            and local.execution.run.conversation_id == conversation_id
        ]
        for local in mine:
            local.cancel()
        await asyncio.gather(*(lo.task for lo in mine if lo.task), return_exceptions=True)

    async def aclose(self, grace_seconds: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """Let running turns finish briefly, then end the rest as interrupted."""
        self._closing = True
        tasks = [local.task for local in self._local.values() if local.task is not None]
        if tasks:
            await asyncio.wait(tasks, timeout=grace_seconds)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, self.replays.aclose(), return_exceptions=True)
        await self.keeper.aclose()

    def running(self, run_id: str) -> Turn | None:
        """The handle of a turn this process is driving now."""
        local = self._local.get(run_id)
        return local.turn if local is not None else None

    def _cancel_local(self, run_id: str) -> bool:
        local = self._local.get(run_id)
        return local is not None and local.cancel()

    async def resolve_approval(self, user_id: str, approval_id: str, approved: bool) -> str:
        """Answer a pending approval from any tab or HTTP; returns its new status."""
        return await self.approvals.resolve(user_id, approval_id, approved)

    async def _on_control(self, message: ControlMessage) -> None:
        if isinstance(message, ApprovalDecided):
            await self.approvals.on_decided(message)
            return
        local = self._local.get(message.run_id)
        if local is not None and local.execution.run.user_id == message.user_id:
            local.cancel()

    def _drive(
        self,
        run: RunRef,
        prompt: str,
        client_message_id: str | None,
        *,
        start: TurnStart | None = None,
        slot: Slot | None = None,
        reply: str | None = None,
    ) -> Turn:
        """Run a stored turn; one with a `start` was claimed when it was stored.

        A `reply` is the turn's answer already (the agent is not asked).
        """
        turn = Turn(run.id, run.conversation_id, run.message_id)
        execution = TurnExecution(
            self.env,
            run,
            prompt,
            client_message_id,
            self.approvals,
            on_waiting=turn.asking,
            start=start,
            reply=reply,
        )
        local = LocalRun(execution, turn)
        local.claimed = start is not None
        local.slot = slot
        self._local[run.id] = local
        local.task = asyncio.create_task(self._run(local), name=f"turn-{run.id}")
        local.task.add_done_callback(lambda _: self._forget(local))
        return turn

    def _forget(self, local: LocalRun) -> None:
        run = local.execution.run
        self._local.pop(run.id, None)
        for other in self._local.values():
            if other.execution.run.conversation_id == run.conversation_id:
                other.wake.set()

    async def _run(self, local: LocalRun) -> None:
        with bind_run_id(local.execution.run.id):
            await self._run_turn(local)

    async def _run_turn(self, local: LocalRun) -> None:
        execution = local.execution
        outcome: TurnOutcome | None = TurnOutcome.INTERRUPTED
        text = ""
        try:
            outcome, text = await self._attempt(local)
        except asyncio.CancelledError:
            if execution.cancel_requested:
                outcome = TurnOutcome.CANCELLED
            task = asyncio.current_task()
            if task is not None:
                task.uncancel()
        except Exception:
            log.exception("run %s failed before it started", execution.run.id)
            outcome = TurnOutcome.FAILED
        finally:
            if local.slot is not None:
                local.slot.release()
            if outcome is None:
                local.turn.finish(await self.replays.finished_elsewhere(execution.run))
            else:
                local.turn.finish(await execution.finish(outcome, text))

    async def _attempt(self, local: LocalRun) -> tuple[TurnOutcome | None, str]:
        claim = Claim.CLAIMED
        if not local.claimed:
            claim = await runs.wait_for_claim(
                self.sessionmaker,
                local.execution.run,
                self.owner,
                self.lease,
                local.wake,
                lambda: local.execution.cancel_requested,
            )
        if claim is Claim.GONE:
            return None, ""
        if claim is Claim.CANCELLED or local.execution.cancel_requested:
            return TurnOutcome.CANCELLED, ""
        local.admitting = True
        local.slot = local.slot or await self._admission.take()
        local.admitting = False
        if local.execution.cancel_requested:
            return TurnOutcome.CANCELLED, ""
        local.started = True
        local.execution.step_aside = local.slot.aside
        current_slot.set(local.slot)  # this task's own context
        return await local.execution.execute(self.agent)

    async def _earlier_turn(self, user_id: str, client_message_id: str) -> Turn | None:
        """The turn a repeated client_message_id refers to: replayed, followed or run again."""
        async with self.sessionmaker() as session:
            store = ConversationStore(session, user_id)
            sent = await store.by_client_id(client_message_id)
            if sent is None or sent.run_id is None:
                return None
            if (local := self._local.get(sent.run_id)) is not None:
                return local.turn
            run = await runs.get(session, user_id, sent.run_id)
            reply = await store.reply_for_run(sent.run_id)
            await session.commit()
        turn = Turn(sent.run_id, sent.conversation_id, sent.id)
        if run is not None and run.status in UNFINISHED:
            self.replays.follow(turn, user_id)
            return turn
        if reply is not None and replayable(stored_result(reply).outcome):
            turn.finish(stored_result(reply))
            return turn
        return await self._rerun(user_id, sent)

    async def _rerun(self, user_id: str, sent: Message) -> Turn | None:
        """Queue the message again: its last run failed or was interrupted."""
        previous = sent.run_id or ""
        message = Message(
            id=sent.id,
            run_id=new_id(),
            user_id=user_id,
            conversation_id=sent.conversation_id,
        )
        run = queued_run(message, self.owner, utcnow() + self.lease, utcnow())
        async with self.sessionmaker() as session:
            if not await runs.rerun(session, sent, previous, run):
                return None
        return self._drive(RunRef.of(run), sent.content, sent.client_message_id)
