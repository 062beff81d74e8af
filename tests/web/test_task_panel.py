"""The task panel: search, delete that asks first, and editing a task in place."""

import re

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.web.conftest import open_app, sign_up

pytestmark = pytest.mark.browser


def test_search_delete_with_confirmation_and_inline_edit(context: BrowserContext) -> None:
    sign_up(context)
    for title in ("buy milk", "call mom", "buy oat milk for the office"):
        assert context.request.post("/api/tasks", data={"title": title}).ok
    page = open_app(context)
    titles = page.locator("#task-list .task-title")
    expect(titles).to_have_text(["buy milk", "call mom", "buy oat milk for the office"])

    search = page.get_by_label("Search tasks")
    search.fill("MILK")
    expect(titles).to_have_text(["buy milk", "buy oat milk for the office"])
    search.fill("dentist")
    expect(titles).to_have_count(0)
    expect(page.locator("#task-empty")).to_have_text("No tasks match “dentist”.")
    search.fill("")
    expect(titles).to_have_count(3)

    row = page.locator("#task-list .task").filter(has_text="call mom")
    delete = row.get_by_role("button", name="Delete task #2")
    delete.click()
    expect(delete).to_have_text("Sure?")
    expect(titles).to_have_count(3)  # the first click only asks
    delete.click()
    expect(titles).to_have_text(["buy milk", "buy oat milk for the office"])
    page.reload()
    expect(titles).to_have_text(["buy milk", "buy oat milk for the office"])

    page.get_by_role("button", name="Edit task #1").click()
    page.get_by_label("New title for task #1").fill("buy whole milk")
    page.get_by_label("Description of task #1").fill("two litres, from the corner shop")
    page.get_by_role("button", name="Save").click()
    first = page.locator("#task-list .task").first
    expect(first.locator(".task-title")).to_have_text("buy whole milk")
    expect(first.locator(".task-description")).to_have_text("two litres, from the corner shop")

    page.get_by_role("button", name="Edit task #1").click()
    page.get_by_label("New title for task #1").fill("something else")
    page.get_by_label("New title for task #1").press("Escape")
    expect(first.locator(".task-title")).to_have_text("buy whole milk")
    stored = context.request.get("/api/tasks").json()["items"][0]
    assert (stored["title"], stored["description"]) == (
        "buy whole milk",
        "two litres, from the corner shop",
    )
    assert page.errors == []  # type: ignore[attr-defined]


def test_details_show_as_chips_and_every_field_edits_in_place(context: BrowserContext) -> None:
    sign_up(context)
    task = {"title": "file taxes", "due": "2020-04-15", "priority": 1, "labels": ["money"]}
    assert context.request.post("/api/tasks", data={**task, "list": "Admin"}).ok
    page = open_app(context)
    chips = page.locator("#task-list .task").first.locator(".chip")
    expect(chips).to_have_text([re.compile(r"^Overdue · "), "P1 urgent", "Admin", "#money"])
    expect(chips.first).to_have_class(re.compile(r"\boverdue\b"))

    page.get_by_role("button", name="Edit task #1").click()
    page.get_by_label("Due date of task #1").fill("2031-01-20")
    page.get_by_label("Priority of task #1").select_option("3")
    page.get_by_label("List of task #1").fill("")
    page.get_by_label("Labels of task #1").fill("Money, #home")
    page.get_by_label("New title for task #1").press("Enter")
    expect(chips).to_have_text([re.compile(r"^Due "), "P3 medium", "#money", "#home"])
    stored = context.request.get("/api/tasks").json()["items"][0]
    assert (stored["due"], stored["priority"], stored["list"], stored["labels"]) == (
        "2031-01-20",
        3,
        None,
        ["money", "home"],
    )
    assert page.errors == []  # type: ignore[attr-defined]
