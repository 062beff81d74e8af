"""The Settings dialog: tokens that work until revoked, asking before deletes, the feed link."""

import uuid

import httpx
import pytest
from playwright.sync_api import BrowserContext, expect

from tests.support.service import ServiceProcess
from tests.web.conftest import PASSWORD, screenshot

pytestmark = pytest.mark.browser


ZONE = "America/New_York"


@pytest.mark.parametrize("context", [ZONE], indirect=True)
def test_settings_make_and_revoke_a_token_ask_first_and_replace_the_feed(
    context: BrowserContext, service: ServiceProcess
) -> None:
    # Signing up on the page stores the browser's time zone.
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.errors.append(str(error)))  # type: ignore[attr-defined]
    page.goto("/")
    page.get_by_role("button", name="Create an account").click()
    form = page.locator("#sign-up-form")
    form_email = f"settings-{uuid.uuid4().hex[:10]}@example.com"
    form.get_by_label("Email").fill(form_email)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Create account").click()
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    assert context.request.get("/api/auth/me").json()["timezone"] == ZONE

    page.get_by_role("button", name="Settings").click()
    dialog = page.get_by_role("dialog", name="Settings")
    expect(dialog).to_have_attribute("data-state", "ready")
    expect(dialog.locator("#token-empty")).to_be_visible()
    # Where a phone's task app connects (CalDAV), next to the tokens it signs in with.
    caldav = dialog.get_by_role("textbox", name="CalDAV server address")
    expect(caldav).to_have_value(f"{service.url}/caldav/")
    expect(dialog.locator("#caldav-user")).to_have_text(form_email)

    # A blank name is refused with a plain sentence, and nothing is made.
    dialog.get_by_label("New token name").fill("   ")
    dialog.get_by_role("button", name="Create token").click()
    expect(dialog.locator("#token-error")).to_contain_text("Give the token a name")

    dialog.get_by_label("New token name").fill("laptop MCP")
    dialog.get_by_role("button", name="Create token").click()
    expect(dialog.locator("#token-new")).to_contain_text("won't be shown again")
    expect(dialog.locator("#token-list .token-name")).to_have_text(["laptop MCP"])
    expect(dialog.locator("#token-error")).to_be_empty()
    token = dialog.get_by_label("New token", exact=True).input_value()
    assert token
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    dialog.get_by_role("button", name="Copy new token").click()
    expect(dialog.get_by_role("button", name="Copy new token")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == token
    screenshot(page, "settings-new-token")

    bearer = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=service.url, timeout=10) as client:
        assert client.get("/api/tasks", headers=bearer).status_code == 200

        revoke = dialog.get_by_role("button", name="Revoke token laptop MCP")
        revoke.click()
        expect(revoke).to_have_text("Sure?")
        revoke.click()
        expect(dialog.locator("#token-list .token")).to_have_count(0)
        expect(dialog.locator("#token-new")).to_be_hidden()
        assert client.get("/api/tasks", headers=bearer).status_code == 401

        # Asking before single deletes is stored on the account.
        ask = dialog.get_by_label("Ask before deleting a single task")
        expect(ask).not_to_be_checked()
        ask.check()
        expect(page.locator("#announcer")).to_have_text("Chat will ask before deleting a task")
        assert context.request.get("/api/auth/me").json()["approve_deletes"] is True

        # Replacing the calendar link asks first; then the old link answers 404.
        old_feed = dialog.get_by_role("textbox", name="Calendar feed link").input_value()
        assert client.get(old_feed).status_code == 200
        replace = dialog.locator("#replace-feed")
        expect(replace).to_have_text("Replace link")
        replace.click()
        expect(replace).to_contain_text("old link stops working")
        replace.click()
        expect(dialog.get_by_role("textbox", name="Calendar feed link")).not_to_have_value(old_feed)
        new_feed = dialog.get_by_role("textbox", name="Calendar feed link").input_value()
        assert client.get(old_feed).status_code == 404
        assert client.get(new_feed).status_code == 200
    assert context.request.get("/api/auth/me").json()["calendar_feed_url"] == new_feed

    # The time zone shows the account's, saves another, and offers the browser's back.
    expect(dialog.locator("#timezone-current")).to_have_text(f"Your account uses {ZONE}.")
    expect(dialog.locator("#timezone-browser")).to_be_hidden()
    dialog.get_by_role("combobox", name="Time zone").select_option("Europe/Berlin")
    dialog.locator("#timezone-form").get_by_role("button", name="Save").click()
    expect(dialog.locator("#timezone-current")).to_have_text("Your account uses Europe/Berlin.")
    assert context.request.get("/api/auth/me").json()["timezone"] == "Europe/Berlin"
    dialog.get_by_role("button", name=f"Use this browser's zone ({ZONE})").click()
    expect(dialog.locator("#timezone-current")).to_have_text(f"Your account uses {ZONE}.")
    expect(dialog.get_by_role("combobox", name="Time zone")).to_have_value(ZONE)
    assert context.request.get("/api/auth/me").json()["timezone"] == ZONE

    # Escape closes the dialog and gives focus back to the Settings button.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Settings")).to_be_focused()
    assert page.errors == []  # type: ignore[attr-defined]
