"""The seven task tools as operations on a TaskService, shared by the agent and the MCP server."""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.errors import InvalidInputError, TaskliveError
from tasklive.tasks.models import Task, ToolCallRecord
from tasklive.tasks.schemas import Status
from tasklive.tasks.service import MAX_PAGE, TaskNotifier, TaskService

logger = logging.getLogger(__name__)

Result = dict[str, Any]
Operation = Callable[[TaskService], Awaitable[Result]]
INTERNAL_ERROR = "Something went wrong on our side. Please try again."


def task_body(task: Task) -> dict[str, Any]:
    """A task as tools report it: {id, number, title, description, completed}."""
    return {
        "id": task.id,
        "number": task.number,
        "title": task.title,
        "description": task.description,
        "completed": task.completed,
    }


async def add_task(tasks: TaskService, title: str, description: str = "") -> Result:
    """Create a task."""
    return {"ok": True, "task": task_body(await tasks.create(title, description))}


async def list_tasks(tasks: TaskService, status: Status = "all") -> Result:
    """The user's tasks with a given status, and the counts of all of them."""
    items, _ = await tasks.list(status, limit=MAX_PAGE)
    counts = await tasks.counts()
    return {
        "ok": True,
        "status": status,
        "tasks": [task_body(task) for task in items],
        "count": len(items),
        "total": counts.total,
        "pending": counts.pending,
        "completed": counts.completed,
    }


async def update_task(
    tasks: TaskService, number: int, title: str | None = None, description: str | None = None
) -> Result:
    """Change a task's title and/or description."""
    if title is None and description is None:
        raise InvalidInputError(f"Tell me what to change about task #{number}.")
    task = await tasks.get_by_number(number)
    return {
        "ok": True,
        "task": task_body(await tasks.update(task, title=title, description=description)),
    }


async def complete_task(tasks: TaskService, number: int, completed: bool = True) -> Result:
    """Mark a task complete, or pending again."""
    task = await tasks.get_by_number(number)
    return {"ok": True, "task": task_body(await tasks.update(task, completed=completed))}


async def delete_task(tasks: TaskService, number: int) -> Result:
    """Remove a task; answers with what it was."""
    task = await tasks.get_by_number(number)
    body = {"ok": True, "task": task_body(task)}
    await tasks.delete(task)
    return body


async def complete_all_tasks(tasks: TaskService, completed: bool = True) -> Result:
    """Mark every task complete (or pending); reports the ones that changed."""
    changed = await tasks.set_all_completed(completed)
    return {"ok": True, "count": len(changed), "tasks": [task_body(task) for task in changed]}


async def delete_all_tasks(tasks: TaskService) -> Result:
    """Remove every task."""
    return {"ok": True, "count": await tasks.delete_all()}


def _plural(count: int, noun: str = "task") -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _state(completed: bool) -> str:
    return "complete" if completed else "incomplete"


def summarize(tool: str, args: dict[str, Any], result: Result) -> str:
    """A short sentence for a tool's outcome: "Found 3 tasks", "Created #4: buy milk"."""
    if not result.get("ok"):
        return str(result.get("error") or "That didn't work.")
    task = result.get("task") or {}
    if tool == "add_task":
        return f"Created #{task['number']}: {task['title']}"
    if tool == "list_tasks":
        status = result.get("status", "all")
        noun = "task" if status == "all" else f"{status} task"
        return f"Found {_plural(result['count'], noun)}"
    if tool == "update_task":
        return f"Updated #{task['number']}: {task['title']}"
    if tool == "complete_task":
        return f"Marked #{task['number']} as {_state(task['completed'])}"
    if tool == "delete_task":
        return f"Deleted #{task['number']}: {task['title']}"
    if tool == "complete_all_tasks":
        return f"Marked {_plural(result['count'])} as {_state(args.get('completed', True))}"
    if tool == "delete_all_tasks":
        return f"Deleted {_plural(result['count'])}"
    return "Done"


async def call_tool(
    sessionmaker: async_sessionmaker[AsyncSession],
    user_id: str,
    notify: TaskNotifier,
    *,
    source: str,
    tool: str,
    args: dict[str, Any],
    operation: Operation,
    run_id: str | None = None,
) -> Result:
    """Run one tool call in its own short transaction and write it to the audit trail."""
    async with sessionmaker() as session:
        try:
            result = await operation(TaskService(session, user_id, notify))
        except TaskliveError as exc:
            await session.rollback()
            result = {"ok": False, "error": exc.message}
        except Exception:
            logger.exception("Task tool %s failed", tool)
            await session.rollback()
            result = {"ok": False, "error": INTERNAL_ERROR}
        session.add(
            ToolCallRecord(
                user_id=user_id,
                source=source,
                tool=tool,
                args=args,
                ok=bool(result["ok"]),
                outcome=summarize(tool, args, result),
                run_id=run_id,
            )
        )
        await session.commit()
    return result
