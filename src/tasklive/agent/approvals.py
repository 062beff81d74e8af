"""Approval before bulk-destructive tools, with any model, through pydantic-ai's deferred tools."""

from dataclasses import dataclass
from typing import Any

from pydantic_ai import RunContext
from pydantic_ai.capabilities import AbstractCapability
from pydantic_ai.exceptions import ApprovalRequired
from pydantic_ai.messages import ToolCallPart
from pydantic_ai.tools import DeferredToolRequests, DeferredToolResults, ToolDefinition, ToolDenied

from tasklive.agent.context import AgentDeps

NEEDS_APPROVAL = frozenset({"delete_all_tasks", "complete_all_tasks"})


@dataclass
class ApprovalGate(AbstractCapability[AgentDeps]):
    """Holds a bulk-destructive call until someone approves it; a denial goes back to the model."""

    async def before_tool_execute(
        self,
        ctx: RunContext[AgentDeps],
        *,
        call: ToolCallPart,
        tool_def: ToolDefinition,
        args: Any,
    ) -> Any:
        if needs_approval(ctx.deps, tool_def.name) and not ctx.tool_call_approved:
            raise ApprovalRequired()
        return args

    async def handle_deferred_tool_calls(
        self, ctx: RunContext[AgentDeps], *, requests: DeferredToolRequests
    ) -> DeferredToolResults | None:
        approver = ctx.deps.approver
        if approver is None or not requests.approvals:
            return None
        decisions: dict[str, bool | ToolDenied] = {}
        for call in requests.approvals:
            refusal = await approver(call.tool_name, call.args_as_dict(), call.tool_call_id)
            decisions[call.tool_call_id] = True if refusal is None else ToolDenied(refusal)
        return DeferredToolResults(approvals=decisions)


def needs_approval(deps: AgentDeps, tool: str) -> bool:
    """Whether this user must approve a call of `tool` first."""
    return tool in NEEDS_APPROVAL or tool in deps.approval_tools
