"""The web page in Debian's Chromium, as a new user would use it, against a real service."""

import re
import time

import pytest
from playwright.sync_api import APIResponse, BrowserContext, Route, expect

from tests.web.conftest import (
    PASSWORD,
    hold_server_frames,
    new_context,
    open_app,
    screenshot,
    send,
    sign_up,
)

pytestmark = pytest.mark.browser

MARKUP = "<img src=x onerror=alert(1)>"

# Records, in order, when the first progress step and the first reply text appear.
WATCH_ORDER = """() => {
  window.__order = [];
  const note = (what) => { if (!window.__order.includes(what)) window.__order.push(what); };
  new MutationObserver(() => {
    if (document.querySelector('#messages .run .step')) note('step');
    const reply = document.querySelector('#messages .run .message.assistant .bubble');
    if (reply && reply.textContent.trim()) note('reply');
  }).observe(document.getElementById('messages'),
             {subtree: true, childList: true, characterData: true});
}"""


def test_sign_up_and_sign_in_explain_every_failure(context: BrowserContext) -> None:
    page = context.new_page()
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    screenshot(page, "01-sign-in")
    sign_in_form, sign_up_form = page.locator("#sign-in-form"), page.locator("#sign-up-form")

    def submit(form, email: str, password: str) -> None:
        form.get_by_label("Email").fill(email)
        form.get_by_label("Password").fill(password)
        form.locator("button[type=submit]").click()

    page.get_by_role("button", name="Create an account").click()
    submit(sign_up_form, "not-an-email", PASSWORD)
    expect(page.locator("#sign-up-error")).to_have_text(re.compile("valid email"))
    email = "newcomer@example.com"
    submit(sign_up_form, email, "short")
    expect(page.locator("#sign-up-error")).to_have_text(re.compile("at least 8 characters"))
    submit(sign_up_form, email, PASSWORD)
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    expect(page.locator("#account-name")).to_have_attribute("title", f"Signed in as {email}")
    screenshot(page, "02-signed-in-empty")

    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("#auth-notice")).to_have_text(re.compile("signed out"))
    submit(sign_in_form, email, "wrong password")
    expect(page.locator("#sign-in-error")).not_to_be_empty()

    page.get_by_role("button", name="Create an account").click()
    submit(sign_up_form, email, PASSWORD)
    expect(page.locator("#sign-up-error")).to_have_text(re.compile("already has an account"))

    sign_up_form.get_by_role("button", name="Sign in").click()
    submit(sign_in_form, email, PASSWORD)
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")


def test_chat_shows_live_steps_then_the_reply_and_a_second_tab_follows(
    context: BrowserContext,
) -> None:
    sign_up(context)
    page = open_app(context)
    other_tab = open_app(context)
    page.evaluate(WATCH_ORDER)

    send(page, "add a task to buy milk")

    step = page.locator("#messages .run .step").last
    expect(step).to_have_attribute("data-state", "ok")
    expect(step).to_contain_text("#1")
    reply = page.locator("#messages .run .message.assistant .bubble")
    expect(reply).to_contain_text("buy milk")
    assert page.evaluate("window.__order") == ["step", "reply"]
    expect(page.locator("#announcer")).not_to_be_empty()
    task = page.locator("#task-list .task").first
    expect(task.locator(".task-number")).to_have_text("#1")
    expect(task.locator(".task-title")).to_have_text("buy milk")
    expect(page.locator("#conversation-list .conversation")).to_have_count(1)
    screenshot(page, "03-chat-reply")

    # The other tab never reloads: the task arrives as a live event.
    other = other_tab.locator("#task-list .task").first
    expect(other.locator(".task-title")).to_have_text("buy milk")

    # Completing it in the second tab shows in the first one.
    other.get_by_role("checkbox").check()
    expect(task).to_have_class(re.compile(r"\bdone\b"))
    screenshot(other_tab, "04-second-tab")

    # The filter and the inline edit work on the same list.
    page.get_by_text("Pending", exact=True).click()
    expect(page.locator("#task-list .task")).to_have_count(0)
    page.get_by_text("All", exact=True).click()
    task.get_by_role("button", name="Edit task #1").click()
    page.get_by_label("New title for task #1").fill("buy oat milk")
    page.get_by_label("New title for task #1").press("Enter")
    expect(other.locator(".task-title")).to_have_text("buy oat milk")
    assert page.errors == other_tab.errors == []  # type: ignore[attr-defined]


