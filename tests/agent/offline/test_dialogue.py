"""Conversations over several turns: questions asked, answered, and read back as data."""

from typing import Any

import pytest

from tasklive.agent.offline import replies
from tasklive.agent.offline.intents import Target
from tests.agent.offline.conftest import NewChat
from tests.agent.offline.harness import OfflineChat

QUESTIONS = ("ask_delete_all", "ask_which", "ask_title", "ask_wording", "ask_items", "unsure")


@pytest.fixture(params=["worded", "reworded"])
def wording(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every question either as shipped or reworded beyond recognition: dialogues must not care."""
    if request.param == "reworded":
        for name in QUESTIONS:
            monkeypatch.setattr(replies, name, lambda *_: "Hmm? 🤔")
    return str(request.param)


Dialogue = tuple[tuple[str, ...], list[str] | dict[int, Any]]
DIALOGUES: dict[str, tuple[tuple[str, ...], tuple[str, ...], Any]] = {
    # name: (seed, turns, expected titles or {number: (title, description, done)})
    "delete all, yes": (("a", "b"), ("delete all my tasks", "yes"), []),
    "delete all, go ahead": (("a", "b"), ("wipe my list", "OK, go ahead"), []),
    "delete all, yes delete them": (("a", "b"), ("clear my list", "yes, delete them all"), []),
    "delete all, no": (("a", "b"), ("delete all my tasks", "no, keep them"), ["a", "b"]),
    "delete all, then something else": (
        ("a", "b"),
        ("delete all my tasks", "add c", "yes"),
        ["a", "b", "c"],
    ),
    "which, the second one": (
        ("team meeting prep", "meeting notes"),
        ("rename the meeting task to prepare slides", "the second one"),
        ["team meeting prep", "prepare slides"],
    ),
    "which, by number": (
        ("team meeting prep", "meeting notes"),
        ("delete the meeting task", "#1"),
        ["meeting notes"],
    ),
    "which, yes to the one": (
        ("get milk",),
        ("I bought oat milk", "yes"),
        {1: ("get milk", "", True)},
    ),
    "which, no task named": (
        ("buy milk", "call mom"),
        ("change my task to buy oat milk", "task 1"),
        ["buy oat milk", "call mom"],
    ),
    "title": (("a",), ("add task", "Pay the electricity bill"), ["a", "Pay the electricity bill"]),
    "wording": (("a", "b"), ("rename task 2", "call dad"), ["a", "call dad"]),
    "note": (
        ("a", "b"),
        ("add a note to task 2", "bring the cake"),
        {1: ("a", "", False), 2: ("b", "bring the cake", False)},
    ),
    "items": (
        (),
        ("Create 3 tasks for my morning routine", "wake up at 6, stretch, make coffee", "yes"),
        ["wake up at 6", "stretch", "make coffee"],
    ),
    "unsure, yes adds it as typed": ((), ("pay bills 15th", "yes"), ["pay bills 15th"]),
    "unsure, said again": ((), ("pay bills 15th", "pay bills on the 15th"), ["pay bills"]),
    "unsure, no": ((), ("meet Bob at 6 at the pub", "no"), []),
    "morning or evening, said again": ((), ("gym tomorrow 7:15", "gym tomorrow 7:15am"), ["gym"]),
    # a to-do said with a changing verb is added when no task is about it
    "a to-do that starts like a change": (
        ("buy milk",),
        (
            "update the website p2",
            "fix the gate (details: the latch is bent)",
            "make the costume for the school parade, label it kids",
            "change the HVAC filter every 3 months",
            "file taxes under the Admin list",
        ),
        {
            1: ("buy milk", "", False),
            2: ("update the website", "", False),
            3: ("fix the gate", "the latch is bent", False),
            4: ("make the costume for the school parade", "", False),
            5: ("change the HVAC filter", "", False),
            6: ("file taxes", "", False),
        },
    ),
    "a reminder about a task there, or about a new one": (
        ("pay the electricity bill",),
        (
            "remind me about the electricity bill at 6pm",
            "remind me about the gas meter reading on monday at 10am",
        ),
        ["pay the electricity bill", "gas meter reading"],
    ),
    "to-dos no task is about": (
        ("buy milk",),
        (
            "update the 2026 budget sheet",
            "revise the Daily Practice Problems set",
            "get the car PUC done - urgent",
        ),
        [
            "buy milk",
            "update the 2026 budget sheet",
            "revise the Daily Practice Problems set",
            "get the car PUC done",
        ],
    ),
    "a list said first, a semicolon in quotes": (
        (),
        ("on my Office list add printer cartridge", 'add run "DELETE FROM sessions;" on staging'),
        ["printer cartridge", 'run "DELETE FROM sessions;" on staging'],
    ),
    "news, then the to-do in it": (
        (),
        (
            "so my sister is visiting later this month and i really need to clean the guest "
            "room before she gets here, probably this weekend",
            "call the plumber tomorrow; also pay the newspaper guy",
        ),
        ["clean the guest room before she gets here", "call the plumber", "pay the newspaper guy"],
    ),
    "two dated to-dos joined by and": (
        (),
        ("buy a birthday card for Ana tomorrow and call the florist friday 10am",),
        ["buy a birthday card for Ana", "call the florist"],
    ),
    "the day first, or a hedge after it": (
        (),
        ("this weekend - clean the garage", "tomorrow I need to pick up the suit"),
        ["clean the garage", "pick up the suit"],
    ),
    "a number with a comma": ((), ("add walk 10,000 steps every day",), ["walk 10,000 steps"]),
    "a change to a task there": (
        ("update the website",),
        ("update the website p2",),
        ["update the website"],
    ),
    "first one after a list": (
        ("a", "b", "c"),
        ("what's left?", "delete the first one"),
        ["b", "c"],
    ),
    "it after an add": (
        ("a",),
        ("add book the hotel", "mark it as done"),
        {1: ("a", "", False), 2: ("book the hotel", "", True)},
    ),
    "scratch an add": (("a",), ("add b, c", "scratch that"), ["a"]),
    "undo a completion": (("a",), ("mark task 1 done", "undo"), {1: ("a", "", False)}),
    "undo a delete": (
        ("a", "b"),
        ("delete task 1", "undo that"),
        {1: ("a", "", False), 2: ("b", "", False)},
    ),
    "undo everything deleted": (
        ("a", "b"),
        ("delete all my tasks", "yes", "undo"),
        {1: ("a", "", False), 2: ("b", "", False)},
    ),
    "undo a rename": (("a",), ("rename task 1 to z", "scratch that"), ["a"]),
    "actually make it": (
        ("a",),
        ("add buy a kettle", "actually make it buy a toaster"),
        ["a", "buy a toaster"],
    ),
}


@pytest.mark.parametrize("name", DIALOGUES)
async def test_dialogue(name: str, wording: str, new_chat: NewChat) -> None:
    seed, turns, expected = DIALOGUES[name]
    chat = await new_chat(*seed)
    for turn in turns:
        await chat.say(turn)
    if isinstance(expected, dict):
        assert await chat.state() == expected
    else:
        assert await chat.titles() == expected


async def test_yes_without_a_question_changes_nothing(seeded: OfflineChat) -> None:
    before = await seeded.state()
    await seeded.say("show my tasks")
    await seeded.say("yes")
    assert await seeded.state() == before and seeded.tools() == ["list_tasks"]


async def test_a_reply_without_stored_details_asks_nothing(seeded: OfflineChat) -> None:
    """A reply stored before this model (or by another model) leaves no open question."""
    await seeded.say("delete all my tasks")
    seeded.messages[-1].details = None
    await seeded.say("yes")
    assert len(await seeded.tasks()) == 3


async def test_the_question_is_read_from_the_stored_history(new_chat: NewChat) -> None:
    first = await new_chat("a", "b")
    await first.say("delete all my tasks")
    second = await new_chat("c")
    second.messages = list(first.messages)
    await second.say("yes")
    assert await second.tasks() == [] and len(await first.tasks()) == 2


async def test_undo_with_nothing_changed_says_so(chat: OfflineChat) -> None:
    reply = await chat.say("undo")
    assert await chat.tasks() == [] and chat.tools() == ["undo_last_change"]
    assert "undo" in reply.lower()


async def test_recall_reads_the_replies_metadata(seeded: OfflineChat) -> None:
    await seeded.say("add buy milk")
    await seeded.say("add call mom")
    calls = len(seeded.calls)
    assert '#5 "call mom"' in await seeded.say("what was the task I added?")
    everything = await seeded.say("what tasks did I add?")
    assert '#4 "buy milk"' in everything and '#5 "call mom"' in everything
    assert len(seeded.calls) == calls


async def test_an_ambiguous_statement_asks_and_writes_nothing(new_chat: NewChat) -> None:
    chat = await new_chat("feed the dog", "walk the cat")
    reply = await chat.say("I walked the dog")
    assert "#1" in reply and await chat.state() == {
        1: ("feed the dog", "", False),
        2: ("walk the cat", "", False),
    }


def test_an_off_topic_subject_is_a_word_not_part_of_one() -> None:
    nothing = Target()
    assert "the weather" in replies.not_understood("what's the weather doing?", nothing)
    assert "the time" not in replies.not_understood("hmm, the timesheets, the sometimes", nothing)


async def test_a_task_shown_alone_is_the_one_it_means_next(new_chat: NewChat) -> None:
    chat = await new_chat("feed the cat", "call mom")
    shown = await chat.say("show me task 2")
    assert "#2" in shown and "#1" not in shown
    await chat.say("rename it to call Dad")
    assert await chat.state() == {1: ("feed the cat", "", False), 2: ("call Dad", "", False)}


async def test_a_wish_is_a_greeting_not_a_task(chat: OfflineChat) -> None:
    for wish in ("hey, happy Friday!", "have a great weekend", "merry christmas to you"):
        await chat.say(wish)
    assert await chat.tasks() == []


async def test_moving_a_task_to_a_capitalised_name_files_it_there(new_chat: NewChat) -> None:
    chat = await new_chat("pay the electricity bill")
    await chat.say("move the electricity bill to Bills")
    (task,) = await chat.tasks()
    assert (task["title"], task["list"]) == ("pay the electricity bill", "Bills")


async def test_literal_and_list_forms_of_one_add(chat: OfflineChat) -> None:
    await chat.say("add pack for Byron -- sunscreen, hats, the good esky")
    await chat.say("add cat litter and bin bags to Groceries")
    await chat.say("change it to: cat litter and bin liners")
    titles = [(t["title"], t["list"]) for t in await chat.tasks()]
    assert titles == [
        ("pack for Byron -- sunscreen, hats, the good esky", None),
        ("cat litter and bin liners", "Groceries"),
    ]


async def test_a_reason_after_a_change_names_no_task(new_chat: NewChat) -> None:
    chat = await new_chat("water the plants", "call mom", "buy milk", "book the dentist")
    await chat.say("bin the plants task, they died")
    await chat.say("throw away the call mom task, I already spoke to her")
    await chat.say("cancel task 3 completely")
    assert await chat.titles() == ["book the dentist"]


async def test_the_last_one_after_an_add_is_the_task_just_added(chat: OfflineChat) -> None:
    await chat.say("add mail the ballot")
    await chat.say("the last one should be p1")
    await chat.say("add pay school fees every month on the 5th")
    await chat.say("on second thought, stop repeating it")
    tasks = {t["title"]: t for t in await chat.tasks()}
    assert tasks["pay school fees"]["recurrence"] is None
    assert tasks["mail the ballot"]["priority"] == 1


async def test_cancelling_a_service_no_task_names_is_a_to_do(new_chat: NewChat) -> None:
    chat = await new_chat("water the plants")
    await chat.say("cancel the Foxtel subscription")
    await chat.say("cancel the plants")
    assert await chat.titles() == ["cancel the Foxtel subscription"]


async def test_two_tasks_named_in_one_command(new_chat: NewChat) -> None:
    chat = await new_chat("buy milk", "call mom", "book the dentist")
    await chat.say("cross off buying milk and calling mom")
    assert [t["completed"] for t in await chat.tasks()] == [True, True, False]


async def test_all_in_a_title_is_not_every_task(new_chat: NewChat) -> None:
    chat = await new_chat("buy milk", "call mom")
    await chat.say("set all clocks back tomorrow 9am")
    assert [t["completed"] for t in await chat.tasks()] == [False, False]
    await chat.say("finish task 2, and push task 1 to thursday")
    tasks = await chat.tasks()
    assert [t["completed"] for t in tasks] == [False, True] and tasks[0]["due"] is not None


async def test_a_spoken_priority_among_labels(chat: OfflineChat) -> None:
    await chat.say("add 1:1 with Anil every friday 4pm")
    await chat.say("tag it home and p2")
    await chat.say("add write thank-you cards, labels family and post")
    tasks = [(t["title"], t["labels"], t["priority"]) for t in await chat.tasks()]
    assert tasks == [
        ("1:1 with Anil", ["home"], 2),
        ("write thank-you cards", ["family", "post"], None),
    ]


async def test_an_add_and_a_change_of_it_in_one_message(new_chat: NewChat) -> None:
    chat = await new_chat("book the dentist")
    await chat.say("add ring the council monday 9:30 #home and mark it urgent")
    await chat.say("add renew the boat licence and give it the tag admin")
    await chat.say("add notes to the dentist task: Dr. Keller, 2nd floor")
    await chat.say("add buy rope; the blue nylon kind")
    tasks = {t["title"]: t for t in await chat.tasks()}
    assert (tasks["ring the council"]["priority"], tasks["ring the council"]["labels"]) == (
        1,
        ["home"],
    )
    assert tasks["renew the boat licence"]["labels"] == ["admin"]
    assert tasks["book the dentist"]["description"] == "Dr. Keller, 2nd floor"
    assert "buy rope; the blue nylon kind" in tasks


async def test_a_relative_move_and_a_reminder_on_a_named_task(new_chat: NewChat) -> None:
    chat = await new_chat("book the dentist")
    await chat.say("add brunch with Sam tomorrow at 10am")
    await chat.say("make that two hours later")
    await chat.say("put a reminder on the dentist task for tomorrow 9am")
    dentist, brunch = await chat.tasks()
    assert brunch["title"] == "brunch with Sam" and brunch["due"].endswith("T12:00:00Z")
    assert dentist["remind_at"] is not None
