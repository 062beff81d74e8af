"""Conversations and messages: storing turns, the history window, daily limits, retention."""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any, Protocol

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from tasklive.chat import statements
from tasklive.chat.approvals import question
from tasklive.chat.double_texting import LateAnswer, read_answer
from tasklive.chat.models import Approval, Conversation, Message, Run, usage_table
from tasklive.chat.outcomes import RunStatus, TurnOutcome
from tasklive.db import insert_row, new_id, rows_matched, utcnow
from tasklive.errors import InvalidInputError, NotFoundError, RateLimitedError

TITLE_CHARS = 80


class RunIds(Protocol):
    """What a reply needs of its run: a Run row, or chat.runs.RunRef once detached."""

    @property
    def id(self) -> str: ...
    @property
    def conversation_id(self) -> str: ...
    @property
    def message_id(self) -> str: ...


class ConversationNotFoundError(NotFoundError):
    """No such conversation for this user (another user's looks exactly the same)."""


def clean_message(message: str, max_chars: int) -> str:
    """The message trimmed of surrounding space; 422 when empty or too long."""
    text = (message or "").strip()
    if not text:
        raise InvalidInputError("A message can't be empty.")
    if len(text) > max_chars:
        raise InvalidInputError(
            f"A message can be at most {max_chars:,} characters (this one has {len(text):,})."
        )
    return text


def title_from(message: str) -> str:
    """A conversation title from its first message: the first line, shortened."""
    line = " ".join(message.split())
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1].rstrip() + "…"


def next_reset(now: datetime) -> datetime:
    """When the daily message count starts again: the next midnight UTC."""
    return datetime.combine(now.date() + timedelta(days=1), time(0), tzinfo=UTC)


@dataclass(frozen=True)
class Added:
    """A stored user message and what it started.

    `card` is the approval the conversation's run waited on when the message came (double
    texting): when `answer` is True or False the message answered it and belongs to that run
    (`run` is None); otherwise the card is to be superseded and the message's own run queues.
    `late` is a yes or no typed after the card it answers expired.
    """

    message: Message
    run: Run | None
    card: Approval | None = None
    answer: bool | None = None
    late: LateAnswer | None = None


