"""Approvals: a tool call waits for the user's yes or no, from any tab or HTTP, or expires."""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from tasklive.agent.translate import RunTranslator
from tasklive.chat.control import ApprovalDecided, ControlChannel
from tasklive.chat.environment import TurnEnvironment, publish_all
from tasklive.chat.models import Approval
from tasklive.db import new_id, rows_matched, utcnow
from tasklive.errors import ConflictError, NotFoundError
from tasklive.tasks.toolkit import TOOLS

log = logging.getLogger(__name__)

PENDING, APPROVED, DENIED, EXPIRED, CANCELLED, SUPERSEDED = (
    "pending",
    "approved",
    "denied",
    "expired",
    "cancelled",
    "superseded",
)
POLL_SECONDS = 1.0
REFUSALS = {
    DENIED: "Not approved (the answer was no), so nothing was changed.",
    EXPIRED: "No answer came within the time allowed, so nothing was changed.",
    CANCELLED: "The request was cancelled, so nothing was changed.",
    SUPERSEDED: "A new message came instead of an answer, so nothing was changed.",
}


class ApprovalNotFoundError(NotFoundError):
    """No such approval for this user (another user's looks exactly the same)."""


class ApprovalSettledError(ConflictError):
    """The approval was already answered or has expired."""


def question(tool: str, args: dict[str, Any]) -> str:
    """The sentence an approval card shows."""
    declared = TOOLS.get(tool)
    return declared.ask(args) if declared is not None else f"Run {tool}?"


class ApprovalDesk:
    """Asks for approvals on behalf of running turns and settles answers from anywhere."""

    def __init__(self, env: TurnEnvironment, control: ControlChannel | None) -> None:
        self.env = env
        self.control = control
        self._waiting: dict[str, asyncio.Future[str]] = {}

    async def ask(
        self,
        translator: RunTranslator,
        user_id: str,
        tool: str,
        args: dict[str, Any],
        tool_call_id: str,
        on_asked: Callable[[str | None], None] | None = None,
    ) -> str | None:
        """Publish `approval_required` and wait; None when approved, else the refusal.

        A call the turn already asked for and was refused is refused again without a card: a
        model that asks again after a no does not get to ask the person twice.
        """
        refused = await self._refused_before(translator.run_id, tool, args)
        if refused is not None:
            return REFUSALS[refused]
        approval = Approval(
            id=new_id(),
            user_id=user_id,
            run_id=translator.run_id,
            conversation_id=translator.conversation_id,
            tool=tool,
            tool_call_id=tool_call_id,
            args=args,
            status=PENDING,
            expires_at=utcnow() + timedelta(seconds=self.env.settings.approval_seconds),
            created_at=utcnow(),
        )
        async with self.env.sessionmaker() as session:
            session.add(approval)
            await session.commit()
        decided: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._waiting[approval.id] = decided
        required = translator.approval_required(
            approval.id, tool, args, tool_call_id, question(tool, args)
        )
        await publish_all(self.env.publisher, user_id, [required])
        if on_asked is not None:
            on_asked(approval.id)
        status = CANCELLED
        try:
            status = await self._wait(approval, decided)
        finally:
            self._waiting.pop(approval.id, None)
            if status == CANCELLED:
                await asyncio.shield(self._settle(user_id, approval.id, CANCELLED))
        return None if status == APPROVED else REFUSALS[status]

    async def _refused_before(self, run_id: str, tool: str, args: dict[str, Any]) -> str | None:
        """How an earlier card of this run for the same call was refused, if it was."""
        async with self.env.sessionmaker() as session:
            earlier = await session.execute(
                select(Approval.status, Approval.args).where(
                    Approval.run_id == run_id,
                    Approval.tool == tool,
                    Approval.status.in_((DENIED, EXPIRED, SUPERSEDED)),
                )
            )
            found = [status for status, asked in earlier if asked == args]
        return found[0] if found else None

    async def resolve(self, user_id: str, approval_id: str, approved: bool) -> str:
        """Answer a pending approval; returns its new status."""
        status = APPROVED if approved else DENIED
        if await self._settle(user_id, approval_id, status):
            return status
        async with self.env.sessionmaker() as session:
            found = await session.scalar(
                select(Approval.status).where(
                    Approval.id == approval_id, Approval.user_id == user_id
                )
            )
        if found is None:
            raise ApprovalNotFoundError("Approval not found.")
        raise ApprovalSettledError(f"This request was already {found}.", status=found)

    async def supersede(self, user_id: str, approval_id: str) -> bool:
        """Deny a card because its user wrote something else; False if it was settled already."""
        return await self._settle(user_id, approval_id, SUPERSEDED)

    async def on_decided(self, message: ApprovalDecided) -> None:
        """An answer settled on another instance."""
        self._wake(message.approval_id, message.status)

    async def _wait(self, approval: Approval, decided: asyncio.Future[str]) -> str:
        while True:
            remaining = (approval.expires_at - utcnow()).total_seconds()
            if remaining <= 0 and await self._settle(approval.user_id, approval.id, EXPIRED):
                return EXPIRED
            with contextlib.suppress(TimeoutError):
                return await asyncio.wait_for(
                    asyncio.shield(decided), max(0.0, min(POLL_SECONDS, remaining))
                )
            # The answer may have been given where no control message reached us.
            async with self.env.sessionmaker() as session:
                status = await session.scalar(
                    select(Approval.status).where(Approval.id == approval.id)
                )
            if status is not None and status != PENDING:
                return status

    async def _settle(self, user_id: str, approval_id: str, status: str) -> bool:
        """Move a pending approval to `status`, tell every tab; False if it was not pending."""
        async with self.env.sessionmaker() as session:
            result = await session.execute(
                update(Approval)
                .where(
                    Approval.id == approval_id,
                    Approval.user_id == user_id,
                    Approval.status == PENDING,
                )
                .values(status=status, resolved_at=utcnow())
                .execution_options(synchronize_session=False)
            )
            row = await session.scalar(select(Approval).where(Approval.id == approval_id))
            await session.commit()
        if rows_matched(result) != 1 or row is None:
            return False
        translator = RunTranslator(row.run_id, row.conversation_id)
        resolved = translator.approval_resolved(approval_id, row.tool, row.tool_call_id, status)
        await publish_all(self.env.publisher, user_id, [resolved])
        self._wake(approval_id, status)
        if self.control is not None and approval_id not in self._waiting:
            try:
                await self.control.send(ApprovalDecided(approval_id=approval_id, status=status))
            except Exception:
                log.warning("could not forward approval %s", approval_id, exc_info=True)
        return True

    def _wake(self, approval_id: str, status: str) -> None:
        waiting = self._waiting.get(approval_id)
        if waiting is not None and not waiting.done():
            waiting.set_result(status)
