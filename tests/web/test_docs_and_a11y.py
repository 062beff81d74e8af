"""The API docs work with no internet, and the page passes axe-core's accessibility rules."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.support.service import ServiceProcess
from tests.web.conftest import open_app, send, sign_up

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def offline(context: BrowserContext) -> list[str]:
    """Refuse every request that leaves this machine; returns the refused URLs."""
    refused: list[str] = []

    def guard(route: Route) -> None:
        if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return refused


def test_api_docs_render_without_internet(context: BrowserContext) -> None:
    refused = offline(context)
    page = context.new_page()
    page.goto("/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("tasklive")
    expect(page.locator(".opblock-summary-path", has_text="/api/tasks").first).to_be_visible()
    assert refused == []


def axe_violations(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
          const result = await axe.run(document, {resultTypes: ['violations']});
          return result.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
          }));
        }"""
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_page_has_no_axe_violations(
    browser: Browser, service: ServiceProcess, scheme: str
) -> None:
    # The test injects axe-core itself, so it steps around the page's strict CSP.
    context = browser.new_context(
        base_url=service.url,
        viewport={"width": 1280, "height": 800},
        color_scheme=scheme,  # type: ignore[arg-type]
        bypass_csp=True,
    )
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto("/")
        expect(page.locator("#auth-view")).to_be_visible()
        violations = axe_violations(page)
        assert violations == [], json.dumps(violations, indent=2)

        sign_up(context)
        for priority in (1, 2):
            details = {
                "due": "2020-01-01",
                "priority": priority,
                "labels": ["home"],
                "list": "Errands",
            }
            assert context.request.post("/api/tasks", data={"title": "pay rent", **details}).ok
        page = open_app(context)
        send(page, "add a task to **buy** milk")
        expect(page.locator("#messages .run .message.assistant .bubble")).not_to_be_empty()
        expect(page.locator("#task-list .task")).to_have_count(3)
        page.get_by_label("New task title").fill("pay rent tomorrow p2 #home")
        expect(page.locator("#quick-recognised .quick-chip")).to_have_count(3)
        violations = axe_violations(page)
        assert violations == [], json.dumps(violations, indent=2)

        assert context.request.post("/api/auth/tokens", data={"name": "laptop"}).ok
        page.get_by_role("button", name="Settings").click()
        expect(page.locator("#settings")).to_have_attribute("data-state", "ready")
        expect(page.locator("#token-list .token")).to_have_count(1)
        violations = axe_violations(page)
        assert violations == [], json.dumps(violations, indent=2)
    finally:
        context.close()