class ConversationStore:
    """Conversation operations scoped to one user."""

    def __init__(self, session: AsyncSession, user_id: str) -> None:
        self.session = session
        self.user_id = user_id

    async def get(self, conversation_id: str, *, lock: bool = False) -> Conversation:
        """One of the user's conversations; `lock` holds its row until the transaction ends."""
        query = select(Conversation).where(
            Conversation.id == conversation_id, Conversation.user_id == self.user_id
        )
        conversation = await self.session.scalar(query.with_for_update() if lock else query)
        if conversation is None:
            raise ConversationNotFoundError("Conversation not found.")
        return conversation

    async def recent(self, limit: int) -> list[Conversation]:
        """The user's conversations, most recently active first."""
        rows = await self.session.scalars(
            select(Conversation)
            .where(Conversation.user_id == self.user_id)
            .order_by(Conversation.updated_at.desc(), Conversation.id)
            .limit(limit)
        )
        return list(rows)

    async def messages(
        self, conversation_id: str, limit: int, before: str | None = None
    ) -> list[Message]:
        """The latest `limit` messages (older than `before`, when given), in chronological order."""
        await self.get(conversation_id)
        query = select(Message).where(Message.conversation_id == conversation_id)
        if before:
            anchor = await self.session.scalar(
                select(Message.created_at).where(
                    Message.id == before, Message.conversation_id == conversation_id
                )
            )
            if anchor is None:
                raise NotFoundError("Message not found in this conversation.")
            query = query.where(Message.created_at < anchor)
        rows = await self.session.scalars(
            query.order_by(Message.created_at.desc(), Message.id.desc()).limit(limit)
        )
        return list(reversed(list(rows)))

    async def delete(self, conversation_id: str) -> None:
        """Remove a conversation and all its messages."""
        conversation = await self.get(conversation_id)
        # Messages go with it (ON DELETE CASCADE).
        await self.session.execute(delete(Conversation).where(Conversation.id == conversation.id))
        await self.session.commit()

    async def by_client_id(self, client_message_id: str) -> Message | None:
        """The user message sent earlier with this client_message_id, if any."""
        return await self.session.scalar(
            select(Message).where(
                Message.user_id == self.user_id, Message.client_message_id == client_message_id
            )
        )

    async def owns_run(self, run_id: str) -> bool:
        """Whether a turn with this run id belongs to the user."""
        found = await self.session.scalar(
            select(Run.id).where(Run.user_id == self.user_id, Run.id == run_id)
        )
        return found is not None

    async def _count_message(self, daily_limit: int) -> None:
        now = utcnow()
        statement = statements.COUNT_MESSAGE[self.session.get_bind().dialect.name]
        count = await self.session.scalar(statement, {"p_user": self.user_id, "p_day": now.date()})
        if count is not None and count > daily_limit:
            await self.session.rollback()
            raise RateLimitedError(
                f"You've reached today's limit of {daily_limit} messages. "
                "It resets at midnight UTC.",
                limit=daily_limit,
                reset_at=next_reset(now).isoformat().replace("+00:00", "Z"),
                retry_after=max(1, int((next_reset(now) - now).total_seconds())),
            )

    async def add_user_message(
        self,
        text: str,
        *,
        conversation_id: str | None,
        client_message_id: str | None,
        run_id: str,
        daily_limit: int,
        owner: str,
        lease_expires_at: datetime,
    ) -> Added:
        """Count the message against today's limit; stage it and its run (the caller commits).

        The run starts out running when nothing else in the conversation is unfinished (the
        conversation's row lock, taken by touching it, makes that check safe across instances),
        else queued. A message typed while the conversation's run waits on an approval card
        answers the card when it reads as a yes or no, and then starts no run of its own.
        """
        started = conversation_id is None
        if conversation_id is not None:
            await self._touch(conversation_id)
        await self._count_message(daily_limit)
        now = utcnow()
        if conversation_id is None:
            conversation_id = new_id()
            conversation = Conversation(
                id=conversation_id,
                user_id=self.user_id,
                title=title_from(text),
                created_at=now,
                updated_at=now,
            )
            await insert_row(self.session, conversation)
        busy = not started and await self._busy(conversation_id)
        card = await self._waiting_card(conversation_id) if busy else None
        answer = read_answer(text, card.tool) if card is not None else None
        late = None
        if not started and not busy and (late_answer := read_answer(text)) is not None:
            late = await self._expired_card(conversation_id, late_answer)
        message = Message(
            id=new_id(),
            conversation_id=conversation_id,
            user_id=self.user_id,
            role="user",
            content=text,
            run_id=card.run_id if card is not None and answer is not None else run_id,
            client_message_id=client_message_id,
            created_at=now,
        )
        await insert_row(self.session, message)
        if card is not None and answer is not None:
            return Added(message, None, card, answer)
        run = queued_run(message, owner, lease_expires_at, now)
        if not busy:
            run.status, run.started_at = RunStatus.RUNNING, now
        await insert_row(self.session, run)
        return Added(message, run, card, None, late)

    async def _waiting_card(self, conversation_id: str) -> Approval | None:
        """The approval card a run of the conversation waits on, if any."""
        return await self.session.scalar(
            select(Approval)
            .where(
                Approval.user_id == self.user_id,
                Approval.status == "pending",
                Approval.conversation_id == conversation_id,
            )
            .order_by(Approval.created_at.desc())
            .limit(1)
        )

    async def _expired_card(self, conversation_id: str, approved: bool) -> LateAnswer | None:
        """The card of the conversation's latest run, when it expired unanswered."""
        latest = (
            select(Run.id)
            .where(Run.conversation_id == conversation_id)
            .order_by(Run.created_at.desc())
            .limit(1)
            .scalar_subquery()
        )
        card = await self.session.scalar(
            select(Approval)
            .where(
                Approval.user_id == self.user_id,
                Approval.conversation_id == conversation_id,
                Approval.status == "expired",
                Approval.run_id == latest,
            )
            .order_by(Approval.created_at.desc())
            .limit(1)
        )
        return None if card is None else LateAnswer(question(card.tool, card.args), approved)

    async def _touch(self, conversation_id: str) -> None:
        """Mark one of the user's conversations active, holding its row lock until commit."""
        touched = await self.session.scalar(
            statements.TOUCH,
            {"p_conversation": conversation_id, "p_user": self.user_id, "p_now": utcnow()},
        )
        if touched is None:
            raise ConversationNotFoundError("Conversation not found.")

    async def _busy(self, conversation_id: str) -> bool:
        found = await self.session.scalar(statements.BUSY, {"p_conversation": conversation_id})
        return found is not None

    async def add_reply(
        self, run: RunIds, content: str, details: dict[str, Any], reply_id: str
    ) -> Message:
        """Stage the assistant's reply (or a cancellation or error note) for a run; no commit."""
        now = utcnow()
        reply = Message(
            id=reply_id,
            conversation_id=run.conversation_id,
            user_id=self.user_id,
            role="assistant",
            content=content,
            run_id=run.id,
            details={"reply_to": run.message_id, **details},
            created_at=now,
        )
        await insert_row(self.session, reply)
        return reply

    async def reply_for_run(self, run_id: str) -> Message | None:
        """The stored reply of a finished turn."""
        return await self.session.scalar(
            select(Message).where(
                Message.user_id == self.user_id,
                Message.run_id == run_id,
                Message.role == "assistant",
            )
        )

    async def history(self, current: Message, window: int) -> list[Message]:
        """The latest `window` messages before `current`, each reply right after its question.

        Turns that failed or were interrupted are left out, question and note: the model sees
        the question again when it is retried, not an apology.
        """
        rows = await self.session.scalars(
            statements.HISTORY,
            {
                "p_conversation": current.conversation_id,
                "p_current": current.id,
                "p_sent_at": current.created_at,
                "p_window": window,
            },
        )
        messages = [m for m in reversed(list(rows)) if not failed_note(m)]
        answered = {(m.details or {}).get("reply_to") for m in messages if m.role == "assistant"}
        messages = [m for m in messages if m.role == "assistant" or m.id in answered]
        position = {message.id: index for index, message in enumerate(messages)}

        def order(index_and_message: tuple[int, Message]) -> tuple[int, int]:
            index, message = index_and_message
            reply_to = (message.details or {}).get("reply_to")
            if message.role == "assistant" and reply_to in position:
                return position[reply_to], 1
            return index, 0

        return [message for _, message in sorted(enumerate(messages), key=order)]


