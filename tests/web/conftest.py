"""Browser fixtures: one real `tasklive serve` and one headless Chromium per module."""

import os
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    WebSocketRoute,
    expect,
    sync_playwright,
)

from tests.support.service import ServiceProcess, offline_env

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
PASSWORD = "correct horse battery"

expect.set_options(timeout=15_000)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    """A real service on a free port, with its own SQLite data dir and in-memory broker."""
    data_dir = tmp_path_factory.mktemp("web-service")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with ServiceProcess(offline_env(data_dir), log_path=ARTIFACTS / "service.log") as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless (`make browser` installs it)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: run `make browser`"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


def new_context(
    browser: Browser,
    service: ServiceProcess,
    width: int = 1280,
    color_scheme: str = "light",
    timezone_id: str | None = None,
) -> BrowserContext:
    """A fresh browser profile (cookies, storage) pointed at the service."""
    context = browser.new_context(
        base_url=service.url,
        viewport={"width": width, "height": 800},
        color_scheme=color_scheme,  # type: ignore[arg-type]
        timezone_id=timezone_id,
    )
    context.set_default_timeout(15_000)
    return context


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


FAILED = pytest.StashKey[bool]()


@pytest.fixture
def context(
    request: pytest.FixtureRequest, browser: Browser, service: ServiceProcess
) -> Iterator[BrowserContext]:
    """A fresh browser profile; on failure every open tab is saved as a screenshot.

    Parametrize it indirectly with an IANA name to give the browser that time zone.
    """
    made = new_context(browser, service, timezone_id=getattr(request, "param", None))
    yield made
    if request.node.stash.get(FAILED, False):
        for index, page in enumerate(made.pages):
            screenshot(page, f"failed-{request.node.name}-{index}")
    made.close()


def sign_up(context: BrowserContext) -> dict[str, Any]:
    """A new account, signed in for every tab of this context (the session cookie)."""
    email = f"web-{uuid.uuid4().hex[:10]}@example.com"
    response = context.request.post(
        "/api/auth/sign-up", data={"email": email, "password": PASSWORD}
    )
    assert response.status == 201, response.text()
    return {**response.json(), "email": email}


def open_app(context: BrowserContext) -> Page:
    """A tab showing the signed-in app, connected live; page errors are collected."""
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.errors.append(str(error)))  # type: ignore[attr-defined]
    page.goto("/")
    expect(page.locator("#app-view")).to_be_visible()
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    return page


def send(page: Page, text: str) -> None:
    """Type a chat message and press Enter."""
    page.locator("#message-input").fill(text)
    page.locator("#message-input").press("Enter")


def screenshot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True, animations="disabled")


def hold_server_frames(
    context: BrowserContext, hold: Callable[[str, list[str]], bool]
) -> tuple[list[str], list[WebSocketRoute]]:
    """Keep back live frames from the service that `hold(text, held)` picks; pass the rest.

    Returns the held frames and the tabs' sockets, to release them with `socket.send`.
    """
    held: list[str] = []
    sockets: list[WebSocketRoute] = []

    def route(socket: WebSocketRoute) -> None:
        server = socket.connect_to_server()
        sockets.append(socket)

        def from_server(frame: str | bytes) -> None:
            text = frame if isinstance(frame, str) else frame.decode()
            if hold(text, held):
                held.append(text)
            else:
                socket.send(text)

        server.on_message(from_server)

    context.route_web_socket(re.compile(r"/ws/"), route)
    return held, sockets


def second_device(browser: Browser, service: ServiceProcess, email: str) -> BrowserContext:
    """Another browser profile signed in to the same account, as a second device would be."""
    device = new_context(browser, service)
    answer = device.request.post("/api/auth/sign-in", data={"email": email, "password": PASSWORD})
    assert answer.ok, answer.text()
    return device


def two_conversations(context: BrowserContext) -> tuple[dict[str, Any], Page]:
    """A new account with "buy milk" and then "call mom" conversations; the tab showing them."""
    account = sign_up(context)
    page = open_app(context)
    send(page, "add a task to buy milk")
    expect(page.locator("#messages .run .message.assistant .bubble")).to_contain_text("milk")
    page.get_by_role("button", name="New", exact=True).click()
    send(page, "add a task to call mom")
    expect(page.locator("#messages .run .message.assistant .bubble")).to_contain_text("mom")
    return account, page
