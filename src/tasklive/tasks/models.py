"""Tasks and the audit record of every tool call made on them."""

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from tasklive.db import Base, UTCDateTime, new_id, utcnow


class Task(Base):
    """One to-do item; `number` is the owner's own sequential number, never reused."""

    __tablename__ = "tasks"
    __table_args__ = (
        UniqueConstraint("user_id", "number"),
        Index("ix_tasks_user_completed", "user_id", "completed"),
        Index("ix_tasks_reminders_due", "reminder_sent", "remind_at"),
        Index("ix_tasks_user_uid", "user_id", "uid", unique=True),
        Index("ix_tasks_user_href", "user_id", "href"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # A due day (all day) or a due instant, shown at the UTC offset it was set in.
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    due_offset: Mapped[int | None] = mapped_column(Integer, nullable=True)
    due_sort: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    priority: Mapped[int | None] = mapped_column(Integer, nullable=True)
    labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    list_name: Mapped[str | None] = mapped_column("list", String(100), nullable=True)
    recurrence: Mapped[str | None] = mapped_column(String(500), nullable=True)
    remind_time: Mapped[datetime | None] = mapped_column("remind_at", UTCDateTime, nullable=True)
    remind_offset: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reminder_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    # The lease of the instance sending the reminder: its claim token, and until when it holds.
    reminder_claim: Mapped[str | None] = mapped_column(String(32), nullable=True)
    reminder_claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # iCalendar identity: our UID (or the one of the client that created it), the VTODO text a
    # client last sent (what we do not model is kept there) and the resource name it chose.
    uid: Mapped[str | None] = mapped_column(String(255), nullable=True)
    ical: Mapped[str | None] = mapped_column(Text, nullable=True)
    href: Mapped[str | None] = mapped_column(String(255), nullable=True)

    @property
    def due(self) -> date | datetime | None:
        """The due day, or the due date-time at the offset it is shown in."""
        if self.due_at is not None:
            return shown_at(self.due_at, self.due_offset)
        return self.due_date

    @property
    def remind_at(self) -> datetime | None:
        """When to remind, at the offset it is shown in."""
        return shown_at(self.remind_time, self.remind_offset) if self.remind_time else None


def shown_at(instant: datetime, offset_minutes: int | None) -> datetime:
    """An instant at a fixed UTC offset (minutes east)."""
    if not offset_minutes:
        return instant.astimezone(UTC)
    return instant.astimezone(timezone(timedelta(minutes=offset_minutes)))


class ToolCallRecord(Base):
    """Audit trail: who called which task tool, with what, from where, and how it ended."""

    __tablename__ = "tool_calls"
    __table_args__ = (Index("ix_tool_calls_user_created", "user_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(16))
    tool: Mapped[str] = mapped_column(String(64))
    args: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ok: Mapped[bool] = mapped_column(Boolean)
    outcome: Mapped[str] = mapped_column(Text, default="")
    run_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # Each task row before and after the call, so the change can be undone.
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def our_uid(task_id: str) -> str:
    """The iCalendar UID of a task that no client named."""
    return f"{task_id}@tasklive"


class TaskList(Base):
    """A list as a calendar collection: its path segment and color (`name` "" is "no list")."""

    __tablename__ = "task_lists"
    __table_args__ = (
        UniqueConstraint("user_id", "name"),
        UniqueConstraint("user_id", "href"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    href: Mapped[str] = mapped_column(String(255))
    color: Mapped[str | None] = mapped_column(String(16), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TaskChangeEntry(Base):
    """The change log: which resource of which list changed in the user's change number `seq`.

    CalDAV's sync tokens and ctags are these numbers; `list` is "" for tasks without a list.
    """

    __tablename__ = "task_changes"
    __table_args__ = (Index("ix_task_changes_user_list_seq", "user_id", "list", "seq"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    list_name: Mapped[str] = mapped_column("list", String(100))
    name: Mapped[str] = mapped_column(String(255))
    task_id: Mapped[str] = mapped_column(String(32))
    deleted: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
