"""E-mail reminders through a real SMTP server (aiosmtpd): the fallback arrives once, in the
user's time zone; a user may choose e-mail or both; without mail settings none is offered."""

import email
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.message import Message
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller

from tasklive.tasks.reminders import LEASE
from tests.support.service import free_port

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


class Inbox:
    """aiosmtpd's handler: keeps each message it is handed."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler, port = Inbox(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def settings_overrides(inbox: tuple[Inbox, int]) -> dict[str, Any]:
    return {
        "push_allow_http": True,
        "push_retry_base_seconds": 0.01,
        "smtp_url": f"smtp://127.0.0.1:{inbox[1]}",
        "mail_from": "tasklive <reminders@example.com>",
        "public_url": "https://tasks.example.com",
    }


def _bodies(message: Message) -> tuple[str, str]:
    parts = {
        p.get_content_type(): p.get_payload(decode=True).decode()
        for p in message.walk()
        if not p.is_multipart()
    }
    return parts["text/plain"], parts["text/html"]


async def test_a_reminder_no_subscription_accepted_is_mailed_once_in_the_users_zone(
    client, sign_up, subscribe, due_task, run_due, recorder, inbox
):
    account = await sign_up()
    await client.patch("/api/auth/me", json={"timezone": "Asia/Tokyo"}, headers=account["headers"])
    await subscribe(account, 410)  # the only browser is gone
    due = datetime(2026, 12, 24, 18, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    task = await due_task(
        account, "pick up the cake", due=due.astimezone(ZoneInfo("UTC")).isoformat()
    )

    assert await run_due() == 1
    assert await run_due() == 0
    (message,) = inbox[0].messages
    assert message["To"] == account["user"]["email"]
    assert message["Subject"] == "Reminder: pick up the cake"
    text, html = _bodies(message)
    assert "#1 pick up the cake" in text and "18:30 (Asia/Tokyo)" in text
    assert f"https://tasks.example.com/#task={task['id']}" in text
    assert "18:30 (Asia/Tokyo)" in html and "pick up the cake" in html
    detail = (await client.get(f"/api/tasks/{task['id']}", headers=account["headers"])).json()
    assert [(d["channel"], d["status"]) for d in detail["reminder_deliveries"]] == [
        ("push", "gone"),
        ("email", "sent"),
    ]


async def test_a_pushed_reminder_is_not_mailed_unless_the_user_chose_both(
    client, sign_up, subscribe, due_task, run_due, recorder, inbox
):
    pushed, both, mailed = await sign_up(), await sign_up(), await sign_up()
    for account in (pushed, both, mailed):
        await subscribe(account)
    for account, channel in ((both, "both"), (mailed, "email")):
        response = await client.patch(
            "/api/auth/me", json={"reminder_channel": channel}, headers=account["headers"]
        )
        assert response.json()["reminder_channel"] == channel
    for account in (pushed, both, mailed):
        await due_task(account)

    assert await run_due() == 3
    assert sorted(m["To"] for m in inbox[0].messages) == sorted(
        a["user"]["email"] for a in (both, mailed)
    )
    pushed_to = {r.payload["task_id"] for r in recorder.delivered()}
    assert len(pushed_to) == 2  # `pushed` and `both`; `mailed` chose e-mail only
    assert (await client.get("/api/push/key")).json()["email"] is True


async def test_a_title_with_a_line_break_is_mailed_and_pushed_once(
    client, sign_up, subscribe, due_task, run_due, recorder, inbox
):
    account = await sign_up()
    await subscribe(account)
    await client.patch(
        "/api/auth/me", json={"reminder_channel": "both"}, headers=account["headers"]
    )
    task = await due_task(account, "call the bank\nabout the card")

    assert await run_due() == 1
    assert await run_due(datetime.now().astimezone() + timedelta(hours=1, seconds=1) + LEASE) == 0
    (message,) = inbox[0].messages
    assert message["Subject"] == "Reminder: call the bank about the card"
    assert "call the bank\nabout the card" in _bodies(message)[0].replace("\r\n", "\n")
    assert len(recorder.delivered()) == 1
    detail = (await client.get(f"/api/tasks/{task['id']}", headers=account["headers"])).json()
    assert [(d["channel"], d["status"]) for d in detail["reminder_deliveries"]] == [
        ("push", "sent"),
        ("email", "sent"),
    ]
