"""One account on two devices (two browser profiles): the chat follows the user across them."""

import re
import time

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.support.service import ServiceProcess
from tests.web.conftest import (
    hold_server_frames,
    open_app,
    second_device,
    send,
    two_conversations,
)

pytestmark = pytest.mark.browser


def test_a_new_device_opens_the_latest_conversation_and_sees_runs_elsewhere_live(
    browser: Browser, service: ServiceProcess, context: BrowserContext
) -> None:
    account, laptop = two_conversations(context)

    phone_context = second_device(browser, service, account["email"])
    held, sockets = hold_server_frames(phone_context, lambda text, _: '"agent_done"' in text)
    try:
        phone = open_app(phone_context)
        expect(phone.locator("#chat-heading")).to_have_text(re.compile("call mom"))
        expect(phone.locator("#messages .message.user .bubble")).to_have_text(
            ["add a task to call mom"]
        )

        # The laptop writes in the other conversation; the phone's list shows it live.
        laptop.locator("#conversation-list .conversation-open", has_text="buy milk").click()
        send(laptop, "add a task to water the plants")
        expect(laptop.locator("#messages .run .message.assistant .bubble").last).to_contain_text(
            "water the plants"
        )
        other = phone.locator("#conversation-list .conversation", has_text="buy milk")
        expect(other.locator(".badge.live")).to_have_text("Replying now")

        # Opening it shows where the conversation is; the badge goes when the run ends.
        other.locator(".conversation-open").click()
        expect(phone.locator("#messages .message.user .bubble").last).to_have_text(
            "add a task to water the plants"
        )
        expect(phone.locator("#messages .message.assistant .bubble").last).to_contain_text(
            "water the plants"
        )
        deadline = time.monotonic() + 15
        while not held:
            assert time.monotonic() < deadline, "the run never ended"
            phone.wait_for_timeout(50)
        for frame in held:
            sockets[0].send(frame)
        expect(other.locator(".badge.live")).to_have_count(0)
        expect(phone.locator("#task-list .task-title")).to_have_text(
            ["buy milk", "call mom", "water the plants"]
        )
        assert phone.errors == []  # type: ignore[attr-defined]
    finally:
        phone_context.close()
