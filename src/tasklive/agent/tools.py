"""The seven task tools the agent can call; thin wrappers over TaskService with audit and events."""

from collections.abc import Awaitable, Callable
from typing import Any, Literal

from pydantic_ai import RunContext, Tool

from tasklive.agent.context import AgentDeps, TasksChangedEvent, ToolProgressEvent
from tasklive.errors import InvalidInputError, TaskliveError
from tasklive.tasks.models import Task, ToolCallRecord
from tasklive.tasks.schemas import TaskOut
from tasklive.tasks.service import MAX_PAGE, TaskChange, TaskService

Result = dict[str, Any]
Operation = Callable[[TaskService], Awaitable[Result]]

STARTING_MESSAGES = {
    "add_task": "Adding a task...",
    "list_tasks": "Checking your tasks...",
    "update_task": "Updating a task...",
    "complete_task": "Updating a task...",
    "delete_task": "Deleting a task...",
    "complete_all_tasks": "Updating all your tasks...",
    "delete_all_tasks": "Deleting all your tasks...",
}


def task_json(task: Task) -> dict[str, Any]:
    """A task as tools report it: {id, number, title, description, completed}."""
    out = TaskOut.model_validate(task)
    return {
        "id": out.id,
        "number": out.number,
        "title": out.title,
        "description": out.description,
        "completed": out.completed,
    }


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


async def run_tool(
    ctx: RunContext[AgentDeps], tool: str, args: dict[str, Any], progress: str, operation: Operation
) -> Result:
    """Run one tool call in its own short transaction, audit it, and announce its task changes."""
    deps = ctx.deps
    await ctx.emit(ToolProgressEvent(text=progress))
    changes: list[TaskChange] = []

    async def collect(_: str, committed: list[TaskChange]) -> None:
        changes.extend(committed)

    async with deps.sessionmaker() as session:
        try:
            result = await operation(TaskService(session, deps.user_id, collect))
        except TaskliveError as exc:
            await session.rollback()
            result = {"ok": False, "error": exc.message}
        session.add(
            ToolCallRecord(
                user_id=deps.user_id,
                source="chat",
                tool=tool,
                args=args,
                ok=bool(result["ok"]),
                outcome=summarize(tool, args, result),
                run_id=deps.run_id,
            )
        )
        await session.commit()
    if changes:
        deps.changes.extend(changes)
        await ctx.emit(TasksChangedEvent(changes=changes))
    return result


async def add_task(ctx: RunContext[AgentDeps], title: str, description: str = "") -> Result:
    """Create a new task for the user. `title` is short; `description` holds optional details."""

    async def operation(tasks: TaskService) -> Result:
        return {"ok": True, "task": task_json(await tasks.create(title, description))}

    args = {"title": title, "description": description}
    return await run_tool(ctx, "add_task", args, f'Saving "{title.strip()[:60]}"...', operation)


async def list_tasks(
    ctx: RunContext[AgentDeps], status: Literal["all", "pending", "completed"] = "all"
) -> Result:
    """List the user's tasks (all, pending or completed), with how many there are of each."""

    async def operation(tasks: TaskService) -> Result:
        items, _ = await tasks.list(status, limit=MAX_PAGE)
        counts = await tasks.counts()
        return {
            "ok": True,
            "status": status,
            "tasks": [task_json(task) for task in items],
            "count": len(items),
            "total": counts.total,
            "pending": counts.pending,
            "completed": counts.completed,
        }

    return await run_tool(
        ctx, "list_tasks", {"status": status}, "Searching your tasks...", operation
    )


async def update_task(
    ctx: RunContext[AgentDeps],
    number: int,
    title: str | None = None,
    description: str | None = None,
) -> Result:
    """Change the title and/or description of the task with this number."""

    async def operation(tasks: TaskService) -> Result:
        if title is None and description is None:
            raise InvalidInputError(f"Tell me what to change about task #{number}.")
        task = await tasks.get_by_number(number)
        updated = await tasks.update(task, title=title, description=description)
        return {"ok": True, "task": task_json(updated)}

    args = {"number": number, "title": title, "description": description}
    return await run_tool(ctx, "update_task", args, f"Looking up task #{number}...", operation)


async def complete_task(ctx: RunContext[AgentDeps], number: int, completed: bool = True) -> Result:
    """Mark the task with this number as complete (or, with completed=false, as not complete)."""

    async def operation(tasks: TaskService) -> Result:
        task = await tasks.get_by_number(number)
        return {"ok": True, "task": task_json(await tasks.update(task, completed=completed))}

    args = {"number": number, "completed": completed}
    return await run_tool(ctx, "complete_task", args, f"Looking up task #{number}...", operation)


async def delete_task(ctx: RunContext[AgentDeps], number: int) -> Result:
    """Delete the task with this number."""

    async def operation(tasks: TaskService) -> Result:
        task = await tasks.get_by_number(number)
        snapshot = task_json(task)
        await tasks.delete(task)
        return {"ok": True, "task": snapshot}

    args = {"number": number}
    return await run_tool(ctx, "delete_task", args, f"Looking up task #{number}...", operation)


async def complete_all_tasks(ctx: RunContext[AgentDeps], completed: bool = True) -> Result:
    """Mark every task as complete (or, with completed=false, every task as not complete)."""

    async def operation(tasks: TaskService) -> Result:
        changed = await tasks.set_all_completed(completed)
        return {"ok": True, "count": len(changed), "tasks": [task_json(t) for t in changed]}

    args = {"completed": completed}
    return await run_tool(ctx, "complete_all_tasks", args, "Searching your tasks...", operation)


async def delete_all_tasks(ctx: RunContext[AgentDeps]) -> Result:
    """Delete every task the user has. Only after the user has confirmed they want this."""

    async def operation(tasks: TaskService) -> Result:
        return {"ok": True, "count": await tasks.delete_all()}

    return await run_tool(ctx, "delete_all_tasks", {}, "Searching your tasks...", operation)


# Sequential: calls run one at a time in the order given, so "add A, add B" numbers A first.
TOOLS = tuple(
    Tool(function, sequential=True)
    for function in (
        add_task,
        list_tasks,
        update_task,
        complete_task,
        delete_task,
        complete_all_tasks,
        delete_all_tasks,
    )
)
