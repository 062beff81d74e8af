"""The grammar per intent: what a message means, before any tool runs."""

from typing import Any

import pytest

from tasklive.agent.offline.details import Details
from tasklive.agent.offline.grammar import parse, split_commands
from tasklive.agent.offline.intents import (
    Add,
    AddSome,
    Agenda,
    Answer,
    Complete,
    CompleteAll,
    Count,
    Delete,
    DeleteAll,
    DeleteCompleted,
    Intent,
    List,
    NewTask,
    Recall,
    Search,
    SmallTalk,
    Target,
    Undo,
    Unknown,
    Update,
    dump,
    load,
)


def add(*titles: str) -> Add:
    return Add(tuple(NewTask(t) for t in titles))


def n(*numbers: int) -> Target:
    return Target(numbers=numbers)


def words(text: str, verb: str = "") -> Target:
    return Target(words=text, verb=verb)


IT = Target(pointer="it")
FIRST = Target(pointer="ordinal:0")

TABLES: dict[str, list[tuple[str, list[Intent]]]] = {
    "add": [
        ("add buy milk", [add("buy milk")]),
        ("Add a task to water the plants", [add("water the plants")]),
        ("put call mom on my list", [add("call mom")]),
        ("remind me to pay rent", [add("pay rent")]),
        ("I need to email Sam", [add("email Sam")]),
        ("add milk, eggs and bread", [add("milk", "eggs", "bread")]),
        ('add "a" and "b"', [add("a", "b")]),
        ("add x; y; z", [add("x", "y", "z")]),
        ("add:\n- one thing\n- delete the old files", [add("one thing", "delete the old files")]),
        ("add buy milk and call mom", [add("buy milk", "call mom")]),
        ("add buy milk and eggs", [add("buy milk and eggs")]),
        (
            "add call the bank with description ask about fees",
            [Add((NewTask("call the bank", "ask about fees"),))],
        ),
        ("create 3 tasks for my morning", [AddSome(3, "for my morning")]),
        ("add task", [AddSome()]),
    ],
    "complete": [
        ("mark task 1 as done", [Complete(n(1))]),
        ("finished task 3", [Complete(n(3))]),
        ("mark 2-4 done", [Complete(n(2, 3, 4))]),
        ("I bought milk", [Complete(words("milk", "buy"))]),
        ("milk is done", [Complete(words("milk"))]),
        ("the dog has been walked", [Complete(words("dog", "walk"))]),
        ("the first one is done", [Complete(FIRST)]),
        ("mark it as complete", [Complete(IT)]),
        ("mark everything as done", [CompleteAll()]),
    ],
    "reopen": [
        ("I haven't actually bought milk", [Complete(words("milk", "buy"), completed=False)]),
        ("milk should be open again", [Complete(words("milk"), completed=False)]),
        ("reopen task 3", [Complete(n(3), completed=False)]),
        ("task 3 isn't done yet", [Complete(n(3), completed=False)]),
        ("unmark everything", [CompleteAll(completed=False)]),
    ],
    "update": [
        ("change task 1 to buy oat milk", [Update(n(1), title="buy oat milk")]),
        ("make task 4 say call Bob", [Update(n(4), title="call Bob")]),
        ("the milk task should say oat milk", [Update(words("milk"), title="oat milk")]),
        ("actually make it oat milk", [Update(IT, title="oat milk")]),
        ("add a note to that: before 5", [Update(IT, description="before 5")]),
        ("add a note to task 2", [Update(n(2), description="")]),
        ("rename task 2", [Update(n(2))]),
        ("set task 2 to done", [Complete(n(2))]),
    ],
    "delete": [
        ("delete task 2", [Delete(n(2))]),
        ("remove the milk task", [Delete(words("milk"))]),
        ("I don't need the dentist thing anymore", [Delete(words("dentist"))]),
        ("delete them", [Delete(Target(pointer="them"))]),
        ("delete all my tasks", [DeleteAll()]),
        ("delete completed tasks", [DeleteCompleted()]),
    ],
    "questions": [
        ("what's on my list?", [List()]),
        ("what's left?", [List("pending")]),
        ("show completed tasks", [List("completed")]),
        ("how many tasks do I have?", [Count()]),
        ("anything about milk?", [Search("milk")]),
        ("do I have something for friday?", [Agenda(view="day", when="friday")]),
        ("what did I just add?", [Recall()]),
    ],
    "conversation": [
        ("yes please", [Answer(yes=True)]),
        ("no, keep them", [Answer(yes=False)]),
        ("scratch that", [Undo()]),
        ("undo", [Undo()]),
        ("hello there", [SmallTalk("greeting")]),
        ("thanks!", [SmallTalk("thanks")]),
        ("I need to vent", [SmallTalk("feeling")]),
        ("what's the weather?", [Unknown("what's the weather")]),
        ("task 3", [Unknown("task 3", n(3))]),
    ],
    "several": [
        ("add milk and erase task 2", [add("milk"), Delete(n(2))]),
        ("add bread; also mark task 1 done", [add("bread"), Complete(n(1))]),
        ("finished 1 and 4, and add call the vet", [Complete(n(1, 4)), add("call the vet")]),
        (
            "I walked the dog and called mom",
            [Complete(words("dog", "walk")), Complete(words("mom", "call"))],
        ),
    ],
    "typos": [
        ("delte task 2", [Delete(n(2))]),
        ("mrak task 5 as done", [Complete(n(5))]),
        ("compelte task 1", [Complete(n(1))]),
    ],
}
ROWS = [(kind, text, want) for kind, rows in TABLES.items() for text, want in rows]


