"""The MCP server at /mcp: the seven task tools over streamable HTTP, as the token's user."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any, Literal

from fastapi import FastAPI
from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from mcp_types import ToolAnnotations
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from tasklive import __version__
from tasklive.mcp.auth import AccessTokenVerifier, caller_id
from tasklive.tasks import tools
from tasklive.tasks.schemas import DESCRIPTION_MAX, TITLE_MAX
from tasklive.tasks.service import TaskChange, TaskNotifier
from tasklive.tasks.tools import Operation, Result, call_tool

logger = logging.getLogger(__name__)

MCP_PATH = "/mcp"
INSTRUCTIONS = (
    "Manage the signed-in user's to-do list. Tasks are addressed by their number "
    "(1, 2, 3, ...), the number the user sees and says; numbers are never reused. "
    "Call list_tasks first when you do not know a task's number."
)

Number = Annotated[int, Field(ge=1, description="The task's number, as shown by list_tasks.")]
Title = Annotated[str, Field(description=f"Short title, 1-{TITLE_MAX} characters.")]
Description = Annotated[
    str, Field(description=f"Optional details, at most {DESCRIPTION_MAX:,} chars.")
]


class ToolCaller:
    """Runs one tool call as the verified token's user, audited with source "mcp"."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], notify: TaskNotifier):
        self.sessionmaker = sessionmaker
        self.notify = notify

    async def __call__(self, tool: str, args: dict[str, Any], operation: Operation) -> Result:
        return await call_tool(
            self.sessionmaker,
            caller_id(),
            self.notify,
            source="mcp",
            tool=tool,
            args=args,
            operation=operation,
        )


def build_mcp_server(
    sessionmaker: async_sessionmaker[AsyncSession], notify: TaskNotifier, secret: str
) -> MCPServer:
    """An MCP server whose tools act on the verified token's user."""
    root = logging.getLogger()
    root_handlers, root_level = list(root.handlers), root.level
    server = MCPServer(
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
    reads = ToolAnnotations(readOnlyHint=True, idempotentHint=True, openWorldHint=False)
    edits = ToolAnnotations(destructiveHint=False, idempotentHint=True, openWorldHint=False)
    removes = ToolAnnotations(destructiveHint=True, idempotentHint=False, openWorldHint=False)

    @server.tool(annotations=ToolAnnotations(destructiveHint=False, openWorldHint=False))
    async def add_task(title: Title, description: Description = "") -> dict[str, Any]:
        """Add a task to the user's list. Returns {"ok", "task"} with the new task's number."""
        args = {"title": title, "description": description}
        return await call("add_task", args, lambda s: tools.add_task(s, title, description))

    @server.tool(annotations=reads)
    async def list_tasks(
        status: Annotated[
            Literal["all", "pending", "completed"],
            Field(description="Which tasks to list: all, only pending, or only completed."),
        ] = "all",
    ) -> dict[str, Any]:
        """List the user's tasks in number order, with counts of total, pending and completed."""
        return await call("list_tasks", {"status": status}, lambda s: tools.list_tasks(s, status))

    @server.tool(annotations=edits)
    async def update_task(
        number: Number, title: Title | None = None, description: Description | None = None
    ) -> dict[str, Any]:
        """Change a task's title and/or description; omitted fields stay as they are."""
        args = {"number": number, "title": title, "description": description}
        return await call(
            "update_task", args, lambda s: tools.update_task(s, number, title, description)
        )

    @server.tool(annotations=edits)
    async def complete_task(
        number: Number,
        completed: Annotated[
            bool, Field(description="true marks it done; false makes it pending again.")
        ] = True,
    ) -> dict[str, Any]:
        """Mark one task as completed (or, with completed=false, as pending again)."""
        args = {"number": number, "completed": completed}
        return await call(
            "complete_task", args, lambda s: tools.complete_task(s, number, completed)
        )

    @server.tool(annotations=removes)
    async def delete_task(number: Number) -> dict[str, Any]:
        """Delete one task for good. Its number is not given to another task."""
        return await call("delete_task", {"number": number}, lambda s: tools.delete_task(s, number))

    @server.tool(annotations=edits)
    async def complete_all_tasks(
        completed: Annotated[
            bool, Field(description="true marks every task done; false makes all pending.")
        ] = True,
    ) -> dict[str, Any]:
        """Mark every task as completed (or pending). Returns the tasks that changed."""
        args = {"completed": completed}
        return await call(
            "complete_all_tasks", args, lambda s: tools.complete_all_tasks(s, completed)
        )

    @server.tool(annotations=removes)
    async def delete_all_tasks() -> dict[str, Any]:
        """Delete every one of the user's tasks. Only when the user clearly asked for it."""
        return await call("delete_all_tasks", {}, tools.delete_all_tasks)

    return server


class MCPEndpoint:
    """ASGI endpoint for /mcp, forwarding to the streamable HTTP app the lifespan started."""

    def __init__(self) -> None:
        self.http_app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.http_app is None:
            response = JSONResponse(
                {"error": "The MCP endpoint is starting. Try again.", "code": "unavailable"}, 503
            )
            await response(scope, receive, send)
            return
        await self.http_app(dict(scope), receive, send)


def install_mcp(app: FastAPI) -> None:
    """Route /mcp (exactly, no redirect) to the MCP server; `run_mcp` starts it."""
    endpoint = MCPEndpoint()
    app.state.mcp_endpoint = endpoint
    app.router.add_route(MCP_PATH, endpoint, include_in_schema=False)


@asynccontextmanager
async def run_mcp(app: FastAPI) -> AsyncIterator[MCPServer]:
    """Build this app's MCP server and run its session manager for the lifespan."""

    async def notify(user_id: str, changes: list[TaskChange]) -> None:
        await app.state.task_notifier(user_id, changes)

    server = build_mcp_server(
        app.state.sessionmaker, notify, app.state.settings.resolved_secret_key
    )
    # Stateless: any instance can answer any request. Bearer tokens, never cookies, so a
    # rebinding page has no credential to ride on; the Host check would break proxies.
    http_app = server.streamable_http_app(
        streamable_http_path=MCP_PATH,
        stateless_http=True,
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
    )
    endpoint: MCPEndpoint = app.state.mcp_endpoint
    async with _session_manager_running(server):
        endpoint.http_app = http_app
        try:
            yield server
        finally:
            endpoint.http_app = None


@asynccontextmanager
async def _session_manager_running(server: MCPServer) -> AsyncIterator[None]:
    """Run the session manager in a task of its own.

    Its anyio task group must be left by the task that entered it, and a lifespan may be
    entered and left by different tasks (test fixtures do).
    """
    started, stop = asyncio.Event(), asyncio.Event()

    async def run() -> None:
        try:
            async with server.session_manager.run():
                started.set()
                await stop.wait()
        finally:
            started.set()

    runner = asyncio.create_task(run(), name="mcp-session-manager")
    await started.wait()
    if runner.done():
        runner.result()
    try:
        yield
    finally:
        stop.set()
        await runner
