"""The offline model via a pydantic-ai Agent with in-memory tools shaped like the real ones."""

import json
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest
from pydantic_ai import Agent
from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    PartDeltaEvent,
    PartStartEvent,
    TextPart,
    TextPartDelta,
    ToolCallPart,
    ToolReturnPart,
    UserPromptPart,
)

from tasklive.agent.offline import build_offline_model, decide, read_turn

Result = dict[str, Any]


@dataclass
class TaskBook:
    """One user's tasks kept in memory, and every tool call made against them."""

    tasks: list[dict[str, Any]] = field(default_factory=list)
    next_number: int = 1
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def seed(self, *titles: str, completed: tuple[int, ...] = ()) -> None:
        for title in titles:
            task = self._new(title, "")
            task["completed"] = task["number"] in completed

    def _new(self, title: str, description: str) -> dict[str, Any]:
        task = {
            "id": f"id-{self.next_number}",
            "number": self.next_number,
            "title": title.strip(),
            "description": description,
            "completed": False,
        }
        self.next_number += 1
        self.tasks.append(task)
        return task

    def _get(self, number: int) -> dict[str, Any] | None:
        return next((t for t in self.tasks if t["number"] == number), None)

    @staticmethod
    def _missing(number: int) -> Result:
        return {"ok": False, "error": f"Task #{number} doesn't exist."}

    def titles(self) -> list[str]:
        return [t["title"] for t in self.tasks]

    def tools(self) -> list[Any]:
        book = self

        def add_task(title: str, description: str = "") -> Result:
            """Create a task."""
            book.calls.append(("add_task", {"title": title, "description": description}))
            if not title.strip():
                return {"ok": False, "error": "A task needs a title."}
            return {"ok": True, "task": dict(book._new(title, description))}

        def list_tasks(status: Literal["all", "pending", "completed"] = "all") -> Result:
            """List tasks."""
            book.calls.append(("list_tasks", {"status": status}))
            keep = {"all": lambda t: True, "pending": lambda t: not t["completed"]}
            chosen = [dict(t) for t in book.tasks if keep.get(status, lambda t: t["completed"])(t)]
            done = sum(t["completed"] for t in book.tasks)
            return {
                "ok": True,
                "status": status,
                "tasks": chosen,
                "count": len(chosen),
                "total": len(book.tasks),
                "pending": len(book.tasks) - done,
                "completed": done,
            }

        def update_task(
            number: int, title: str | None = None, description: str | None = None
        ) -> Result:
            """Update a task."""
            book.calls.append(
                ("update_task", {"number": number, "title": title, "description": description})
            )
            task = book._get(number)
            if task is None:
                return book._missing(number)
            if title is not None:
                task["title"] = title
            if description is not None:
                task["description"] = description
            return {"ok": True, "task": dict(task)}

        def complete_task(number: int, completed: bool = True) -> Result:
            """Complete a task."""
            book.calls.append(("complete_task", {"number": number, "completed": completed}))
            task = book._get(number)
            if task is None:
                return book._missing(number)
            task["completed"] = completed
            return {"ok": True, "task": dict(task)}

        def delete_task(number: int) -> Result:
            """Delete a task."""
            book.calls.append(("delete_task", {"number": number}))
            task = book._get(number)
            if task is None:
                return book._missing(number)
            book.tasks.remove(task)
            return {"ok": True, "task": dict(task)}

        def complete_all_tasks(completed: bool = True) -> Result:
            """Complete every task."""
            book.calls.append(("complete_all_tasks", {"completed": completed}))
            changed = [t for t in book.tasks if t["completed"] != completed]
            for task in changed:
                task["completed"] = completed
            return {"ok": True, "count": len(changed), "tasks": [dict(t) for t in changed]}

        def delete_all_tasks() -> Result:
            """Delete every task."""
            book.calls.append(("delete_all_tasks", {}))
            count = len(book.tasks)
            book.tasks.clear()
            return {"ok": True, "count": count}

        return [
            add_task,
            list_tasks,
            update_task,
            complete_task,
            delete_task,
            complete_all_tasks,
            delete_all_tasks,
        ]


