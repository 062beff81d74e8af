"""One real `tasklive serve` per test module, and accounts with an app password on it."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import count

import httpx
import pytest

from tests.support.service import ServiceProcess, offline_env

_numbers = count(1)


@dataclass
class Device:
    """An account on the server, seen from the web page (REST) and from a device (CalDAV)."""

    base: str
    email: str
    user_id: str
    headers: dict[str, str]
    app_password: str

    @property
    def home(self) -> str:
        return f"{self.base}/caldav/{self.user_id}/"

    @property
    def auth(self) -> tuple[str, str]:
        return (self.email, self.app_password)

    def tasks(self, **params: str) -> list[dict]:
        response = httpx.get(
            f"{self.base}/api/tasks", params={"status": "all", **params}, headers=self.headers
        )
        return response.json()["items"]

    def dav(self, method: str, path: str, body: str = "", **headers: str) -> httpx.Response:
        """A CalDAV request with the app password, to a path under the server."""
        url = f"{self.base}{path}"
        return httpx.request(method, url, content=body, headers=headers, auth=self.auth)

    def add(self, **body: object) -> dict:
        response = httpx.post(f"{self.base}/api/tasks", json=body, headers=self.headers)
        assert response.status_code == 201, response.text
        return response.json()


@pytest.fixture(scope="module")
def server_database() -> str | None:
    """The module's server database URL; None: SQLite in its data dir."""
    return None


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, server_database: str | None
) -> Iterator[ServiceProcess]:
    data = tmp_path_factory.mktemp("caldav-server")
    env = {**offline_env(data), "TASKLIVE_AUTH_ATTEMPTS_PER_EMAIL": "5"}
    if server_database:
        env["TASKLIVE_DATABASE_URL"] = server_database
    with ServiceProcess(env, log_path=data / "server.log") as service:
        yield service


@pytest.fixture
def device(server: ServiceProcess) -> Callable[..., Device]:
    """A new account (zone Europe/Berlin) and a personal access token to use as app password."""

    def create(timezone: str = "Europe/Berlin") -> Device:
        email = f"device{next(_numbers)}@example.com"
        body = {"email": email, "password": "correct horse", "timezone": timezone}
        signed = httpx.post(f"{server.url}/api/auth/sign-up", json=body).json()
        headers = {"Authorization": f"Bearer {signed['access_token']}"}
        token = httpx.post(f"{server.url}/api/auth/tokens", json={"name": "phone"}, headers=headers)
        return Device(server.url, email, signed["user"]["id"], headers, token.json()["token"])

    return create
