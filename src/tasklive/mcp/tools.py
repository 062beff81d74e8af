"""The seven task tools as plain operations on a TaskService, each with a result and a summary."""

from dataclasses import dataclass
from typing import Any

from tasklive.errors import InvalidInputError
from tasklive.tasks.models import Task
from tasklive.tasks.schemas import Status
from tasklive.tasks.service import MAX_PAGE, TaskService


@dataclass(frozen=True)
class ToolResult:
    """What a tool answers, and one line for the audit trail."""

    body: dict[str, Any]
    summary: str


def task_body(task: Task) -> dict[str, Any]:
    """A task as tools return it: T = {id, number, title, description, completed}."""
    return {
        "id": task.id,
        "number": task.number,
        "title": task.title,
        "description": task.description,
        "completed": task.completed,
    }


def _plural(count: int) -> str:
    return f"{count} task" if count == 1 else f"{count} tasks"


async def add_task(tasks: TaskService, title: str, description: str = "") -> ToolResult:
    """Create a task."""
    task = await tasks.create(title, description)
    return ToolResult(
        {"ok": True, "task": task_body(task)}, f"Created #{task.number}: {task.title}"
    )


async def list_tasks(tasks: TaskService, status: Status = "all") -> ToolResult:
    """The user's tasks with a given status, and the counts of all of them."""
    items, _ = await tasks.list(status, limit=MAX_PAGE)
    counts = await tasks.counts()
    body = {
        "ok": True,
        "status": status,
        "tasks": [task_body(task) for task in items],
        "count": len(items),
        "total": counts.total,
        "pending": counts.pending,
        "completed": counts.completed,
    }
    kind = "" if status == "all" else f"{status} "
    noun = _plural(len(items)).replace(" task", f" {kind}task")
    return ToolResult(body, f"Found {noun}")


async def update_task(
    tasks: TaskService, number: int, title: str | None = None, description: str | None = None
) -> ToolResult:
    """Change a task's title and/or description."""
    if title is None and description is None:
        raise InvalidInputError(f"Tell me what to change about task #{number}.")
    task = await tasks.get_by_number(number)
    task = await tasks.update(task, title=title, description=description)
    return ToolResult(
        {"ok": True, "task": task_body(task)}, f"Updated #{task.number}: {task.title}"
    )


async def complete_task(tasks: TaskService, number: int, completed: bool = True) -> ToolResult:
    """Mark a task complete, or pending again."""
    task = await tasks.update(await tasks.get_by_number(number), completed=completed)
    state = "complete" if completed else "incomplete"
    return ToolResult({"ok": True, "task": task_body(task)}, f"Marked #{number} as {state}")


async def delete_task(tasks: TaskService, number: int) -> ToolResult:
    """Remove a task."""
    task = await tasks.get_by_number(number)
    body = {"ok": True, "task": task_body(task)}
    await tasks.delete(task)
    return ToolResult(body, f"Deleted #{number}: {task.title}")


async def complete_all_tasks(tasks: TaskService, completed: bool = True) -> ToolResult:
    """Mark every task complete (or pending); reports the ones that changed."""
    changed = await tasks.set_all_completed(completed)
    state = "complete" if completed else "incomplete"
    body = {"ok": True, "count": len(changed), "tasks": [task_body(task) for task in changed]}
    return ToolResult(body, f"Marked {_plural(len(changed))} as {state}")


async def delete_all_tasks(tasks: TaskService) -> ToolResult:
    """Remove every task."""
    count = await tasks.delete_all()
    return ToolResult({"ok": True, "count": count}, f"Deleted {_plural(count)}")