@pytest.mark.parametrize(("kind", "text", "want"), ROWS, ids=[row[1][:40] for row in ROWS])
def test_message_means(kind: str, text: str, want: list[Intent]) -> None:
    assert parse(text) == want


@pytest.mark.parametrize(
    "text",
    ["buy milk and eggs", "read and summarize chapter 3", "call mom and dad", '"milk, and delete"'],
)
def test_one_command_is_not_split(text: str) -> None:
    assert len(split_commands(f"add {text}")) == 1


def test_intents_survive_storage() -> None:
    for _, _, want in ROWS:
        for intent in want:
            assert load(dump(intent)) == intent


@pytest.mark.parametrize(
    ("text", "number", "fields"),
    [
        ("remove 3's due date", 3, {"clear": ("due",)}),
        ("change the due time of 4 to 11am", 4, {"clock": "11am"}),
        ("task 2: due tomorrow 9am", 2, {"when": "tomorrow", "clock": "9am"}),
        ("file task 5 under the Health list", 5, {"list": "Health"}),
    ],
)
def test_details_said_of_a_numbered_task_change_that_task(
    text: str, number: int, fields: dict[str, Any]
) -> None:
    [intent] = parse(text)
    assert isinstance(intent, Update)
    assert intent.target.numbers == (number,)
    assert intent.details is not None
    assert {name: getattr(intent.details, name) for name in fields} == fields


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("push to next week", {"when": "next week"}),
        ("it's actually due on the 15th", {"when": "the 15th"}),
        ("it should repeat every week", {"repeat": "FREQ=WEEKLY"}),
        ("it's for the Work list", {"list": "Work"}),
    ],
)
def test_details_alone_change_the_task_just_talked_about(text: str, fields: dict[str, Any]) -> None:
    [intent] = parse(text)
    assert isinstance(intent, Update)
    assert intent.target.pointer == "it"
    assert intent.details is not None
    assert {name: getattr(intent.details, name) for name in fields} == fields


def test_a_description_said_alone_describes_the_task_just_talked_about() -> None:
    [intent] = parse("add a description saying bring ID")
    assert intent == Update(Target(pointer="it"), description="bring ID")


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("add #urgent", {"labels": ("urgent",)}),
        ("add the label home", {"labels": ("home",)}),
        ("add p1", {"priority": 1}),
    ],
)
def test_add_with_details_alone_adds_them_to_the_task_just_talked_about(
    text: str, fields: dict[str, Any]
) -> None:
    [intent] = parse(text)
    assert isinstance(intent, Update)
    assert intent.target.pointer == "it"
    assert intent.details is not None
    assert {name: getattr(intent.details, name) for name in fields} == fields


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("add first thing", "first thing"),
        ("add noon", "noon"),
        ('add "tomorrow"', "tomorrow"),
        ('add "5pm".', "5pm"),
    ],
)
def test_add_with_a_worded_time_or_a_quoted_title_adds_a_task_of_those_words(
    text: str, title: str
) -> None:
    assert parse(text) == [add(title)]


