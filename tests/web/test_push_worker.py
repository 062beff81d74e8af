"""The installable page in Chromium: the manifest and service worker register, and a pushed
reminder shows a notification whose Done completes the task with no tab of the page open."""

import json
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError

from tests.support.service import ServiceProcess, offline_env
from tests.web.conftest import ARTIFACTS, PASSWORD, open_app, second_device, sign_up


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    """A service that accepts push endpoints on 127.0.0.1 (none is ever sent to here)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    env = {**offline_env(tmp_path_factory.mktemp("push-web")), "TASKLIVE_PUSH_ALLOW_HTTP": "true"}
    with ServiceProcess(env, log_path=ARTIFACTS / "push-service.log") as running:
        yield running


@pytest.fixture
def installable(browser: Browser, service: ServiceProcess) -> Iterator[BrowserContext]:
    """A profile that runs service workers and may show notifications."""
    context = browser.new_context(base_url=service.url, service_workers="allow")
    context.grant_permissions(["notifications"], origin=service.url)
    context.set_default_timeout(60_000)  # a bound for a broken worker, not a timing check
    yield context
    context.close()


def _eventually(page: Page, check: Any, timeout: float = 60.0) -> Any:
    """The first truthy answer of `check`, while `page`'s waits let Playwright's events in;
    the deadline only bounds a broken worker (a loaded 2-core runner takes seconds to start one)."""
    deadline = time.monotonic() + timeout
    while not (answer := check()):
        assert time.monotonic() < deadline, "timed out"
        page.wait_for_timeout(100)
    return answer


def _subscribe_stand_in(page: Page, endpoint: str = "http://127.0.0.1:9/push/stand-in") -> Any:
    """Subscribe through the API with a stand-in endpoint (the browser's own push service is
    out of reach offline) and keep the credential as the page does after subscribing."""
    return page.evaluate(
        """async (endpoint) => {
            const body = {endpoint, keys: {
                p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1Xbj"
                    + "hazAkj7I99e8QcYP7DkM", auth: "tBHItJI5svbpez7KI4CCXg"}};
            const made = await (await fetch("/api/push/subscriptions", {method: "POST",
                headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)})).json();
            const push = await import("/static/push.js");
            await push.rememberCredential({id: made.id, credential: made.credential,
                endpoint: made.endpoint, public_key: ""});
            return made;
        }""",
        endpoint,
    )


def test_the_page_installs_and_a_pushed_reminders_done_works_with_no_tab_open(installable):
    sign_up(installable)
    page = open_app(installable)
    activated = page.evaluate(
        """async () => {
            const worker = (await navigator.serviceWorker.ready).active;
            while (worker.state !== "activated") {
                await new Promise((done) => worker.addEventListener("statechange", done));
            }
            return worker.scriptURL;
        }"""
    )
    assert activated.endswith("/sw.js")
    cdp = installable.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith("/manifest.webmanifest") and manifest["errors"] == []
    # A Playwright context is an incognito profile, which Chrome never offers to install from.
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []

    # The browser's own push service is out of reach offline: subscribe through the API with a
    # stand-in endpoint and keep the credential as the page does after subscribing.
    subscription = _subscribe_stand_in(page)
    task = installable.request.post("/api/tasks", data={"title": "leave for the airport"}).json()

    blank = installable.new_page()  # no tab of the page: CDP needs some target to talk through
    page.close()
    devtools = installable.new_cdp_session(blank)
    registrations: list[dict[str, Any]] = []
    devtools.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    devtools.send("ServiceWorker.enable")
    registration = _eventually(
        blank, lambda: next((r for r in registrations if not r["isDeleted"]), None)
    )
    payload = {
        "type": "reminder", "task_id": task["id"], "number": task["number"],
        "title": task["title"], "message": f"Reminder: #1 {task['title']}",
        "url": f"/#task={task['id']}",
    }  # fmt: skip
    push = {
        "origin": registration["scopeURL"].rstrip("/"),
        "registrationId": registration["registrationId"],
        "data": json.dumps(payload),
    }
    devtools.send("ServiceWorker.deliverPushMessage", push)
    tried = [time.monotonic()]

    def notifications() -> Any:
        # Chromium sometimes drops a push that races the worker's restart after the last tab
        # closed (a push service would send it again): deliver it again until one shows.
        if time.monotonic() - tried[-1] > 5:
            devtools.send("ServiceWorker.deliverPushMessage", push)
            tried.append(time.monotonic())
        workers = installable.service_workers
        if not workers:
            return None
        try:
            return workers[-1].evaluate(
                """async () => (await self.registration.getNotifications()).map((n) => ({
                    title: n.title, body: n.body, tag: n.tag,
                    actions: n.actions.map((a) => a.title)}))"""
            )
        except PlaywrightError:  # that worker instance was stopped: ask the next one
            return None

    shown = _eventually(blank, notifications)
    worker = installable.service_workers[-1]
    assert shown == [
        {
            "title": "Reminder",
            "body": "#1 leave for the airport",
            "tag": f"reminder-{task['id']}",
            "actions": ["Done", "Snooze 10 min"],
        }
    ]

    # DevTools cannot click a notification's button: the worker is handed the click the browser
    # would dispatch (a NotificationEvent with action "done" for that notification).
    worker.evaluate(
        """async () => {
            const [notification] = await self.registration.getNotifications();
            self.dispatchEvent(new NotificationEvent("notificationclick",
                {notification, action: "done"}));
        }"""
    )
    done = _eventually(
        blank, lambda: installable.request.get(f"/api/tasks/{task['id']}").json()["completed"]
    )
    assert done is True
    assert [p.url for p in installable.pages] == ["about:blank"]
    assert subscription["credential"].startswith("tlw_")
    expect(blank).to_have_url("about:blank")


def test_signing_out_stops_reminders_on_this_browser(installable, browser, service):
    account = sign_up(installable)
    page = open_app(installable)
    page.evaluate("navigator.serviceWorker.ready")
    phone = second_device(browser, service, account["email"])
    other = phone.request.post(
        "/api/push/subscriptions",
        data={"endpoint": "http://127.0.0.1:9/push/other-device", "keys": {
            "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1Xbj"
            "hazAkj7I99e8QcYP7DkM", "auth": "tBHItJI5svbpez7KI4CCXg"}},
    ).json()  # fmt: skip
    mine = _subscribe_stand_in(page, "http://127.0.0.1:9/push/this-browser")
    # Offline, the browser's PushManager has no subscription: stand in one for this endpoint.
    page.evaluate(
        """(endpoint) => {
            window.unsubscribed = false;
            const stand_in = {endpoint, unsubscribe: async () => (window.unsubscribed = true)};
            PushManager.prototype.getSubscription = async () => stand_in;
        }""",
        mine["endpoint"],
    )
    task = installable.request.post("/api/tasks", data={"title": "leave for the airport"}).json()

    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("#auth-notice")).to_have_text(re.compile("signed out"))
    assert page.evaluate("window.unsubscribed") is True
    kept = page.evaluate(
        """async () => (await (await caches.open("tasklive-push")).match("/push-credential"))
            ?.text() ?? null"""
    )
    assert kept is None
    worker = {"Authorization": f"Bearer {mine['credential']}"}
    done = installable.request.post(f"/api/push/actions/{task['id']}/done", headers=worker)
    assert done.status == 401  # Done on an old notification no longer acts for the account
    signed_in = installable.request.post(
        "/api/auth/sign-in", data={"email": account["email"], "password": PASSWORD}
    )
    assert signed_in.ok
    listed = installable.request.get("/api/push/subscriptions").json()
    assert [s["id"] for s in listed] == [other["id"]]  # the other device still gets reminders
    phone.close()
