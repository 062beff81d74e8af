"""A committed task change, and the live `task_*` events it becomes."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from tasklive.realtime.events import EventPublisher, make_event
from tasklive.tasks.models import Task
from tasklive.tasks.schemas import TaskOut

Kind = Literal["created", "updated", "deleted"]


@dataclass(frozen=True)
class TaskChange:
    """One committed change, for live `task_*` events."""

    kind: Kind
    task: TaskOut
    message: str


SENTENCES = {
    "created": "Created #{number}: {title}",
    "updated": "Updated #{number}: {title}",
    "deleted": "Deleted #{number}: {title}",
    "completed": "Marked #{number} as complete",
    "reopened": "Marked #{number} as incomplete",
}


def change_sentence(change: str, number: int, title: str) -> str:
    """The one sentence for a change to one task, live event and tool summary alike."""
    return SENTENCES[change].format(number=number, title=title)


def change_of(kind: Kind, task: Task) -> TaskChange:
    """A committed change to `task`, with its sentence."""
    change = "completed" if kind == "updated" and task.completed else kind
    return TaskChange(
        kind, TaskOut.model_validate(task), change_sentence(change, task.number, task.title)
    )


TaskNotifier = Callable[[str, list[TaskChange]], Awaitable[None]]


async def no_notifier(_: str, __: list[TaskChange]) -> None:
    return None


def task_change_events(
    changes: list[TaskChange], *, run_id: str | None = None, conversation_id: str | None = None
) -> list[dict[str, Any]]:
    """`task_*` events for committed task changes, whatever made them."""
    return [
        make_event(
            f"task_{change.kind}",
            change.message,
            run_id=run_id,
            conversation_id=conversation_id,
            task_id=change.task.id,
            result=change.task.model_dump(mode="json"),
        )
        for change in changes
    ]


def task_notifier(publisher: EventPublisher) -> TaskNotifier:
    """Publishes `task_*` events for changes made outside an agent run (REST, MCP)."""

    async def notify(user_id: str, changes: list[TaskChange]) -> None:
        for event in task_change_events(changes):
            await publisher.publish(user_id, event)

    return notify