def edit(number: int | None = None, words: str = "", **fields: Any) -> Update:
    target = Target(numbers=(number,)) if number else Target(words=words)
    return Update(target, details=Details(**fields))


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("lower task 4 to p3", edit(4, priority=3)),
        ("raise the dentist to p1", edit(words="dentist", priority=1)),
        ("task 3 belongs in the Bills list", edit(3, list="Bills")),
        ("take task 1 off the Groceries list", edit(1, clear=("list",))),
        ("put the electricity bill off till monday", edit(words="electricity bill", when="monday")),
        ("bring task 4 forward to tomorrow", edit(4, when="tomorrow")),
        ("add the label bills to task 3", edit(3, labels=("bills",))),
        ("give task 5 the health label", edit(5, labels=("health",))),
        ("give the watering task a #garden tag", edit(words="watering", labels=("garden",))),
        ("drop the label on task 7", edit(7, clear=("labels",))),
        ("untag home from the electricity bill", edit(words="electricity bill", unlabel=("home",))),
        ("take the home tag off task 3", edit(3, unlabel=("home",))),
        ("drop task 7 to p3", edit(7, priority=3)),
        ("give the report one more day", edit(words="report", shift="one day")),
        ("take the weekly repeat off the plants", edit(words="plants", clear=("recurrence",))),
        ("plants every 3 days instead", edit(words="plants", repeat="FREQ=DAILY;INTERVAL=3")),
        (
            "prepone the quarterly report to wednesday",
            edit(words="quarterly report", when="wednesday"),
        ),
        ("task 4: make it p2", edit(4, priority=2)),
        ("no due date for task 3", edit(3, clear=("due",))),
        (
            "lower the priority on the quarterly report to p3",
            edit(words="quarterly report", priority=3),
        ),
        (
            "the call mom one — make it saturday 10:00",
            edit(words="call mom", when="saturday", clock="10:00"),
        ),
        ("wipe task 6", Delete(Target(numbers=(6,)))),
        (
            "take the priority off the quarterly report",
            edit(words="quarterly report", clear=("priority",)),
        ),
        ("strip the labels off task 4", edit(4, clear=("labels",))),
        ("put a #health label on task 5", edit(5, labels=("health",))),
        ("tag the milk errands", edit(words="milk", labels=("errands",))),
        ("tag task 3 with bills too", edit(3, labels=("bills",))),
    ],
)
def test_changes_said_without_a_field_name_change_the_task_named(text: str, want: Update) -> None:
    assert parse(text) == [want]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("raise money for the school", "raise money for the school"),
        ("delegate the slides to Priya", "delegate the slides to Priya"),
        ("compile the reading list", "compile the reading list"),
        ("lower the blinds", "lower the blinds"),
        ("make dinner reservations", "make dinner reservations"),
    ],
)
def test_a_to_do_verb_close_to_a_command_is_never_that_command(text: str, title: str) -> None:
    """ "raise" is not a misspelt "erase", nor "delegate" a misspelt "delete"."""
    assert parse(text) == [add(title)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("no, friday", Update(Target(pointer="it"), details=Details(when="friday"))),
        ("nope, p1", Update(Target(pointer="it"), details=Details(priority=1))),
    ],
)
def test_a_correction_after_no_changes_the_task_just_talked_about(text: str, want: Update) -> None:
    assert parse(text) == [want]


