"""Replies as people read them: Markdown that is safe, a copy button, no leftover "Thinking"."""

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.web.conftest import open_app, screenshot, send, sign_up

pytestmark = pytest.mark.browser

PAYLOADS = (
    "<script>window.__pwned = 'script'</script>",
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    "[click me](javascript:window.__pwned='link')",
)


def test_markdown_renders_and_html_payloads_stay_inert(context: BrowserContext) -> None:
    sign_up(context)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = open_app(context)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    reply = page.locator("#messages .run .message.assistant .bubble")

    send(page, "add a task to call the `plumber`")
    expect(reply.locator("code")).to_have_text("plumber")

    for payload in PAYLOADS:
        send(page, f"add a task to {payload}")
    expect(page.locator("#task-list .task")).to_have_count(4)
    expect(reply).to_have_count(4)
    expect(reply.nth(1)).to_contain_text("<script>window.__pwned = 'script'</script>")
    expect(reply.nth(2)).to_contain_text("<img src=x onerror=")
    link = reply.nth(3).locator("a")
    if link.count():
        assert (link.get_attribute("href") or "").startswith("javascript:") is False
        link.click()
    assert page.locator("#messages script, #messages img, #messages [onerror]").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    screenshot(page, "replies-markdown")

    copy = page.locator("#messages .run .message.assistant").first.get_by_role(
        "button", name="Copy reply"
    )
    copy.click()
    expect(copy).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "`plumber`" in copied  # the Markdown source, not the HTML
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_reply_without_tools_keeps_no_progress_steps(context: BrowserContext) -> None:
    sign_up(context)
    page = open_app(context)
    send(page, "hello")
    run = page.locator("#messages .run").last
    expect(run).to_have_class("run finished")
    expect(run.locator(".message.assistant .bubble")).not_to_be_empty()
    expect(run.locator(".step")).to_have_count(0)

    send(page, "add a task to water the plants")
    run = page.locator("#messages .run").last
    expect(run).to_have_class("run finished")
    expect(run.locator(".step")).to_have_count(1)
    expect(run.locator(".step")).to_contain_text("water the plants")
    # A waiting step appears only after half a second, so a quick run never flashes it.
    delay = page.evaluate(
        """() => {
          const probe = document.createElement('li');
          probe.className = 'step waiting';
          document.querySelector('#messages .run .steps').append(probe);
          const delay = getComputedStyle(probe).animationDelay;
          probe.remove();
          return delay;
        }"""
    )
    assert delay == "0.5s"
