"""`tasklive tokens`: create, list and revoke personal access tokens on a running service."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from tasklive.terminal.service import ServiceClient

SignIn = Callable[[], tuple[str, str]]


class TokenClient(ServiceClient):
    """The token endpoints of one service, as the signed-in user."""

    async def create_token(self, name: str) -> dict[str, Any]:
        return await self._request("POST", "/api/auth/tokens", json={"name": name})

    async def list_tokens(self) -> list[dict[str, Any]]:
        return await self._request("GET", "/api/auth/tokens")

    async def revoke_token(self, token_id: str) -> None:
        await self._request("DELETE", f"/api/auth/tokens/{token_id}")


@asynccontextmanager
async def token_client(url: str, token: str | None, sign_in: SignIn) -> AsyncIterator[TokenClient]:
    """A client with `token`, or else with a session from `sign_in()` that ends afterwards."""
    async with TokenClient(url, token) as client:
        if token:
            yield client
            return
        await client.sign_in(*sign_in())
        try:
            yield client
        finally:
            await client._request("POST", "/api/auth/sign-out")