def test_all_done_w_slash_completes_the_task_named() -> None:
    assert parse("all done w/ the electricity bill") == [
        Complete(Target(words="electricity bill"), completed=True)
    ]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("remove all labels from 7", edit(7, clear=("labels",))),
        ("prioirty 1 for task 5", edit(5, priority=1)),
        ("change 7's label from work to clients", edit(7, labels=("clients",), unlabel=("work",))),
        ("give me a reminder an hour before task 4", edit(4, remind="before:an hour")),
        ("ping me about 5 on monday at 10", edit(5, remind="at:on monday at 10")),
        ("nvm about the dentist, delete it", Delete(Target(words="dentist"))),
        ("don't need the milk one anymore, remove it", Delete(Target(words="milk"))),
        (
            "7's description should say venue options and dates",
            Update(Target(numbers=(7,)), description="venue options and dates"),
        ),
    ],
)
def test_changes_to_one_field_of_a_named_task(text: str, want: Intent) -> None:
    """Never a bulk delete card, never a new task: the one field of the one task."""
    assert parse(text) == [want]


def test_checking_out_a_quoted_title_is_a_new_to_do() -> None:
    assert parse("check out 'Sunday in the Park'") == [add("check out 'Sunday in the Park'")]


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("make it 6 instead", {"clock": "6"}),
        ("let's say 10am", {"clock": "10am"}),
        ("how about friday", {"when": "friday"}),
        ("same time next week", {"when": "next week"}),
        ("needs to be done by fri 5pm", {"when": "fri", "clock": "5pm"}),
        ("two days later please", {"shift": "two days"}),
        ("actually no date on that", {"clear": ("due",)}),
        ("no date actually", {"clear": ("due",)}),
        ("change to 9:30", {"clock": "9:30"}),
        ("nvm, no date", {"clear": ("due",)}),
        ("sorry, 4pm not 3", {"clock": "4pm"}),
        ("wait, it's on the 12th not the 11th", {"when": "the 12th"}),
    ],
)
def test_a_follow_up_changes_the_task_just_talked_about(text: str, fields: dict[str, Any]) -> None:
    assert parse(text) == [Update(Target(pointer="it"), details=Details(**fields))]


@pytest.mark.parametrize(
    "text",
    [
        "put a label of finance on it",
        "can you move it to the morning",
        "switch it to the evening",
        "put it later",
        "make it earlier",
        "make task 3 'Call Bob'",
        "add that",
        "reschedule",
        "fix it",
        "sort it out",
    ],
)
def test_a_change_it_cannot_read_is_never_a_new_task(text: str) -> None:
    [intent] = parse(text)
    assert isinstance(intent, Unknown)


@pytest.mark.parametrize(
    "text",
    [
        "trash cans to the curb every sunday at 7pm",
        "drop off ballot tue 7am",
        "cancel the gym trial before thu",
    ],
)
def test_a_dated_to_do_that_starts_like_a_delete_is_a_to_do(text: str) -> None:
    [intent] = parse(text)
    assert isinstance(intent, Add)


def test_filing_a_task_under_a_list_moves_it_or_adds_that_to_do() -> None:
    """The plan moves the task the words name, or adds "file …" when none is about it."""
    [intent] = parse("file the electricity bill under the Home list")
    assert isinstance(intent, Update) and isinstance(intent.instead, Add)
    assert (intent.target.words, intent.details.list) == ("electricity bill", "Home")
    [intent] = parse("file the Sarah email under Work")
    assert isinstance(intent, Update) and isinstance(intent.instead, Add)
    assert (intent.target.words, intent.details.list) == ("Sarah email", "Work")


def test_a_new_title_for_the_task_just_talked_about() -> None:
    assert parse("change the title to 'Q1 offsite deck'") == [
        Update(Target(pointer="it"), title="Q1 offsite deck")
    ]


def test_a_numbered_note_describes_that_task() -> None:
    assert parse("task 1 note: the oat one, not dairy") == [
        Update(Target(numbers=(1,)), description="the oat one, not dairy")
    ]
    assert parse("put 'gate code 4411' in the description of task 1") == [
        Update(Target(numbers=(1,)), description="gate code 4411")
    ]


def test_finishing_something_urgent_is_a_to_do() -> None:
    [intent] = parse("finish the Steuer docs, it's urgent")
    assert isinstance(intent, Add) and intent.items[0].details.priority == 1


def test_news_beside_a_to_do_is_context_not_a_question() -> None:
    [intent] = parse(
        "so my sister is visiting later this month and i really need to clean the guest room"
    )
    assert isinstance(intent, Add) and intent.items[0].title == "clean the guest room"