@dataclass
class OfflineChat:
    """A conversation with the offline model through a real Agent and in-memory tools."""

    book: TaskBook = field(default_factory=TaskBook)
    history: list[ModelMessage] = field(default_factory=list)

    def agent(self) -> Agent[None, str]:
        return Agent(build_offline_model(), tools=self.book.tools())

    async def say(self, text: str) -> str:
        """Run one turn; keeps only user and assistant text in the history, as the app stores it."""
        result = await self.agent().run(text, message_history=self.history)
        self.history += [
            ModelRequest(parts=[UserPromptPart(text)]),
            ModelResponse(parts=[TextPart(result.output)]),
        ]
        return result.output

    def tool_calls(self, start: int = 0) -> list[str]:
        return [name for name, _ in self.book.calls[start:]]


def calls_in(messages: list[ModelMessage]) -> list[str]:
    """Names of the tool calls in a run's messages."""
    return [
        p.tool_name
        for m in messages
        if isinstance(m, ModelResponse)
        for p in m.parts
        if isinstance(p, ToolCallPart)
    ]


Expected = list[tuple[str, dict[str, Any]]]


async def seeded_chat() -> OfflineChat:
    """#1 buy groceries, #2 prepare the meeting agenda (pending), #3 call dentist (completed)."""
    chat = OfflineChat()
    chat.book.seed("buy groceries", "prepare the meeting agenda", "call dentist", completed=(3,))
    return chat


def assert_calls(chat: OfflineChat, expected: Expected) -> None:
    """The tool calls made, by name, with at least the given arguments."""
    made = chat.book.calls
    assert [name for name, _ in made] == [name for name, _ in expected], made
    for (_, args), (_, wanted) in zip(made, expected, strict=True):
        assert {key: args.get(key) for key in wanted} == wanted, made


LIST_ALL = ("list_tasks", {"status": "all"})

