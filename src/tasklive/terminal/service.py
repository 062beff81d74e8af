"""The running service as the terminal client sees it: sign-in, session, tasks, URLs."""

from pathlib import Path
from typing import IO, Any, Self
from urllib.parse import urlencode

import httpx

from tasklive.errors import AuthenticationError, TaskliveError, UnavailableError


class ServiceClient:
    """HTTP calls to one tasklive service, as one user once a token is set."""

    def __init__(self, url: str, token: str | None = None, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.http = httpx.AsyncClient(base_url=self.url, timeout=timeout)

    async def aclose(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = await self.http.request(method, path, headers=self.headers, **kwargs)
        except httpx.HTTPError as exc:
            raise UnavailableError(
                f"Could not reach {self.url} ({exc.__class__.__name__})."
            ) from exc
        if response.status_code == 401:
            raise AuthenticationError(_error_text(response) or "Sign in again.")
        if response.status_code >= 400:
            raise TaskliveError(
                _error_text(response) or f"The service answered {response.status_code}."
            )
        return response.json() if response.content else None

    async def sign_in(self, email: str, password: str) -> dict[str, Any]:
        """Sign in; keeps the token and returns the user."""
        body = await self._request(
            "POST", "/api/auth/sign-in", json={"email": email, "password": password}
        )
        self.token = body["access_token"]
        self.http.cookies.clear()
        return body["user"]

    async def personal_access_token(self, name: str) -> str | None:
        """A new personal access token, or None when the service does not hand them out."""
        try:
            response = await self.http.post(
                "/api/auth/tokens", json={"name": name}, headers=self.headers
            )
        except httpx.HTTPError:
            return None
        if response.status_code != 201:
            return None
        return response.json().get("token")

    async def current_user(self) -> dict[str, Any]:
        """The user the token belongs to."""
        return (await self._request("GET", "/api/auth/session"))["user"]

    async def tasks(self, status: str = "all") -> list[dict[str, Any]]:
        """Every task with a given status, in number order."""
        items: list[dict[str, Any]] = []
        while True:
            page = await self._request(
                "GET", "/api/tasks", params={"status": status, "limit": 200, "offset": len(items)}
            )
            items.extend(page["items"])
            if not page["items"] or len(items) >= page["total"]:
                return items

    async def quick_add(self, text: str) -> dict[str, Any]:
        """One line read by the quick-add reader into a new task: `{task, spans}`."""
        return await self._request("POST", "/api/tasks/quick", json={"text": text})

    async def chat(
        self, user_id: str, message: str, conversation_id: str | None, client_message_id: str
    ) -> dict[str, Any]:
        """One chat turn over POST, answered when the turn is over."""
        body = {"message": message, "client_message_id": client_message_id}
        if conversation_id:
            body["conversation_id"] = conversation_id
        return await self._request("POST", f"/api/{user_id}/chat", json=body)

    async def messages(self, user_id: str, conversation_id: str) -> list[dict[str, Any]]:
        """The latest messages of a conversation, oldest first."""
        path = f"/api/{user_id}/conversations/{conversation_id}/messages"
        return await self._request("GET", path, params={"limit": 20})

    async def cancel(self, user_id: str, run_id: str) -> None:
        """Ask the service to stop a run."""
        await self._request("POST", f"/api/{user_id}/runs/{run_id}/cancel")

    async def approve(self, user_id: str, approval_id: str, approved: bool) -> dict[str, Any]:
        """Answer an approval card over HTTP; returns its new status."""
        path = f"/api/{user_id}/approvals/{approval_id}"
        return await self._request("POST", path, json={"approved": approved})

    async def import_file(self, path: Path, format: str, dry_run: bool) -> dict[str, Any]:
        """Upload a file to import (streamed from disk); returns the import's report."""
        params = {"format": format, "dry_run": str(dry_run).lower()}
        with path.open("rb") as handle:
            return await self._request(
                "POST", "/api/import", params=params, files={"file": (path.name, handle)}
            )

    async def export(self, format: str, out: IO[bytes]) -> int:
        """Download an export into `out` as it streams; returns how many bytes."""
        written = 0
        try:
            async with self.http.stream(
                "GET", "/api/export", params={"format": format}, headers=self.headers
            ) as response:
                if response.status_code >= 400:
                    await response.aread()
                    if response.status_code == 401:
                        raise AuthenticationError(_error_text(response) or "Sign in again.")
                    raise TaskliveError(_error_text(response) or "The export failed.")
                async for chunk in response.aiter_bytes():
                    out.write(chunk)
                    written += len(chunk)
        except httpx.HTTPError as exc:
            raise UnavailableError(
                f"Could not reach {self.url} ({exc.__class__.__name__})."
            ) from exc
        return written

    def ws_url(self, user_id: str, last_seq: int | None = None, epoch: str | None = None) -> str:
        """The live-events WebSocket URL, resuming after `last_seq` of `epoch` when given."""
        base = "ws" + self.url.removeprefix("http")
        query: dict[str, Any] = {"token": self.token or ""}
        if last_seq is not None and epoch is not None:
            query |= {"last_seq": last_seq, "epoch": epoch}
        return f"{base}/ws/{user_id}/chat?{urlencode(query)}"


def _error_text(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("error") if isinstance(body, dict) else None
