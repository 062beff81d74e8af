"""The task panel: search, delete, editing in place, views, the list filter, reminders."""

import re
from datetime import UTC, datetime, timedelta

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
    # Undo brings it back with its number, through the activity log.
    deleted = page.locator("#toasts .toast", has_text="Deleted task #2")
    deleted.get_by_role("button", name="Undo").click()
    expect(titles).to_have_text(["buy milk", "call mom", "buy oat milk for the office"])
    expect(row.locator(".task-number")).to_have_text("#2")
    # Once something else has changed, Undo says so instead of undoing that change.
    delete.click()
    delete.click()
    expect(deleted).to_have_count(1)
    assert context.request.post("/api/tasks", data={"title": "made elsewhere"}).ok
    expect(titles).to_have_count(3)
    deleted.get_by_role("button", name="Undo").click()
    expect(page.locator("#toasts .toast")).to_contain_text(["other changes came after it"])
    assert context.request.delete(f"/api/tasks/{task_id(context, 4)}").status == 204
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


def test_views_list_filter_and_a_reminder_toast_on_every_tab(context: BrowserContext) -> None:
    sign_up(context)
    today = datetime.now(UTC).date()  # the account's time zone, and the browser's
    for task in (
        {"title": "file taxes", "due": "2020-04-15", "list": "Admin"},
        {"title": "pay rent", "due": today.isoformat(), "list": "Home"},
        {"title": "book flights", "due": (today + timedelta(days=30)).isoformat()},
        {"title": "call mom"},
    ):
        assert context.request.post("/api/tasks", data=task).ok
    context.add_init_script(RECORD_NOTIFICATIONS)
    page = open_app(context)
    titles = page.locator("#task-list .task-title")
    expect(titles).to_have_text(["file taxes", "pay rent", "book flights", "call mom"])
    overdue = page.locator("#task-list .task").first.locator(".chip.due")
    expect(overdue).to_have_class(re.compile(r"\boverdue\b"))
    expect(overdue).to_have_css("color", "rgb(192, 53, 43)")  # the danger red

    for view, shown in (
        ("Today", ["pay rent"]),
        ("Overdue", ["file taxes"]),
        ("Upcoming", ["book flights"]),
    ):
        page.locator(".filter.views").get_by_text(view, exact=True).click()
        expect(titles).to_have_text(shown)
    page.locator(".filter.views").get_by_text("Today", exact=True).click()
    expect(titles).to_have_text(["pay rent"])
    # A change made elsewhere is judged again by the service: due today now, so it shows.
    assert context.request.patch(f"/api/tasks/{task_id(context, 4)}", data={"due": str(today)}).ok
    expect(titles).to_have_text(["pay rent", "call mom"])
    page.locator(".filter.views").get_by_text("Any time", exact=True).click()
    lists = page.get_by_label("List", exact=True)
    lists.select_option("Home")
    expect(titles).to_have_text(["pay rent"])
    lists.select_option("")
    expect(titles).to_have_count(4)

    enable = page.get_by_role("button", name="Enable reminders")
    expect(enable).to_be_visible()
    context.grant_permissions(["notifications"])
    enable.click()
    expect(enable).to_be_hidden()
    other = open_app(context)
    soon = (datetime.now(UTC) + timedelta(seconds=2)).isoformat()
    assert context.request.post("/api/tasks", data={"title": "stretch", "remind_at": soon}).ok
    for tab in (page, other):
        expect(tab.locator("#toasts .toast")).to_have_text([re.compile("Reminder: #5 stretch")])
    assert page.evaluate("window.shownNotifications") == ["Reminder: #5 stretch"]
    page.locator("#toasts").get_by_role("button", name=re.compile("^Dismiss")).click()
    expect(page.locator("#toasts .toast")).to_have_count(0)
    assert page.errors == [] and other.errors == []  # type: ignore[attr-defined]


RECORD_NOTIFICATIONS = """
window.shownNotifications = [];
if (window.Notification) {
  const Real = window.Notification;
  window.Notification = class extends Real {
    constructor(title, options) {
      window.shownNotifications.push(options && options.body);
      super(title, options);
    }
  };
}
"""


def task_id(context: BrowserContext, number: int) -> str:
    items = context.request.get("/api/tasks?limit=200").json()["items"]
    return next(t["id"] for t in items if t["number"] == number)
