"""The MCP endpoint at /mcp: streamable HTTP, bearer tokens, protected-resource metadata."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tasklive.errors import domain_error, error_response
from tasklive.mcp.tools import build_mcp_server

if TYPE_CHECKING:
    from tasklive.services import Services

MCP_PATH = "/mcp"
METADATA_PATH = "/.well-known/oauth-protected-resource"


def base_url(scope: Scope) -> str:
    """The service's own address as the caller reached it."""
    return str(Request(scope).base_url).rstrip("/")


def protected_resource_metadata(base: str) -> dict[str, object]:
    """RFC 9728 metadata: /mcp is a resource that takes bearer tokens in the header."""
    return {
        "resource": f"{base}{MCP_PATH}",
        "resource_name": "tasklive",
        "bearer_methods_supported": ["header"],
        "scopes_supported": [],
        "resource_documentation": f"{base}/docs",
    }


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
        try:
            await self.http_app(dict(scope), receive, pointing_to_metadata(send, base_url(scope)))
        except Exception as exc:
            # The SDK's app has already answered with `error_response`; a bug still goes to the log.
            if domain_error(exc) is None:
                raise


def pointing_to_metadata(send: Send, base: str) -> Send:
    """A `send` whose 401 answers name the protected-resource metadata (RFC 9728)."""
    pointer = f'resource_metadata="{base}{METADATA_PATH}"'

    async def forward(message: Message) -> None:
        if message["type"] == "http.response.start" and message["status"] == 401:
            headers = [(k, v) for k, v in message.get("headers", []) if k != b"www-authenticate"]
            challenge = next(
                (v.decode() for k, v in message.get("headers", []) if k == b"www-authenticate"),
                "Bearer",
            )
            separator = ", " if challenge.strip() != "Bearer" else " "
            headers.append((b"www-authenticate", f"{challenge}{separator}{pointer}".encode()))
            message = {**message, "headers": headers}
        await send(message)

    return forward


async def answer_failure(_: Request, exc: Exception) -> Response:
    """The SDK app's answer to an exception: the API's own (503 while the database is down)."""
    return error_response(exc)


def install_mcp(app: FastAPI) -> None:
    """Route /mcp (exactly, no redirect) to the MCP server; `run_mcp` starts it."""
    endpoint = MCPEndpoint()
    app.state.mcp_endpoint = endpoint
    app.router.routes.append(Route(MCP_PATH, endpoint=endpoint, include_in_schema=False))

    async def metadata(request: Request) -> JSONResponse:
        return JSONResponse(protected_resource_metadata(base_url(request.scope)))

    for path in (METADATA_PATH, f"{METADATA_PATH}{MCP_PATH}"):
        app.router.add_route(path, metadata, methods=["GET"], include_in_schema=False)


@asynccontextmanager
async def run_mcp(app: FastAPI, services: "Services") -> AsyncIterator[MCPServer]:
    """Build this app's MCP server and run its session manager for the lifespan."""
    server = build_mcp_server(
        services.sessionmaker, services.task_notifier, services.settings.resolved_secret_key
    )
    # Stateless: any instance can answer any request. Bearer tokens, never cookies, so a
    # rebinding page has no credential to ride on; the Host check would break proxies.
    http_app = server.streamable_http_app(
        streamable_http_path=MCP_PATH,
        stateless_http=True,
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
    )
    http_app.add_exception_handler(Exception, answer_failure)
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