SINGLE_TURNS: list[tuple[str, Expected, list[str]]] = [
    (
        "Add a task to buy groceries",
        [("add_task", {"title": "buy groceries"})],
        ['#4 "buy groceries"'],
    ),
    (
        "Create a task called call mom tonight at 7pm",
        [("add_task", {"title": "call mom tonight at 7pm"})],
        ['#4 "call mom tonight at 7pm"'],
    ),
    ("Remind me to finish the report", [("add_task", {"title": "finish the report"})], ["#4"]),
    ("add task", [], ["What should the task say?"]),
    (
        "What are my tasks?",
        [LIST_ALL],
        ['#1 "buy groceries"', '#3 "call dentist" (done)', "3 tasks"],
    ),
    ("What do I need to do?", [("list_tasks", {"status": "pending"})], ["2 pending tasks", "#2"]),
    ("Show me my pending tasks", [("list_tasks", {"status": "pending"})], ['#1 "buy groceries"']),
    ("Show completed tasks", [("list_tasks", {"status": "completed"})], ['#3 "call dentist"']),
    ("How many tasks do I have?", [LIST_ALL], ["3 tasks", "2 pending", "1 completed"]),
    (
        "Change task 1 to buy groceries and milk",
        [("update_task", {"number": 1, "title": "buy groceries and milk"})],
        ['#1 to "buy groceries and milk"'],
    ),
    (
        "Rename the meeting task to prepare slides",
        [LIST_ALL, ("update_task", {"number": 2, "title": "prepare slides"})],
        ['#2 to "prepare slides"'],
    ),
    ("Change my task to buy groceries", [], ["Which task", '"buy groceries"']),
    (
        "Change task 999 to something",
        [("update_task", {"number": 999})],
        ["Task #999 doesn't exist."],
    ),
    (
        "Mark task 1 as complete",
        [("complete_task", {"number": 1, "completed": True})],
        ['#1 "buy groceries"'],
    ),
    (
        "I finished the groceries task",
        [LIST_ALL, ("complete_task", {"number": 1, "completed": True})],
        ["#1"],
    ),
    (
        "Mark task 3 as incomplete",
        [("complete_task", {"number": 3, "completed": False})],
        ["not complete"],
    ),
    (
        "Unmark task 3",
        [("complete_task", {"number": 3, "completed": False})],
        ['#3 "call dentist"'],
    ),
    (
        "Mark all tasks as complete",
        [("complete_all_tasks", {"completed": True})],
        ["2 tasks as complete"],
    ),
    ("Delete task 1", [("delete_task", {"number": 1})], ['Deleted #1 "buy groceries"']),
    ("Remove the meeting task", [LIST_ALL, ("delete_task", {"number": 2})], ["Deleted #2"]),
    ("Delete task 999", [("delete_task", {"number": 999})], ["Task #999 doesn't exist."]),
    ("Delete all my tasks", [], ["Are you sure", '"yes"']),
    (
        "Add a task to buy milk and mark task 1 as complete",
        [("add_task", {"title": "buy milk"}), ("complete_task", {"number": 1, "completed": True})],
        ['#4 "buy milk"', '#1 "buy groceries" as complete'],
    ),
    ("Create 3 tasks for my morning routine", [], ["What should the 3 tasks be?"]),
    ("What's the weather?", [], ["weather", "to-do list"]),
    ("hello", [], ["Add a task to buy groceries"]),
    ("hey there", [], ["Add a task to buy groceries"]),
    (
        "Don't forget to feed the cat",
        [("add_task", {"title": "feed the cat"})],
        ['#4 "feed the cat"'],
    ),
    ("What's the capital of France?", [], ["only look after your tasks"]),
    (
        "actually task 3 isn't done yet",
        [("complete_task", {"number": 3, "completed": False})],
        ['#3 "call dentist"'],
    ),
    # Wordings not listed in the issue.
    (
        "Could you please add a to-do: pay rent!",
        [("add_task", {"title": "pay rent"})],
        ['"pay rent"'],
    ),
    ("PUT WATER THE PLANTS ON MY LIST", [("add_task", {"title": "WATER THE PLANTS"})], ["#4"]),
    (
        "i need to email Sarah about the budget",
        [("add_task", {"title": "email Sarah about the budget"})],
        [],
    ),
    (
        "Add a task to read and summarize chapter 3",
        [("add_task", {"title": "read and summarize chapter 3"})],
        [],
    ),
    (
        "Add a task to call the bank with description ask about fees",
        [("add_task", {"title": "call the bank", "description": "ask about fees"})],
        ['"call the bank"'],
    ),
    (
        "Add tasks: wake up, stretch and make coffee",
        [
            ("add_task", {"title": "wake up"}),
            ("add_task", {"title": "stretch"}),
            ("add_task", {"title": "make coffee"}),
        ],
        ["#4", "#5", "#6"],
    ),
    ("list my todos", [LIST_ALL], ["3 tasks"]),
    ("What's left?", [("list_tasks", {"status": "pending"})], ["2 pending tasks"]),
    ("how many pending tasks are there?", [LIST_ALL], ["2 pending"]),
    ("mark #2 done please", [("complete_task", {"number": 2, "completed": True})], ["#2"]),
    ("Task 1 is finished.", [("complete_task", {"number": 1, "completed": True})], ["#1"]),
    ("check off groceries", [LIST_ALL, ("complete_task", {"number": 1})], ['#1 "buy groceries"']),
    ("Reopen task three", [("complete_task", {"number": 3, "completed": False})], ["#3"]),
    ("Mark everything as done", [("complete_all_tasks", {"completed": True})], ["Marked 2 tasks"]),
    ("please get rid of task 2", [("delete_task", {"number": 2})], ["Deleted #2"]),
    (
        "delete tasks 1 and 2",
        [("delete_task", {"number": 1}), ("delete_task", {"number": 2})],
        ["#1", "#2"],
    ),
    ("Remove the blah task", [LIST_ALL], ["couldn't find", '"blah"']),
    (
        "update the title of task 2 to book flights",
        [("update_task", {"number": 2, "title": "book flights"})],
        ['"book flights"'],
    ),
    (
        "set the description of task 1 to milk, eggs and bread",
        [("update_task", {"number": 1, "description": "milk, eggs and bread", "title": None})],
        ["description of #1"],
    ),
    ("Clear my list", [], ["Are you sure"]),
    ("show all", [LIST_ALL], ["3 tasks"]),
    ("I don't need the groceries task anymore", [LIST_ALL, ("delete_task", {"number": 1})], ["#1"]),
    ("Rename task 1 to:", [], ["What should task #1 say instead?"]),
    (
        "Delete completed tasks",
        [("list_tasks", {"status": "completed"}), ("delete_task", {"number": 3})],
        ['Deleted #3 "call dentist"'],
    ),
    ("tell me a joke", [], ["to-do list"]),
    ("Thanks!", [], ["welcome"]),
]


