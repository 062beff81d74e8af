"""Messages typed while the service is down wait in the outbox and go out once it is back."""

import re

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.support.service import ServiceProcess
from tests.web.conftest import open_app, screenshot, send, sign_up

pytestmark = pytest.mark.browser


def stored_user_messages(context: BrowserContext, user_id: str) -> list[str]:
    conversations = context.request.get(f"/api/{user_id}/conversations").json()
    texts: list[str] = []
    for conversation in conversations:
        path = f"/api/{user_id}/conversations/{conversation['id']}/messages"
        messages = context.request.get(path).json()
        texts += [m["content"] for m in messages if m["role"] == "user"]
    return sorted(texts)


OUTBOX_SIZE = "key => JSON.parse(localStorage.getItem(key) || '[]').length"


def outbox_size(page: Page, user_id: str) -> int:
    return page.evaluate(OUTBOX_SIZE, f"tasklive.outbox.{user_id}")


def wait_for_empty_outbox(page: Page, user_id: str) -> None:
    page.wait_for_function(f"key => ({OUTBOX_SIZE})(key) === 0", arg=f"tasklive.outbox.{user_id}")


def send_while_down(page: Page, text: str) -> Locator:
    """Send a message once the page knows the service is gone; it waits in the outbox."""
    expect(page.locator("#connection")).not_to_have_attribute("data-state", "live")
    send(page, text)
    waiting = page.locator("#messages .message.user").last
    expect(waiting).to_have_attribute("data-state", "queued")
    return waiting


def test_a_message_typed_offline_is_sent_once_when_the_service_is_back(
    context: BrowserContext, service: ServiceProcess
) -> None:
    account = sign_up(context)
    user_id = account["user"]["id"]
    page = open_app(context)
    send(page, "add a task to buy milk")
    expect(page.locator("#messages .run .message.assistant .bubble")).to_contain_text("buy milk")

    service.stop()
    try:
        waiting = send_while_down(page, "add a task to call mom")
        expect(waiting.locator(".meta")).to_have_text(re.compile("when the connection is back"))
        assert outbox_size(page, user_id) == 1
        page.get_by_label("New task title").fill("from the panel")
        page.get_by_label("New task title").press("Enter")
        expect(page.locator("#task-error")).to_contain_text("Can't reach tasklive")
        screenshot(page, "outbox-queued")
    finally:
        service.start()

    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=30_000)
    expect(page.locator("#task-error")).to_be_empty()
    titles = page.locator("#task-list .task-title")
    expect(titles).to_have_text(["buy milk", "call mom"])
    user_bubbles = page.locator("#messages .message.user .bubble")
    expect(user_bubbles).to_have_text(["add a task to buy milk", "add a task to call mom"])
    expect(page.locator("#messages .message.assistant .bubble").last).to_contain_text("call mom")
    wait_for_empty_outbox(page, user_id)
    assert stored_user_messages(context, user_id) == [
        "add a task to buy milk",
        "add a task to call mom",
    ]
    assert page.errors == []  # type: ignore[attr-defined]


def test_the_outbox_survives_closing_the_tab_while_the_service_is_down(
    context: BrowserContext, service: ServiceProcess
) -> None:
    account = sign_up(context)
    user_id = account["user"]["id"]
    page = open_app(context)

    service.stop()
    try:
        send_while_down(page, "add a task to feed the cat")
        page.close()
    finally:
        service.start()

    page = open_app(context)
    expect(page.locator("#task-list .task-title")).to_have_text(["feed the cat"])
    expect(page.locator("#messages .message.user .bubble")).to_have_text(
        ["add a task to feed the cat"]
    )
    expect(page.locator("#messages .message.assistant .bubble")).to_contain_text("feed the cat")
    wait_for_empty_outbox(page, user_id)
    assert stored_user_messages(context, user_id) == ["add a task to feed the cat"]
