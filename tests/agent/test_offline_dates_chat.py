"""Dates and reminders through POST /api/{user_id}/chat with the offline model, not in UTC."""

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from dateutil.relativedelta import FR, relativedelta

from tests.agent.test_offline_chat import Chat

ZONE = "America/New_York"


def next_friday() -> date:
    """The Friday "friday" means in the user's zone today: the next one, never today."""
    today = datetime.now(UTC).astimezone(ZoneInfo(ZONE)).date()
    return today + relativedelta(days=1, weekday=FR)


async def test_a_reminder_with_a_date_then_questions_about_it(
    client: httpx.AsyncClient, sign_up: Any
) -> None:
    account = await sign_up()
    zone = {"timezone": ZONE}
    patched = await client.patch("/api/auth/me", json=zone, headers=account["headers"])
    assert patched.status_code == 200, patched.text
    chat = Chat(client, account)
    await chat.seed("call mom")
    fridays = {next_friday()}
    turn = await chat.say("remind me to pay rent on friday")
    fridays.add(next_friday())  # the day may have turned while the turn ran
    [task] = [task for task in await chat.tasks() if task["title"] == "pay rent"]
    friday = date.fromisoformat(task["due"])
    assert friday in fridays
    reminder = datetime.fromisoformat(task["remind_at"])
    local = reminder.astimezone(ZoneInfo(ZONE))
    assert (local.date(), local.hour) == (friday, 9)
    assert reminder.utcoffset() == local.utcoffset()  # shown at the user's own offset
    assert [call["tool"] for call in turn["tool_calls"]] == ["add_task"]

    due = await chat.say("what's due friday?")
    assert '#2 "pay rent"' in due["response"] and "call mom" not in due["response"]
    overdue = await chat.say("what's overdue?")
    assert overdue["response"] == "Nothing is overdue."
    moved = await chat.say("move task 1 to yesterday")
    assert moved["tool_calls"][0]["ok"]
    overdue = await chat.say("what's overdue?")
    assert '#1 "call mom"' in overdue["response"] and "pay rent" not in overdue["response"]


async def test_a_weekday_that_is_not_the_dates_is_asked_about_not_dropped(
    client: httpx.AsyncClient, sign_up: Any
) -> None:
    account = await sign_up()
    chat = Chat(client, account)
    today = datetime.now(UTC).date()
    thirteenth = today + relativedelta(day=13, months=0 if today.day <= 13 else 1)
    wrong_day = (thirteenth + relativedelta(days=1)).strftime("%A").lower()
    turn = await chat.say(f"call the bank on {wrong_day} the 13th")
    assert f'"{wrong_day} the 13th"' in turn["response"]
    assert turn["tool_calls"] == [] and await chat.tasks() == []