@pytest.mark.parametrize(("phrase", "expected", "fragments"), SINGLE_TURNS)
async def test_one_message(phrase: str, expected: Expected, fragments: list[str]) -> None:
    chat = await seeded_chat()
    reply = await chat.say(phrase)
    assert_calls(chat, expected)
    for fragment in fragments:
        assert fragment in reply


@pytest.mark.parametrize(
    "answer", ["yes", "Yes please!", "confirm", "do it", "OK, go ahead", "yes, delete them all"]
)
async def test_delete_all_after_confirmation(answer: str) -> None:
    chat = await seeded_chat()
    await chat.say("Delete all my tasks")
    assert chat.book.calls == [] and len(chat.book.tasks) == 3
    reply = await chat.say(answer)
    assert_calls(chat, [("delete_all_tasks", {})])
    assert chat.book.tasks == []
    assert "Deleted all 3 tasks" in reply


@pytest.mark.parametrize("answer", ["no", "No, keep them", "cancel", "never mind"])
async def test_declining_keeps_tasks(answer: str) -> None:
    chat = await seeded_chat()
    await chat.say("Delete all my tasks")
    reply = await chat.say(answer)
    assert chat.book.calls == [] and len(chat.book.tasks) == 3
    assert "won't delete" in reply


async def test_confirmation_is_read_from_the_given_history() -> None:
    asked = await (await seeded_chat()).say("delete all my tasks")
    chat = await seeded_chat()
    chat.history = [
        ModelRequest(parts=[UserPromptPart("wipe everything")]),
        ModelResponse(parts=[TextPart(asked)]),
    ]
    await chat.say("yes")
    assert chat.book.tasks == []


async def test_yes_without_a_question_deletes_nothing() -> None:
    chat = await seeded_chat()
    await chat.say("Show my tasks")
    await chat.say("yes")
    assert chat.tool_calls() == ["list_tasks"]


async def test_ambiguous_title_asks_which_then_acts_on_the_answer() -> None:
    chat = OfflineChat()
    chat.book.seed("buy groceries", "team meeting prep", "meeting notes")
    reply = await chat.say("Rename the meeting task to prepare slides")
    assert chat.tool_calls() == ["list_tasks"]
    assert '#2 "team meeting prep"' in reply and '#3 "meeting notes"' in reply
    await chat.say("the second one")
    assert chat.book.titles() == ["buy groceries", "team meeting prep", "prepare slides"]
    await chat.say("Delete the meeting task")
    await chat.say("#2")
    assert chat.book.titles() == ["buy groceries", "prepare slides"]


async def test_which_task_answered_by_number() -> None:
    chat = await seeded_chat()
    await chat.say("Change my task to buy oat milk")
    await chat.say("task 2")
    assert chat.book.titles()[1] == "buy oat milk"


async def test_finishing_prefers_the_pending_match() -> None:
    chat = OfflineChat()
    chat.book.seed("buy groceries", "put groceries away", completed=(1,))
    await chat.say("I finished the groceries task")
    assert chat.book.calls[-1] == ("complete_task", {"number": 2, "completed": True})


async def test_asked_for_a_title_then_adds_the_answer() -> None:
    chat = await seeded_chat()
    await chat.say("add task")
    reply = await chat.say("Pay the electricity bill")
    assert chat.book.titles()[-1] == "Pay the electricity bill"
    assert '#4 "Pay the electricity bill"' in reply


