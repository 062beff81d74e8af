"""The "Add a task" box reads the line as you type it (highlights, chips) and Enter creates it."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import BrowserContext, Route, expect

from tests.web.conftest import open_app, screenshot, sign_up

pytestmark = pytest.mark.browser

LINE = "call the landlord tomorrow at 5pm p1 #home"

SCROLLED_TOGETHER = """() => {
  const input = document.getElementById("new-task-title");
  const mirror = document.getElementById("quick-mirror");
  return input.scrollLeft > 0 && input.scrollLeft === mirror.scrollLeft;
}"""


def stored_tasks(context: BrowserContext) -> list[dict]:
    return context.request.get("/api/tasks").json()["items"]


def test_typing_highlights_what_is_recognised_and_enter_creates_the_task(
    context: BrowserContext,
) -> None:
    sign_up(context)
    page = open_app(context)
    box = page.get_by_label("New task title")
    previews: list[str] = []
    page.on("request", lambda r: previews.append(r.url) if r.url.endswith("/preview") else None)
    # The page's clock stands still while typing: the reader is asked once the typing pauses.
    page.clock.install()
    page.clock.pause_at(datetime.now(UTC) + timedelta(seconds=1))
    box.press_sequentially(LINE)
    assert previews == []
    page.clock.run_for(1000)

    marks = page.locator("#quick-mirror mark")
    expect(marks).to_have_text(["tomorrow at 5pm", "p1", "#home"])
    assert marks.evaluate_all("ms => ms.map((m) => m.dataset.kind)") == ["due", "priority", "label"]
    # The mirror behind the input holds the same text, so each mark sits under its words.
    expect(page.locator("#quick-mirror")).to_have_text(LINE)
    chips = page.locator("#quick-recognised .quick-chip")
    expect(chips).to_have_text(
        [re.compile(r"^Due .*\b5[:.]00|^Due .*\b17[:.]00"), "P1 urgent", "#home"]
    )
    # Screen readers hear it: the input is described by the recognised list, a polite live region.
    assert box.get_attribute("aria-describedby") == "quick-recognised"
    assert page.locator("#quick-recognised").get_attribute("aria-live") == "polite"
    expect(page.locator("#quick-recognised")).to_contain_text("Recognised: Due")
    screenshot(page, "quick-add-highlights")
    # One preview for the whole line, and it wrote nothing.
    assert len(previews) == 1
    assert stored_tasks(context) == []

    box.press("Enter")
    row = page.locator("#task-list .task").first
    expect(row.locator(".task-title")).to_have_text("call the landlord")
    expect(row.locator(".chip")).to_have_text([re.compile("^Due "), "P1 urgent", "#home"])
    expect(box).to_have_value("")
    expect(marks).to_have_count(0)
    expect(chips).to_have_count(0)
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    [task] = stored_tasks(context)
    assert (task["title"], task["priority"], task["labels"]) == ("call the landlord", 1, ["home"])
    assert task["due"].startswith(f"{tomorrow}T17:00")  # the account's zone is UTC
    assert page.errors == []  # type: ignore[attr-defined]


def test_editing_the_line_moves_the_highlights_and_a_line_that_is_no_task_says_why(
    context: BrowserContext,
) -> None:
    sign_up(context)
    held: list[Route] = []
    task_list = re.compile(r"/api/tasks\?")
    # The first load of the list waits until the test lets it go; later ones pass.
    context.route(task_list, lambda route: route.continue_() if held else held.append(route))
    page = open_app(context)
    box = page.get_by_label("New task title")
    marks = page.locator("#quick-mirror mark")
    # Typing in the box while the page is still loading: the end of loading leaves focus there.
    box.press_sequentially("water")
    if not held:
        page.wait_for_event("request", lambda request: "/api/tasks?" in request.url)
    held[0].continue_()
    expect(page.locator("#task-empty")).to_be_visible()
    expect(box).to_be_focused()
    box.press_sequentially(" the plants p2")
    expect(box).to_have_value("water the plants p2")
    box.fill("water the plants p2")
    expect(marks).to_have_text(["p2"])
    box.fill("water the plants p2 #garden")
    expect(marks).to_have_text(["p2", "#garden"])
    # Between one answer and the next, the highlights move with their words.
    page.clock.install()
    page.clock.pause_at(datetime.now(UTC) + timedelta(seconds=1))
    box.press("Home")
    box.press_sequentially("go ")
    expect(page.locator("#quick-mirror")).to_have_text("go water the plants p2 #garden")
    expect(marks).to_have_text(["p2", "#garden"])
    box.press("End")
    box.press("Backspace")
    expect(marks).to_have_text(["p2"])  # an edited span goes until the reader answers again
    page.clock.resume()
    expect(marks).to_have_text(["p2", "#garde"])
    # Spans count characters as the service does: after an emoji they still sit on their words.
    box.fill("coffee with Ana 🎉 at 11 on tuesday #social")
    expect(marks).to_have_text(["at 11", "on tuesday", "#social"])
    expect(page.locator("#quick-recognised .quick-chip")).to_have_text(
        [re.compile(r"^Due .*11[:.]00"), "#social"]
    )
    box.fill("water the plants")
    expect(marks).to_have_count(0)
    expect(page.locator("#quick-recognised .quick-chip")).to_have_count(0)

    # A line longer than the box scrolls inside it, and the highlights scroll along.
    long_line = "sort the receipts from the trip to Lisbon for the expense report p3 #work"
    box.fill(long_line)
    box.press("End")
    expect(marks).to_have_text(["p3", "#work"])
    page.wait_for_function(SCROLLED_TOGETHER)
    screenshot(page, "quick-add-scrolled")

    box.fill("what is on my list?")
    box.press("Enter")
    expect(page.locator("#task-error")).not_to_be_empty()
    expect(box).to_have_value("what is on my list?")  # kept, to fix it
    assert stored_tasks(context) == []
    box.fill("water the plants p2")
    box.press("Enter")
    expect(page.locator("#task-list .task-title")).to_have_text(["water the plants"])
    expect(page.locator("#task-error")).to_be_empty()
    assert page.errors == []  # type: ignore[attr-defined]