def test_a_running_tool_shows_a_spinner_and_cancel_until_it_ends(
    context: BrowserContext,
) -> None:
    sign_up(context)
    held_answers: list[tuple[Route, APIResponse]] = []
    held_frames, sockets = hold_server_frames(
        context, lambda text, held: bool(held) or '"tool_complete"' in text
    )

    def hold_answer(route: Route) -> None:
        held_answers.append((route, route.fetch()))

    context.route(re.compile(r"/api/[^/]+/chat$"), hold_answer)
    page = open_app(context)
    send(page, "add a task to buy milk")

    step = page.locator("#messages .run .step").last
    expect(step).to_have_attribute("data-state", "running")
    expect(step).to_have_text(re.compile("Adding a task|Saving"))
    cancel = page.get_by_role("button", name="Cancel")
    expect(cancel).to_be_visible()
    spinning = "node => getComputedStyle(node.querySelector('.step-icon')).animationName"
    assert step.evaluate(spinning) == "spin"
    screenshot(page, "03-tool-running")

    # Route handlers run only while Playwright is called: let it work until the answer is held.
    deadline = time.monotonic() + 15
    while not (held_answers and any('"agent_done"' in frame for frame in held_frames)):
        assert time.monotonic() < deadline, "the chat answer never came"
        page.wait_for_timeout(50)
    for frame in held_frames:
        sockets[0].send(frame)
    for route, answer in held_answers:
        route.fulfill(response=answer)
    expect(step).to_have_attribute("data-state", "ok")
    assert step.evaluate(spinning) == "none"
    expect(cancel).to_be_hidden()
    expect(page.locator("#messages .run .message.assistant .bubble")).to_contain_text("buy milk")


def test_limit_and_outage_answers_become_friendly_notices(context: BrowserContext) -> None:
    sign_up(context)
    page = open_app(context)
    message = page.get_by_label("Message", exact=True)
    message.fill("x" * 10_001)
    expect(page.locator("#char-count")).to_have_text("1 character too long")
    expect(page.get_by_role("button", name="Send")).to_be_disabled()
    message.fill("x" * 9_500)
    expect(page.locator("#char-count")).to_have_text(re.compile(r"9,500 / 10,000"))

    limited = {
        "error": "Daily limit reached.",
        "code": "rate_limited",
        "limit": 100,
        "reset_at": "2030-01-02T00:00:00Z",
    }
    page.route(re.compile(r"/chat$"), lambda route: route.fulfill(status=429, json=limited))
    send(page, "add a task to buy milk")
    expect(page.locator("#messages .run .notice")).to_have_text(
        re.compile(r"^You've used all 100 messages for today\. You can chat again at [^.]+\.$")
    )
    page.unroute(re.compile(r"/chat$"))

    outage = {"error": "The model is unreachable.", "code": "unavailable"}
    page.route(re.compile(r"/chat$"), lambda route: route.fulfill(status=503, json=outage))
    send(page, "add a task to feed the cat")
    notice = page.locator("#messages .run .notice").last
    expect(notice).to_contain_text("can't be reached right now")
    screenshot(page, "07-friendly-notices")

    page.unroute(re.compile(r"/chat$"))
    notice.get_by_role("button", name="Retry").click()
    expect(page.locator("#messages .run .message.assistant .bubble")).to_contain_text(
        "feed the cat"
    )
    expect(page.locator("#task-list .task-title")).to_have_text(["feed the cat"])


def test_conversations_can_be_started_switched_and_deleted(context: BrowserContext) -> None:
    sign_up(context)
    page = open_app(context)
    conversations = page.locator("#conversation-list .conversation")
    bubbles = page.locator("#messages .message .bubble")

    send(page, "add a task to buy milk")
    expect(conversations).to_have_count(1)
    page.get_by_role("button", name="New", exact=True).click()
    expect(bubbles).to_have_count(0)
    send(page, "what's on my list?")
    expect(conversations).to_have_count(2)
    expect(page.locator("#messages .run .message.assistant .bubble")).to_contain_text("buy milk")

    conversations.filter(has_text="add a task to buy milk").get_by_role("button").first.click()
    expect(bubbles.first).to_have_text("add a task to buy milk")
    expect(bubbles).to_have_count(2)

    other = conversations.filter(has_text="on my list")
    other.get_by_role("button", name=re.compile("Delete conversation")).click()
    expect(conversations).to_have_count(2)  # the first click only asks "Sure?"
    other.get_by_role("button", name=re.compile("Delete conversation")).click()
    expect(conversations).to_have_count(1)
    page.reload()
    expect(conversations).to_have_count(1)
    expect(bubbles.first).to_have_text("add a task to buy milk")


