"""Approval cards: a bulk delete waits for Approve or Deny, shown and answerable on every tab."""

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.web.conftest import open_app, screenshot, send, sign_up

pytestmark = pytest.mark.browser


def add_tasks(context: BrowserContext, *titles: str) -> None:
    for title in titles:
        assert context.request.post("/api/tasks", data={"title": title}).ok


def card(page: Page):
    return page.locator("#messages .run .approval").last


def test_a_bulk_delete_asks_every_tab_and_any_tab_answers(context: BrowserContext) -> None:
    sign_up(context)
    add_tasks(context, "buy milk", "call mom")
    laptop = open_app(context)
    expect(laptop.locator("#task-list .task-title")).to_have_count(2)

    send(laptop, "delete all my tasks")
    expect(card(laptop)).to_have_attribute("data-state", "pending")
    expect(card(laptop).locator(".approval-question")).to_have_text("Delete all your tasks?")
    expect(laptop.locator("#task-list .task-title")).to_have_count(2)  # nothing happens yet

    # A tab opened now joins mid-run: the card is still open there, with its buttons.
    phone = open_app(context)
    expect(card(phone)).to_have_attribute("data-state", "pending")
    screenshot(phone, "approval-card")
    card(phone).get_by_role("button", name="Approve").click()
    for tab in (laptop, phone):
        expect(card(tab)).to_have_attribute("data-state", "approved")
        expect(card(tab).get_by_role("button")).to_have_count(0)
        expect(card(tab)).to_contain_text("Approved")
        expect(tab.locator("#messages .run").last).to_have_class("run finished")
        expect(tab.locator("#task-list .task-title")).to_have_count(0)
    assert context.request.get("/api/tasks").json()["total"] == 0

    # Deny, from the tab that asked: both tabs show it and the tasks stay.
    add_tasks(context, "water the plants")
    expect(phone.locator("#task-list .task-title")).to_have_text(["water the plants"])
    send(laptop, "delete all my tasks")
    expect(card(phone)).to_have_attribute("data-state", "pending")
    expect(laptop.locator("#messages .approval")).to_have_count(2)
    card(laptop).get_by_role("button", name="Deny").click()
    for tab in (laptop, phone):
        expect(card(tab)).to_have_attribute("data-state", "denied")
        expect(card(tab)).to_contain_text("Denied")
        expect(tab.locator("#messages .run").last).to_have_class("run finished")
        expect(tab.locator("#task-list .task-title")).to_have_text(["water the plants"])
    assert context.request.get("/api/tasks").json()["total"] == 1

    # After a reload the past runs keep their step lists, stored with their replies.
    laptop.reload()
    steps = laptop.locator("#messages .run.finished .step")
    expect(steps).to_have_count(2)
    expect(steps.first).to_have_attribute("data-state", "ok")
    expect(steps.first).to_contain_text("Deleted 2 tasks")
    expect(steps.last).to_have_attribute("data-state", "failed")
    expect(steps.last).to_contain_text("the answer was no")

    # A tab showing another conversation says which one waits for an answer; opening it shows
    # the card.
    laptop.get_by_role("button", name="New", exact=True).click()
    send(phone, "delete all my tasks")
    waiting = laptop.locator("#conversation-list .conversation .badge.live")
    expect(waiting).to_have_text("Needs your approval")
    laptop.locator("#conversation-list .conversation-open").first.click()
    card(laptop).get_by_role("button", name="Deny").click()
    expect(card(phone)).to_have_attribute("data-state", "denied")
    expect(waiting).to_have_count(0)
    assert laptop.errors == [] and phone.errors == []  # type: ignore[attr-defined]


def test_without_a_websocket_the_card_comes_by_sse_and_the_answer_goes_by_http(
    context: BrowserContext,
) -> None:
    sign_up(context)
    add_tasks(context, "buy milk")
    context.route_web_socket(re.compile(r"/ws/"), lambda socket: socket.close())
    page = open_app(context)
    expect(page.locator("#connection-text")).to_have_text("Live (fallback stream)")
    send(page, "delete all my tasks")
    with page.expect_request(re.compile(r"/approvals/")) as answered:
        card(page).get_by_role("button", name="Approve").click()
    assert answered.value.method == "POST"
    expect(card(page)).to_have_attribute("data-state", "approved")
    expect(page.locator("#messages .run").last).to_have_class("run finished")
    expect(page.locator("#task-list .task-title")).to_have_count(0)
    assert page.errors == []  # type: ignore[attr-defined]
