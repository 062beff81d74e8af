"""Approval before bulk-destructive tools, with any model, in pydantic-ai's tool-execution hook."""

from dataclasses import dataclass, replace
from typing import Any

from pydantic_ai import RunContext
from pydantic_ai.capabilities import AbstractCapability
from pydantic_ai.capabilities.abstract import WrapToolExecuteHandler
from pydantic_ai.messages import ToolCallPart
from pydantic_ai.tools import ToolDefinition
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tasklive.agent.context import AgentDeps
from tasklive.auth.models import User
from tasklive.auth.zones import zone_named
from tasklive.tasks.tool import Approval
from tasklive.tasks.toolkit import TOOLS

NEEDS_APPROVAL = frozenset(n for n, t in TOOLS.items() if t.needs_approval is Approval.ALWAYS)
SINGLE_DELETE = frozenset(
    n for n, t in TOOLS.items() if t.needs_approval is Approval.IF_APPROVE_DELETES
)


@dataclass
class ApprovalGate(AbstractCapability[AgentDeps]):
    """Holds a bulk-destructive call until someone approves it; a denial goes back to the model."""

    async def prepare_tools(
        self, ctx: RunContext[AgentDeps], tool_defs: list[ToolDefinition]
    ) -> list[ToolDefinition]:
        """Mark the tools that will ask on screen, so a model need not ask in words too."""
        marked = on_screen(ctx.deps, frozenset(d.name for d in tool_defs))
        return [
            replace(d, metadata={**(d.metadata or {}), "approval_card": True})
            if d.name in marked
            else d
            for d in tool_defs
        ]

    async def wrap_tool_execute(
        self,
        ctx: RunContext[AgentDeps],
        *,
        call: ToolCallPart,
        tool_def: ToolDefinition,
        args: Any,
        handler: WrapToolExecuteHandler,
    ) -> Any:
        # Asked inline, so the calls after it in the same step still run after it: the
        # deferred-results round trip would run them first ("delete all, then list" would list
        # the tasks it is about to delete).
        refused = await refusal(ctx.deps, call.tool_name, call.args_as_dict(), call.tool_call_id)
        if refused is not None:
            return {"ok": False, "error": refused}
        return await handler(args)


@dataclass(frozen=True)
class UserChoices:
    """The user's settings one run follows: their time zone and the extra approvals."""

    timezone: str
    approval_tools: frozenset[str]

    @classmethod
    def of(cls, timezone: str | None, approve_deletes: bool) -> "UserChoices":
        return cls(zone_named(timezone).key, SINGLE_DELETE if approve_deletes else frozenset())

    def apply(self, deps: AgentDeps) -> None:
        """Give the run these settings."""
        deps.timezone = self.timezone
        deps.approval_tools = self.approval_tools


async def load_user_choices(session: AsyncSession, user_id: str) -> UserChoices:
    """The user's time zone and extra approvals, read in one query."""
    zone, approve_deletes = (
        await session.execute(select(User.timezone, User.approve_deletes).where(User.id == user_id))
    ).one()
    return UserChoices.of(zone, approve_deletes)


async def refusal(
    deps: AgentDeps, tool: str, args: dict[str, Any], tool_call_id: str
) -> str | None:
    """Ask the user first when this call needs it: None to go ahead, else why not."""
    if deps.approver is None or not needs_approval(deps, tool):
        return None
    return await deps.approver(tool, args, tool_call_id)


def on_screen(deps: AgentDeps, tools: frozenset[str]) -> frozenset[str]:
    """The tools whose calls this run asks about with an approval card."""
    if deps.approver is None:
        return frozenset()
    return frozenset(tool for tool in tools if needs_approval(deps, tool))


def needs_approval(deps: AgentDeps, tool: str) -> bool:
    """Whether this user must approve a call of `tool` first."""
    return tool in NEEDS_APPROVAL or tool in deps.approval_tools