def test_markup_in_titles_and_messages_is_shown_as_text(context: BrowserContext) -> None:
    sign_up(context)
    page = open_app(context)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.get_by_label("New task title").fill(MARKUP)
    page.get_by_label("New task title").press("Enter")
    expect(page.locator("#task-list .task-title").first).to_have_text(MARKUP)

    send(page, f"add a task to {MARKUP}")
    expect(page.locator("#messages .message.user .bubble").first).to_have_text(
        f"add a task to {MARKUP}"
    )
    expect(page.locator("#messages .run .message.assistant .bubble")).not_to_be_empty()
    expect(page.locator("#task-list .task")).to_have_count(2)

    assert page.locator("#app-view img").count() == 0
    assert dialogs == []
    screenshot(page, "05-markup-as-text")


def test_narrow_dark_screen_has_no_horizontal_scroll(browser, service) -> None:
    context = new_context(browser, service, width=360, color_scheme="dark")
    try:
        sign_up(context)
        page = open_app(context)
        long_word = "supercalifragilistic" * 8
        page.get_by_role("button", name="Tasks").click()
        page.get_by_label("New task title").fill(long_word)
        page.get_by_label("New task title").press("Enter")
        expect(page.locator("#task-list .task")).to_have_count(1)
        page.get_by_role("button", name="Chat").click()
        send(page, f"add a task to {long_word}")
        expect(page.locator("#messages .run .message.assistant .bubble")).not_to_be_empty()
        for pane, label, panel in (
            ("Chat", "Message", "#messages"),
            ("Tasks", "New task title", "#task-list"),
        ):
            page.locator(".pane-switch").get_by_role("button", name=pane).click()
            expect(page.get_by_label(label, exact=True)).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
            overflow = page.locator(panel).evaluate("node => node.scrollWidth - node.clientWidth")
            assert overflow <= 0, f"{panel} is wider than the screen"
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(18, 21, 26)"  # the dark palette
        screenshot(page, "06-narrow-360")
    finally:
        context.close()


def test_without_websocket_it_uses_sse_and_without_both_chat_still_works(
    context: BrowserContext,
) -> None:
    sign_up(context)
    context.route_web_socket(re.compile(r"/ws/"), lambda socket: socket.close())

    page = open_app(context)
    expect(page.locator("#connection-text")).to_have_text("Live (fallback stream)")
    context.request.post("/api/tasks", data={"title": "made elsewhere"})
    expect(page.locator("#task-list .task-title")).to_have_text(["made elsewhere"])
    page.close()

    context.route(re.compile(r"/api/[^/]+/events"), lambda route: route.fulfill(status=503))
    page = context.new_page()
    page.goto("/")
    expect(page.locator("#connection")).to_have_attribute("data-state", "unavailable")
    expect(page.locator("#live-banner")).to_be_visible()
    send(page, "add a task to water the plants")
    expect(page.locator("#messages .run .message.assistant .bubble")).to_contain_text(
        "water the plants"
    )
    expect(page.locator("#messages .run .step").first).to_have_attribute("data-state", "ok")
    expect(page.locator("#task-list .task-title")).to_have_text(
        ["made elsewhere", "water the plants"]
    )
    screenshot(page, "08-live-unavailable")


def test_service_restart_reconnects_and_keeps_history(context: BrowserContext, service) -> None:
    sign_up(context)
    page = open_app(context)
    send(page, "add a task to call mom")
    expect(page.locator("#messages .run .message.assistant .bubble")).to_contain_text("call mom")

    service.stop()
    try:
        expect(page.locator("#connection")).to_have_attribute("data-state", "reconnecting")
        expect(page.locator("#connection-text")).to_have_text(re.compile(r"Reconnecting in \d+ s"))
        screenshot(page, "09-reconnecting")
    finally:
        service.start()

    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=30_000)
    messages = page.locator("#messages .message .bubble")
    expect(messages.first).to_have_text("add a task to call mom")
    expect(messages.nth(1)).to_contain_text("call mom")
    expect(page.locator("#task-list .task-title")).to_have_text(["call mom"])

    # Live again: a change made elsewhere after the restart arrives without a reload.
    context.request.post("/api/tasks", data={"title": "after the restart"})
    expect(page.locator("#task-list .task-title")).to_have_text(["call mom", "after the restart"])
    screenshot(page, "10-live-again")
    assert page.errors == []  # type: ignore[attr-defined]
