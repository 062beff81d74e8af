"""The live event vocabulary: event types, the envelope, and publishers that accept events."""

import asyncio
from collections.abc import Callable
from typing import Any, Protocol

AGENT_THINKING = "agent_thinking"
TOOL_STARTING = "tool_starting"
TOOL_PROGRESS = "tool_progress"
TOOL_COMPLETE = "tool_complete"
TOOL_ERROR = "tool_error"
APPROVAL_REQUIRED = "approval_required"
APPROVAL_RESOLVED = "approval_resolved"
AGENT_MESSAGE_DELTA = "agent_message_delta"
AGENT_DONE = "agent_done"
TASK_CREATED = "task_created"
TASK_UPDATED = "task_updated"
TASK_DELETED = "task_deleted"
REMINDER = "reminder"
ERROR = "error"
PONG = "pong"
RESUMED = "resumed"
CONNECTION_ESTABLISHED = "connection_established"

EVENT_TYPES = frozenset(
    {
        AGENT_THINKING,
        TOOL_STARTING,
        TOOL_PROGRESS,
        TOOL_COMPLETE,
        TOOL_ERROR,
        APPROVAL_REQUIRED,
        APPROVAL_RESOLVED,
        AGENT_MESSAGE_DELTA,
        AGENT_DONE,
        TASK_CREATED,
        TASK_UPDATED,
        TASK_DELETED,
        REMINDER,
        ERROR,
        PONG,
        RESUMED,
    }
)


def make_event(
    event_type: str,
    message: str,
    *,
    run_id: str | None = None,
    conversation_id: str | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """An event body; the hub adds `seq`, `epoch` and `ts` when it publishes it."""
    return {
        "event_type": event_type,
        "message": message,
        "run_id": run_id,
        "conversation_id": conversation_id,
        **{key: value for key, value in fields.items() if value is not None},
    }


class EventPublisher(Protocol):
    """Anything that takes a user's events: the hub, or a recorder in tests."""

    async def publish(self, user_id: str, event: dict[str, Any]) -> Any: ...

    async def recent_events(self, user_id: str, limit: int) -> list[dict[str, Any]]:
        """The user's latest events still held, oldest first."""
        ...


class RecordingPublisher:
    """Keeps every published event in memory, numbered per user like the hub would."""

    def __init__(self) -> None:
        self.events: dict[str, list[dict[str, Any]]] = {}
        self._published = asyncio.Condition()

    async def publish(self, user_id: str, event: dict[str, Any]) -> dict[str, Any]:
        stored = self.events.setdefault(user_id, [])
        envelope = {**event, "seq": len(stored) + 1, "epoch": "recorder"}
        stored.append(envelope)
        async with self._published:
            self._published.notify_all()
        return envelope

    async def first(
        self, user_id: str, matches: Callable[[dict[str, Any]], bool]
    ) -> dict[str, Any]:
        """The user's first event that `matches`, waiting for it to be published."""
        async with self._published:
            while True:
                for event in self.events.get(user_id, []):
                    if matches(event):
                        return event
                await self._published.wait()

    def of(self, user_id: str) -> list[dict[str, Any]]:
        """The events a user has received so far."""
        return list(self.events.get(user_id, []))

    async def recent_events(self, user_id: str, limit: int) -> list[dict[str, Any]]:
        return self.of(user_id)[-limit:]