async def test_asked_for_several_tasks_then_adds_them_all() -> None:
    chat = await seeded_chat()
    await chat.say("Create 3 tasks for my morning routine")
    await chat.say("wake up at 6, stretch, make coffee")
    assert chat.book.titles()[3:] == ["wake up at 6", "stretch", "make coffee"]


async def test_what_was_the_task_i_added_answers_from_history() -> None:
    chat = await seeded_chat()
    await chat.say("Add a task to buy milk")
    await chat.say("Add a task to call mom")
    before = len(chat.book.calls)
    reply = await chat.say("What was the task I added?")
    assert len(chat.book.calls) == before
    assert '#5 "call mom"' in reply
    everything = await chat.say("What tasks did I add?")
    assert '#4 "buy milk"' in everything and '#5 "call mom"' in everything


async def test_recall_reads_tool_summaries_too() -> None:
    chat = OfflineChat()
    chat.history = [
        ModelRequest(parts=[UserPromptPart("add water plants")]),
        ModelResponse(parts=[TextPart("Created #7: water plants")]),
    ]
    assert '#7 "water plants"' in await chat.say("what did I just add?")


async def test_recall_with_nothing_added() -> None:
    chat = await seeded_chat()
    assert "haven't added" in await chat.say("What was the task I added?")


async def test_it_means_the_task_just_mentioned() -> None:
    chat = await seeded_chat()
    await chat.say("Add a task to book the hotel")
    await chat.say("mark it as done")
    assert chat.book.calls[-1] == ("complete_task", {"number": 4, "completed": True})


async def test_same_history_gives_the_same_answer() -> None:
    history: list[ModelMessage] = [
        ModelRequest(parts=[UserPromptPart("Add a task to buy milk")]),
        ModelResponse(parts=[TextPart('Added #4 "buy milk" to your list.')]),
    ]
    outputs = []
    for _ in range(2):
        chat = await seeded_chat()
        chat.history = list(history)
        outputs.append(
            (
                await chat.say("Rename the meeting task to prepare slides and show my tasks"),
                chat.book.calls,
            )
        )
    assert outputs[0] == outputs[1]


async def test_reply_streams_word_by_word() -> None:
    chat = await seeded_chat()
    agent = chat.agent()
    deltas: list[str] = []
    async with agent.run_stream_events("What are my tasks?") as events:
        async for event in events:
            if isinstance(event, PartStartEvent) and isinstance(event.part, TextPart):
                deltas.append(event.part.content)
            elif isinstance(event, PartDeltaEvent) and isinstance(event.delta, TextPartDelta):
                deltas.append(event.delta.content_delta)
    assert len(deltas) > 10
    assert chat.tool_calls() == ["list_tasks"]
    assert "".join(deltas).startswith("You have 3 tasks")


async def test_tool_results_as_json_strings_are_understood() -> None:
    task = {"id": "x", "number": 9, "title": "walk the dog", "description": "", "completed": False}
    messages: list[ModelMessage] = [
        ModelRequest(parts=[UserPromptPart("add a task to walk the dog")]),
        ModelResponse(
            parts=[ToolCallPart("add_task", {"title": "walk the dog"}, tool_call_id="c1")]
        ),
        ModelRequest(
            parts=[
                ToolReturnPart(
                    "add_task", json.dumps({"ok": True, "task": task}), tool_call_id="c1"
                )
            ]
        ),
    ]
    assert decide(read_turn(messages)) == 'Added #9 "walk the dog" to your list.'


async def test_a_turn_stays_within_the_agent_request_limit() -> None:
    chat = OfflineChat()
    chat.book.seed(*(f"chore {n}" for n in range(1, 46)), completed=tuple(range(1, 46)))
    reply = await chat.say("Delete completed tasks")
    assert len(chat.book.calls) == 40 and len(chat.book.tasks) == 6
    assert "as much as I can do in one message" in reply


async def test_model_is_named_offline() -> None:
    assert build_offline_model().model_name == "offline"
