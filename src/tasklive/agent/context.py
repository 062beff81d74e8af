"""What one agent run carries: its dependencies, and the custom events its tools emit."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic_ai import CustomEvent
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.auth.models import User
from tasklive.auth.zones import zone_named
from tasklive.tasks.events import TaskChange


@dataclass
class AgentDeps:
    """The run's user and services; the model never sees or chooses the user id."""

    user_id: str
    sessionmaker: async_sessionmaker[AsyncSession]
    run_id: str
    conversation_id: str
    changes: list[TaskChange] = field(default_factory=list)
    report_progress: Callable[[str], Awaitable[None]] | None = None
    approver: "Approver | None" = None
    approval_tools: frozenset[str] = frozenset()
    now: datetime | None = None  # when the user sent the message this run answers
    timezone: str | None = None  # the user's IANA zone; looked up once when not given
    writes: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    """A remote model's changes in this run by (tool, arguments): asked again, not done again."""

    async def time_zone(self) -> str:
        """The user's IANA time zone name (UTC when unknown)."""
        if self.timezone is None:
            async with self.sessionmaker() as session:
                name = await session.scalar(select(User.timezone).where(User.id == self.user_id))
            self.timezone = zone_named(name).key
        return self.timezone


Approver = Callable[[str, dict[str, Any], str], Awaitable[str | None]]
"""Asks the user to approve (tool, args, tool_call_id); None when approved, else why not."""


@dataclass(kw_only=True)
class ToolProgressEvent(CustomEvent):
    """A tool saying what it is doing right now."""

    text: str = ""


@dataclass(kw_only=True)
class TasksChangedEvent(CustomEvent):
    """Task changes a tool committed, to announce as `task_*` events."""

    changes: list[Any] = field(default_factory=list)
