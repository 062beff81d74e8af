"""`tasklive tokens`: create, list and revoke personal access tokens on a running service."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from tasklive.errors import AuthenticationError, TaskliveError, UnavailableError

SignIn = Callable[[], tuple[str, str]]


def _error_text(response: httpx.Response) -> str:
    try:
        return str(response.json().get("error") or "")
    except ValueError:
        return ""


class TokenClient:
    """The token endpoints of one service, as the signed-in user."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise UnavailableError(f"Could not reach {self.http.base_url}.") from exc
        if response.status_code == 401:
            raise AuthenticationError(_error_text(response) or "Sign in again.")
        if response.status_code >= 400:
            raise TaskliveError(
                _error_text(response) or f"The service said {response.status_code}."
            )
        return response.json() if response.content else None

    def create(self, name: str) -> dict[str, Any]:
        return self._call("POST", "/api/auth/tokens", json={"name": name})

    def list(self) -> list[dict[str, Any]]:
        return self._call("GET", "/api/auth/tokens")

    def revoke(self, token_id: str) -> None:
        self._call("DELETE", f"/api/auth/tokens/{token_id}")


@contextmanager
def token_client(url: str, token: str | None, sign_in: SignIn) -> Iterator[TokenClient]:
    """A client with `token`, or else with a session from `sign_in()` that ends afterwards."""
    with httpx.Client(base_url=url.rstrip("/"), timeout=30) as http:
        client = TokenClient(http)
        if token:
            http.headers["Authorization"] = f"Bearer {token}"
            yield client
            return
        email, password = sign_in()
        body = client._call(
            "POST", "/api/auth/sign-in", json={"email": email, "password": password}
        )
        http.cookies.clear()
        http.headers["Authorization"] = f"Bearer {body['access_token']}"
        try:
            yield client
        finally:
            client._call("POST", "/api/auth/sign-out")
