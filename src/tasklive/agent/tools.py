"""The seven task tools the agent can call: progress and events around the shared operations."""

from typing import Any, Literal

from pydantic_ai import RunContext, Tool

from tasklive.agent.context import AgentDeps, TasksChangedEvent, ToolProgressEvent
from tasklive.tasks import tools as ops
from tasklive.tasks.service import TaskChange
from tasklive.tasks.tools import Operation, Result, call_tool

STARTING_MESSAGES = {
    "add_task": "Adding a task...",
    "list_tasks": "Checking your tasks...",
    "update_task": "Updating a task...",
    "complete_task": "Updating a task...",
    "delete_task": "Deleting a task...",
    "complete_all_tasks": "Updating all your tasks...",
    "delete_all_tasks": "Deleting all your tasks...",
}


async def run_tool(
    ctx: RunContext[AgentDeps], tool: str, args: dict[str, Any], progress: str, operation: Operation
) -> Result:
    """Run one audited tool call, announcing its progress and the task changes it committed."""
    deps = ctx.deps
    await ctx.emit(ToolProgressEvent(text=progress))
    changes: list[TaskChange] = []

    async def collect(_: str, committed: list[TaskChange]) -> None:
        changes.extend(committed)

    result = await call_tool(
        deps.sessionmaker,
        deps.user_id,
        collect,
        source="chat",
        tool=tool,
        args=args,
        operation=operation,
        run_id=deps.run_id,
    )
    if changes:
        deps.changes.extend(changes)
        await ctx.emit(TasksChangedEvent(changes=changes))
    return result


async def add_task(ctx: RunContext[AgentDeps], title: str, description: str = "") -> Result:
    """Create a new task for the user. `title` is short; `description` holds optional details."""
    args = {"title": title, "description": description}
    progress = f'Saving "{title.strip()[:60]}"...'
    return await run_tool(
        ctx, "add_task", args, progress, lambda tasks: ops.add_task(tasks, title, description)
    )


async def list_tasks(
    ctx: RunContext[AgentDeps], status: Literal["all", "pending", "completed"] = "all"
) -> Result:
    """List the user's tasks (all, pending or completed), with how many there are of each."""
    return await run_tool(
        ctx,
        "list_tasks",
        {"status": status},
        "Searching your tasks...",
        lambda tasks: ops.list_tasks(tasks, status),
    )


async def update_task(
    ctx: RunContext[AgentDeps],
    number: int,
    title: str | None = None,
    description: str | None = None,
) -> Result:
    """Change the title and/or description of the task with this number."""
    return await run_tool(
        ctx,
        "update_task",
        {"number": number, "title": title, "description": description},
        f"Looking up task #{number}...",
        lambda tasks: ops.update_task(tasks, number, title, description),
    )


async def complete_task(ctx: RunContext[AgentDeps], number: int, completed: bool = True) -> Result:
    """Mark the task with this number as complete (or, with completed=false, as not complete)."""
    return await run_tool(
        ctx,
        "complete_task",
        {"number": number, "completed": completed},
        f"Looking up task #{number}...",
        lambda tasks: ops.complete_task(tasks, number, completed),
    )


async def delete_task(ctx: RunContext[AgentDeps], number: int) -> Result:
    """Delete the task with this number."""
    return await run_tool(
        ctx,
        "delete_task",
        {"number": number},
        f"Looking up task #{number}...",
        lambda tasks: ops.delete_task(tasks, number),
    )


async def complete_all_tasks(ctx: RunContext[AgentDeps], completed: bool = True) -> Result:
    """Mark every task as complete (or, with completed=false, every task as not complete)."""
    return await run_tool(
        ctx,
        "complete_all_tasks",
        {"completed": completed},
        "Searching your tasks...",
        lambda tasks: ops.complete_all_tasks(tasks, completed),
    )


async def delete_all_tasks(ctx: RunContext[AgentDeps]) -> Result:
    """Delete every task the user has. Only after the user has confirmed they want this."""
    return await run_tool(
        ctx, "delete_all_tasks", {}, "Searching your tasks...", ops.delete_all_tasks
    )


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