def failed_note(message: Message) -> bool:
    """Whether a stored message is the note of a turn that failed or was interrupted."""
    details = message.details or {}
    if details.get("unavailable"):
        return True
    return details.get("outcome") in (
        TurnOutcome.MODEL_UNAVAILABLE,
        TurnOutcome.MODEL_ERROR,
        TurnOutcome.FAILED,
        TurnOutcome.INTERRUPTED,
    )


def queued_run(message: Message, owner: str, lease_expires_at: datetime, now: datetime) -> Run:
    """A new run for a stored user message, queued behind the conversation's earlier runs."""
    return Run(
        id=message.run_id,
        user_id=message.user_id,
        conversation_id=message.conversation_id,
        message_id=message.id,
        status=RunStatus.QUEUED,
        owner=owner,
        lease_expires_at=lease_expires_at,
        cancel_requested=False,
        created_at=now,
    )


async def purge_expired(session: AsyncSession, retention_days: int) -> int:
    """Delete conversations idle for longer than the retention period; returns how many."""
    cutoff = utcnow() - timedelta(days=retention_days)
    # Messages go with their conversation (ON DELETE CASCADE).
    result = await session.execute(delete(Conversation).where(Conversation.updated_at < cutoff))
    stale_usage = (utcnow() - timedelta(days=2)).date()
    await session.execute(delete(usage_table).where(usage_table.c.day < stale_usage))
    await session.commit()
    return rows_matched(result)
