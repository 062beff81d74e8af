"""Settings: import a file after seeing its dry run, export links, and deleting the account."""

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.support.service import ServiceProcess
from tests.tasks.transfer.test_todoist import FIXTURES
from tests.web.conftest import PASSWORD, open_app, screenshot, sign_up

pytestmark = pytest.mark.browser


def test_import_shows_the_dry_run_then_imports_and_delete_offers_the_export_first(
    context: BrowserContext, service: ServiceProcess
) -> None:
    sign_up(context)
    page = open_app(context)
    page.get_by_role("button", name="Settings").click()
    dialog = page.get_by_role("dialog", name="Settings")
    expect(dialog).to_have_attribute("data-state", "ready")

    dialog.get_by_label("File format").select_option("todoist")
    dialog.get_by_label("File to import").set_input_files(str(FIXTURES / "todoist_template.csv"))
    dialog.get_by_role("button", name="Check file").click()
    status = dialog.locator("#import-status")
    expect(status).to_have_text("Would create 6 tasks.")
    assert context.request.get("/api/tasks").json()["total"] == 0  # the dry run changed nothing
    screenshot(page, "settings-import-dry-run")
    dialog.get_by_role("button", name="Import", exact=True).click()
    expect(status).to_have_text("Created 6 tasks.")
    expect(page.locator("#task-list .task")).to_have_count(6)

    export = dialog.get_by_role("link", name="Everything (tasklive JSON)")
    with page.expect_download() as download:
        export.click()
    assert download.value.suggested_filename.endswith(".json")

    dialog.get_by_role("button", name="Delete account…").click()
    expect(dialog.get_by_role("link", name="Download everything first")).to_be_visible()
    delete = dialog.get_by_role("button", name="Delete my account")
    dialog.get_by_label("Your password").fill(PASSWORD)
    dialog.get_by_label("Type DELETE to confirm").fill("delete")
    expect(delete).to_be_disabled()
    dialog.get_by_label("Type DELETE to confirm").fill("DELETE")
    delete.click()
    expect(page.locator("#auth-view")).to_be_visible()
    expect(page.get_by_text("Your account and all its data were deleted.")).to_be_visible()
    assert context.request.get("/api/auth/session").status == 401
    assert page.errors == []  # type: ignore[attr-defined]
