"""The agent's task tools, generated from tasks/toolkit.py: progress and events around each call."""

import inspect
import json
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic_ai import CustomEvent, RunContext, Tool

from tasklive.agent.context import AgentDeps, TasksChangedEvent, ToolProgressEvent
from tasklive.tasks.events import TaskChange
from tasklive.tasks.tool import Result, TaskTool
from tasklive.tasks.tool_calls import call_tool
from tasklive.tasks.toolkit import TOOLS as TASK_TOOLS

Emit = Callable[[CustomEvent], Awaitable[Any]]


async def run_tool(deps: AgentDeps, emit: Emit, tool: TaskTool, args: dict[str, Any]) -> Result:
    """Run one audited tool call, announcing its progress and the task changes it committed."""
    await emit(ToolProgressEvent(text=tool.progress_text(args)))
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
        run_id=deps.run_id,
        zone=await deps.time_zone(),
    )
    if changes:
        deps.changes.extend(changes)
        await emit(TasksChangedEvent(changes=changes))
    return result


def agent_tool(tool: TaskTool) -> Tool[AgentDeps]:
    """A pydantic-ai tool with the toolkit tool's name, description and typed arguments."""

    async def call(ctx: RunContext[AgentDeps], **args: Any) -> Result:
        if tool.hints.read_only:
            return await run_tool(ctx.deps, ctx.emit, tool, args)
        # A small model may repeat a call after its answer ("add milk" five times in one turn).
        key = (tool.name, json.dumps(args, sort_keys=True, default=str))
        if (earlier := ctx.deps.writes.get(key)) is not None:
            return earlier
        result = await run_tool(ctx.deps, ctx.emit, tool, args)
        if result.get("ok"):
            ctx.deps.writes[key] = result
        return result

    context = inspect.Parameter(
        "ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=RunContext[AgentDeps]
    )
    # inspect.signature() reads __signature__, which function objects do not declare.
    call.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [context, *tool.parameters], return_annotation=Result
    )
    call.__annotations__ = {
        "ctx": RunContext[AgentDeps],
        **{p.name: p.annotation for p in tool.parameters},
        "return": Result,
    }
    call.__name__ = call.__qualname__ = tool.name
    call.__doc__ = tool.description
    # Sequential: calls run one at a time in the order given, so "add A, add B" numbers A first.
    return Tool(call, takes_ctx=True, name=tool.name, description=tool.description, sequential=True)


TOOLS = tuple(agent_tool(tool) for tool in TASK_TOOLS.values() if tool.agent)
