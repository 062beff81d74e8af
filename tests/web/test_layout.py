"""The page at desktop and phone sizes: the header and composer stay put, the lists scroll."""

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.service import ServiceProcess
from tests.web.conftest import open_app, screenshot, send, sign_up

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
LONG_MESSAGE = "\n".join(f"line {n} of a long note about the garden" for n in range(30))


def assert_in_viewport(page: Page, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    height = page.viewport_size["height"]  # type: ignore[index]
    assert box is not None, f"{selector} is not shown"
    assert box["y"] >= 0 and box["y"] + box["height"] <= height + 0.5, (selector, box, height)


def assert_page_does_not_scroll(page: Page) -> None:
    sizes = page.evaluate("[document.documentElement.scrollHeight, window.innerHeight]")
    assert sizes[0] <= sizes[1], f"the page is {sizes[0]} px tall in a {sizes[1]} px window"


def scrolls(page: Page, selector: str) -> bool:
    return page.locator(selector).evaluate("node => node.scrollHeight > node.clientHeight + 10")


def bottom_gap(page: Page, selector: str) -> float:
    return page.locator(selector).evaluate(
        "node => node.scrollHeight - node.scrollTop - node.clientHeight"
    )


def fill_account(context: Any, account: dict[str, Any]) -> str:
    """Forty tasks with long titles and one conversation of long messages; its id."""
    for number in range(40):
        title = f"task {number} " + "with a rather long title that wraps " * 3
        assert context.request.post("/api/tasks", data={"title": title.strip()}).ok
    conversation_id = None
    for _ in range(5):
        body: dict[str, Any] = {"message": LONG_MESSAGE}
        if conversation_id:
            body["conversation_id"] = conversation_id
        answer = context.request.post(f"/api/{account['user']['id']}/chat", data=body)
        assert answer.ok, answer.text()
        conversation_id = answer.json()["conversation_id"]
    return conversation_id


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_long_chat_and_long_list_scroll_inside_a_fixed_frame(
    browser: Browser, service: ServiceProcess, size: str
) -> None:
    width, height = SIZES[size]
    context = browser.new_context(base_url=service.url, viewport={"width": width, "height": height})
    context.set_default_timeout(15_000)
    try:
        account = sign_up(context)
        fill_account(context, account)
        page = open_app(context)
        page.locator("#conversation-list .conversation-open").first.click()
        expect(page.locator("#messages .message.user")).to_have_count(5)

        assert_page_does_not_scroll(page)
        for selector in (".topbar", "#connection", "#message-input", "#send"):
            assert_in_viewport(page, selector)
        assert scrolls(page, "#messages"), "a long chat scrolls inside the message list"
        assert bottom_gap(page, "#messages") < 5, "an opened chat shows its latest message"

        send(page, "hello there")
        expect(page.locator("#messages .run .message.assistant .bubble")).not_to_be_empty()
        assert bottom_gap(page, "#messages") < 5, "the new reply is in view"
        assert_in_viewport(page, "#message-input")
        screenshot(page, f"layout-{size}-chat")

        if size == "phone":
            expect(page.locator(".tasks-panel")).to_be_hidden()
            page.get_by_role("button", name="Tasks").click()
            expect(page.locator(".chat-panel")).to_be_hidden()
        expect(page.locator("#task-list .task")).to_have_count(40)
        assert scrolls(page, "#task-list"), "a long task list scrolls inside the panel"
        page.locator("#task-list").evaluate("node => { node.scrollTop = node.scrollHeight; }")
        assert_page_does_not_scroll(page)
        for selector in (".topbar", "#new-task-title", "#task-list .task >> nth=-1"):
            assert_in_viewport(page, selector)
        screenshot(page, f"layout-{size}-tasks")
        assert page.errors == []  # type: ignore[attr-defined]
    finally:
        context.close()


def test_a_reader_who_scrolled_up_is_not_pulled_down_by_a_reply(
    browser: Browser, service: ServiceProcess
) -> None:
    context = browser.new_context(base_url=service.url, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    try:
        account = sign_up(context)
        conversation_id = fill_account(context, account)
        page = open_app(context)
        page.locator("#conversation-list .conversation-open").first.click()
        replies = page.locator("#messages .message.assistant")
        expect(replies).to_have_count(5)

        page.locator("#messages").evaluate("node => { node.scrollTop = 0; }")
        context.request.post(
            f"/api/{account['user']['id']}/chat",
            data={"message": "hello from my phone", "conversation_id": conversation_id},
        )
        expect(replies).to_have_count(6)
        assert page.locator("#messages").evaluate("node => node.scrollTop") < 5

        page.locator("#messages").evaluate("node => { node.scrollTop = node.scrollHeight; }")
        context.request.post(
            f"/api/{account['user']['id']}/chat",
            data={"message": "hello again", "conversation_id": conversation_id},
        )
        expect(replies).to_have_count(7)
        expect(page.locator("#messages .message.user .bubble").last).to_have_text("hello again")
        assert bottom_gap(page, "#messages") < 5, "a reader at the bottom follows new replies"
    finally:
        context.close()
