"""An MCP SDK client over streamable HTTP, as the token's user, for tests."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

# A raw `initialize` request, for tests that look at the HTTP answer rather than the session.
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"},
    },
}
MCP_ACCEPT = {"Accept": "application/json, text/event-stream"}


class Tasks:
    """Calls MCP tools and returns their structured results."""

    def __init__(self, client: Client) -> None:
        self.client = client

    async def __call__(self, tool: str, **args: Any) -> dict[str, Any]:
        result = await self.client.call_tool(tool, args)
        assert not result.is_error, result.content
        return result.structured_content

    async def failure(self, tool: str, **args: Any) -> str:
        """The sentence of a call that must fail as a tool error."""
        result = await self.client.call_tool(tool, args)
        assert result.is_error, result
        return " ".join(part.text for part in result.content)


@asynccontextmanager
async def mcp_tools(base_url: str, token: str) -> AsyncIterator[Tasks]:
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        httpx2.AsyncClient(headers=headers) as http,
        Client(streamable_http_client(f"{base_url}/mcp", http_client=http)) as client,
    ):
        yield Tasks(client)
