"""The page with a remote model (the scripted OpenAI-compatible server): outages, slow runs."""

import asyncio
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.agent.openai_server import Reply, ScriptedOpenAI
from tests.support.service import ServiceProcess, offline_env
from tests.web.conftest import (
    ARTIFACTS,
    open_app,
    screenshot,
    second_device,
    send,
    sign_up,
    two_conversations,
)

pytestmark = pytest.mark.browser


class Model:
    """What the scripted model does now: fail, or add the task the message names and say so."""

    def __init__(self) -> None:
        self.down = False
        self.slow = threading.Event()  # while clear, a "slowly" message's reply waits
        self.slow.set()

    def reply(self, request: dict[str, Any]) -> Reply:
        if self.down:
            return {"status": 500}
        messages = request.get("messages", [])
        asked = next(m["content"] for m in reversed(messages) if m["role"] == "user")
        title = str(asked).removeprefix("add a task to ").removesuffix(" slowly")
        if messages[-1]["role"] != "tool":
            return {"tool": "add_task", "args": {"title": title}}
        if str(asked).endswith(" slowly"):
            self.slow.wait(30)
        return {"text": f"Added **{title}**."}


@pytest.fixture(scope="module")
def model() -> Iterator[Model]:
    yield Model()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, model: Model) -> Iterator[ServiceProcess]:
    """A service whose model is the scripted server, run on its own event loop thread."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    scripted = ScriptedOpenAI(script=model.reply)
    asyncio.run_coroutine_threadsafe(scripted.__aenter__(), loop).result(10)
    env = offline_env(Path(tmp_path_factory.mktemp("remote-model")))
    env |= {
        "TASKLIVE_MODEL": "openai-chat:scripted",
        "TASKLIVE_OPENAI_BASE_URL": scripted.base_url,
        "TASKLIVE_MODEL_RETRIES": "1",
        "TASKLIVE_MODEL_RETRY_BASE_SECONDS": "0.05",
    }
    try:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        with ServiceProcess(env, log_path=ARTIFACTS / "remote-model-service.log") as running:
            yield running
    finally:
        model.slow.set()
        asyncio.run_coroutine_threadsafe(scripted.__aexit__(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


def test_retry_after_a_model_outage_runs_the_turn_again(
    context: BrowserContext, model: Model
) -> None:
    account = sign_up(context)
    page = open_app(context)
    model.down = True
    try:
        send(page, "add a task to feed the cat")
        notice = page.locator("#messages .run .notice").last
        # The model answered every attempt, streamed and not, with a 500: the notice says so.
        expect(notice).to_contain_text("The model answered with an error: scripted failure")
        mine = page.locator("#messages .message.user").last
        expect(mine).to_have_attribute("data-state", "failed")
        # The only step is the service retrying the model before it gave up.
        expect(page.locator("#messages .run .step").first).to_contain_text("Retrying the model")
        screenshot(page, "remote-outage")
    finally:
        model.down = False

    notice.get_by_role("button", name="Retry").click()
    reply = page.locator("#messages .run .message.assistant .bubble").last
    expect(reply.locator("strong")).to_have_text("feed the cat")
    expect(mine).to_have_attribute("data-state", "sent")
    expect(page.locator("#task-list .task-title")).to_have_text(["feed the cat"])
    expect(page.locator("#messages .run .notice:visible")).to_have_count(0)

    page.reload()
    user_id = account["user"]["id"]
    conversation = context.request.get(f"/api/{user_id}/conversations").json()[0]
    stored = context.request.get(
        f"/api/{user_id}/conversations/{conversation['id']}/messages"
    ).json()
    assert [m["content"] for m in stored if m["role"] == "user"] == ["add a task to feed the cat"]
    expect(page.locator("#messages .message.user .bubble")).to_have_text(
        ["add a task to feed the cat"]
    )


def test_opening_a_conversation_shows_its_run_in_progress_from_another_device(
    browser: Browser, service: ServiceProcess, context: BrowserContext, model: Model
) -> None:
    account, laptop = two_conversations(context)

    phone_context = second_device(browser, service, account["email"])
    try:
        phone = open_app(phone_context)
        expect(phone.locator("#chat-heading")).to_have_text(re.compile("call mom"))

        model.slow.clear()
        laptop.locator("#conversation-list .conversation-open", has_text="buy milk").click()
        send(laptop, "add a task to water the plants slowly")
        other = phone.locator("#conversation-list .conversation", has_text="buy milk")
        expect(other.locator(".badge.live")).to_have_text("Replying now")
        other.locator(".conversation-open").click()
        run = phone.locator("#messages .run").last
        expect(run.locator(".step")).to_contain_text("water the plants")
        expect(run.locator(".step")).to_have_attribute("data-state", "ok")
        expect(run).not_to_have_class(re.compile(r"\bfinished\b"))
        screenshot(phone, "remote-run-in-progress-elsewhere")

        model.slow.set()
        expect(run).to_have_class(re.compile(r"\bfinished\b"))
        expect(run.locator(".message.assistant .bubble strong")).to_have_text("water the plants")
        expect(other.locator(".badge.live")).to_have_count(0)
        assert phone.errors == []  # type: ignore[attr-defined]
    finally:
        model.slow.set()
        phone_context.close()
