"""The MCP server's task tools, generated from tasks/toolkit.py."""

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive import __version__
from tasklive.errors import describe_validation_errors
from tasklive.mcp.auth import AccessTokenVerifier, caller_id
from tasklive.tasks.events import TaskNotifier
from tasklive.tasks.tool import Approval, Result, TaskTool
from tasklive.tasks.tool_calls import call_tool
from tasklive.tasks.toolkit import TOOLS

INSTRUCTIONS = (
    "Manage the signed-in user's to-do list. Tasks are addressed by their number "
    "(1, 2, 3, ...), the number the user sees and says; numbers are never reused. "
    "Call list_tasks first when you do not know a task's number."
)


def plain_rejection(error: ValidationError) -> str:
    """A validation failure as the sentence a person would say."""
    return describe_validation_errors(error.errors(include_url=False))


class TaskMCPServer(MCPServer):
    """An MCP server whose argument rejections read as plain sentences, like the tools' own."""

    async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            if not isinstance(exc.__cause__, ValidationError):
                raise
            return failed(plain_rejection(exc.__cause__))


def failed(sentence: str) -> CallToolResult:
    """A tool result that says, in one sentence, why the tool did not do it."""
    return CallToolResult(content=[TextContent(type="text", text=sentence)], is_error=True)


class ToolCaller:
    """Runs one tool call as the verified token's user, audited with source "mcp"."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], notify: TaskNotifier):
        self.sessionmaker = sessionmaker
        self.notify = notify

    async def __call__(self, tool: TaskTool, args: dict[str, Any]) -> Result:
        return await call_tool(
            self.sessionmaker, caller_id(), self.notify, source="mcp", tool=tool, args=args
        )


def mcp_tool(tool: TaskTool, call: ToolCaller) -> Callable[..., Awaitable[Any]]:
    """An MCP tool function with the toolkit tool's typed, described signature."""

    async def run(**args: Any) -> Any:
        result = await call(tool, args)
        return result if result["ok"] else failed(str(result["error"]))

    # inspect.signature() reads __signature__, which function objects do not declare.
    run.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        tool.parameters, return_annotation=Result
    )
    run.__annotations__ = {**{p.name: p.annotation for p in tool.parameters}, "return": Result}
    run.__name__ = run.__qualname__ = tool.name
    return run


def annotations_of(tool: TaskTool) -> ToolAnnotations:
    """MCP hints; a tool that always asks in chat is marked destructive, for the client to ask."""
    hints = tool.hints
    if hints.read_only:
        return ToolAnnotations(readOnlyHint=True, idempotentHint=True, openWorldHint=False)
    return ToolAnnotations(
        readOnlyHint=False,
        destructiveHint=hints.destructive or tool.needs_approval is Approval.ALWAYS,
        idempotentHint=hints.idempotent,
        openWorldHint=False,
    )


def build_mcp_server(
    sessionmaker: async_sessionmaker[AsyncSession], notify: TaskNotifier, secret: str
) -> MCPServer:
    """An MCP server whose tools act on the verified token's user."""
    root = logging.getLogger()
    root_handlers, root_level = list(root.handlers), root.level
    server = TaskMCPServer(
        "tasklive",
        title="tasklive tasks",
        instructions=INSTRUCTIONS,
        version=__version__,
        token_verifier=AccessTokenVerifier(sessionmaker, secret),
        # tasklive issues its own tokens; the SDK only needs a placeholder issuer for its settings.
        auth=AuthSettings(issuer_url="http://localhost", resource_server_url=None),
    )
    # The SDK calls logging.basicConfig (a rich handler on the root); logging is not its to set.
    root.handlers[:], root.level = root_handlers, root_level
    call = ToolCaller(sessionmaker, notify)
    for tool in TOOLS.values():
        server.add_tool(
            mcp_tool(tool, call),
            name=tool.name,
            description=tool.description,
            annotations=annotations_of(tool),
        )
    return server
