"""Calling a declared task tool: one short transaction, audited; the sentences around it."""

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.auth.zones import zone_named
from tasklive.errors import INTERNAL, TaskliveError
from tasklive.tasks.events import TaskNotifier
from tasklive.tasks.service import TaskService
from tasklive.tasks.tool import Result, TaskTool
from tasklive.tasks.toolkit import TOOLS

logger = logging.getLogger(__name__)


def starting_message(tool: str) -> str:
    """The `tool_starting` sentence for a tool."""
    spec = TOOLS.get(tool)
    return spec.starting if spec else f"Running {tool}..."


def summarize(tool: str, args: dict[str, Any], result: Result) -> str:
    """The outcome sentence for any tool call, known or not."""
    spec = TOOLS.get(tool)
    if spec is None:
        return str(result.get("error") or "Done")
    return spec.summarize(args, result)


def completion_fields(tool: str, result: Result) -> dict[str, Any]:
    """Extra `tool_complete` fields: a listing tool's `count`."""
    spec = TOOLS.get(tool)
    if spec is not None and spec.lists and result.get("ok"):
        return {"count": result.get("count")}
    return {}


async def call_tool(
    sessionmaker: async_sessionmaker[AsyncSession],
    user_id: str,
    notify: TaskNotifier,
    *,
    source: str,
    tool: TaskTool,
    args: dict[str, Any],
    run_id: str | None = None,
    zone: str | None = None,
) -> Result:
    """Run one validated tool call in its own short transaction and audit it.

    `zone` is the user's time zone when the caller knows it (a turn reads it once).
    """
    recorded = tool.arguments(args)
    async with sessionmaker() as session:
        tasks = TaskService(
            session,
            user_id,
            notify,
            source=source,
            deferred=True,
            run_id=run_id,
            zone=zone_named(zone) if zone else None,
        )
        try:
            result = await tool.operation(tasks, **args)
        except TaskliveError as exc:
            await session.rollback()
            tasks.discard()
            result = {"ok": False, "error": exc.message}
        except Exception:
            logger.exception("Task tool %s failed", tool.name)
            await session.rollback()
            tasks.discard()
            result = {"ok": False, "error": INTERNAL}
        outcome = tool.summarize(recorded, result)
        tasks.record(tool.name, recorded, ok=bool(result["ok"]), outcome=outcome)
        await tasks.finish()
    return result
