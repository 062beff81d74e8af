"""What one agent run carries: its dependencies, and the custom events its tools emit."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic_ai import CustomEvent
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.tasks.service import TaskChange


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
