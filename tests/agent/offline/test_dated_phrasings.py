"""Task details in chat (dates, priorities, labels, lists, repeats, reminders, questions),
through the real agent and tools at a fixed message time in a non-UTC zone, scored by the database.
"""

from collections import Counter
from datetime import date, datetime
from typing import Any

from tasklive.tasks.schemas import parse_due
from tasklive.tasks.service import TaskService
from tests.agent.offline import dated_phrasings, held_out_phrasings, held_out_phrasings_2
from tests.agent.offline.conftest import NewChat
from tests.agent.offline.dated_phrasings import SEED, SENT, ZONE, Case
from tests.agent.offline.harness import OfflineChat
from tests.agent.offline.scoring import score_cases, share_right

DETAILS = ("due", "priority", "labels", "list", "recurrence", "remind_at")
EMPTY: dict[str, Any] = {"due": None, "priority": None, "labels": [], "list": None,
                         "recurrence": None, "remind_at": None}  # fmt: skip
FLOOR = 0.9
HELD_OUT_FLOOR = 0.6


def comparable(value: Any) -> Any:
    """A date stays a date; a date-time becomes its instant, so offsets compare by meaning."""
    if isinstance(value, str) and len(value) > 10 and value[4] == "-" and "T" in value:
        return datetime.fromisoformat(value).timestamp()
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return date.fromisoformat(value)
    return value


def normal(task: dict[str, Any]) -> dict[str, Any]:
    return {"title": task["title"], **{k: comparable(task.get(k)) for k in DETAILS}}


async def seeded(new_chat: NewChat) -> OfflineChat:
    chat = await new_chat(timezone=ZONE, now=SENT)
    async with chat.sessionmaker() as session:
        tasks = TaskService(session, chat.user_id)
        for title, fields in SEED.values():
            due = {"due": parse_due(fields["due"])} if "due" in fields else {}
            await tasks.create(title, **(fields | due))
    return chat


def expected(case: Case) -> dict[int, dict[str, Any]]:
    state = {n: normal({"title": t, **EMPTY, **fields}) for n, (t, fields) in SEED.items()}
    for key, change in case.expect.items():
        if key == "add":
            state[len(SEED) + 1] = normal({**EMPTY, **change})
        else:
            state[key] = state[key] | {k: comparable(v) for k, v in change.items()}
    return state


async def outcome(chat: OfflineChat, case: Case) -> tuple[str, str]:
    """'right', 'asked' (nothing written, not what was wanted) or 'wrong' (a wrong write)."""
    for earlier in case.before:
        await chat.say(earlier)
    before = await chat.tasks()
    reply = await chat.say(case.text)
    after = await chat.tasks()
    state = {task["number"]: normal(task) for task in after}
    heard = all(f in reply for f in case.says) and not any(f in reply for f in case.not_says)
    if state == expected(case) and heard:
        return "right", reply
    return ("asked" if after == before else "wrong"), reply


async def score(new_chat: NewChat, cases: list[Case]) -> tuple[float, Counter[str]]:
    async def judge(case: Case) -> tuple[str, str]:
        return await outcome(await seeded(new_chat), case)

    total = await score_cases(cases, judge)
    return share_right(total), total


async def test_dated_phrasings_score(new_chat: NewChat) -> None:
    right, total = await score(new_chat, dated_phrasings.CASES)
    assert right >= FLOOR
    assert total["wrong"] <= 1


async def test_held_out_phrasings_score(new_chat: NewChat) -> None:
    """Phrasings written before the model was run on them; the floor only catches collapse."""
    for batch in (held_out_phrasings.CASES, held_out_phrasings_2.CASES):
        right, _ = await score(new_chat, batch)
        assert right >= HELD_OUT_FLOOR
