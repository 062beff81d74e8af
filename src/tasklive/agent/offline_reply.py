"""What the offline model says, and how it reads its own earlier questions back from the history."""

import re
from dataclasses import dataclass, field
from typing import Any

from tasklive.agent.offline_words import Intent

Task = dict[str, Any]
Result = dict[str, Any]

EXAMPLES = (
    '- "Add a task to buy groceries"\n'
    '- "Show my pending tasks"\n'
    '- "Mark task 1 as complete"\n'
    '- "Change task 1 to call mom"\n'
    '- "Delete task 2"'
)
SHOW_HINT = 'Say "show my tasks" to see them with their numbers.'


def plural(count: int, noun: str = "task") -> str:
    """ "1 task", "3 tasks"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def named(task: Task) -> str:
    """A task as the replies name it: #2 "buy milk"."""
    return f'#{task["number"]} "{task["title"]}"'


def failure(result: Result) -> str:
    """A tool's error in plain words, with a hint when a number was wrong."""
    error = str(result.get("error") or "Something went wrong with that task.")
    if "doesn't exist" in error or "not found" in error.lower():
        return f"{error} {SHOW_HINT}"
    return error


def added(result: Result) -> str:
    if not result.get("ok"):
        return failure(result)
    return f"Added {named(result['task'])} to your list."


def _task_lines(tasks: list[Task], show_state: bool) -> str:
    lines = []
    for task in tasks:
        state = " (done)" if show_state and task.get("completed") else ""
        lines.append(f"\n- {named(task)}{state}")
    return "".join(lines)


def listed(result: Result) -> str:
    if not result.get("ok"):
        return failure(result)
    status, tasks, total = (
        result.get("status", "all"),
        result.get("tasks", []),
        result.get("total", 0),
    )
    if not tasks:
        if total == 0:
            return 'You don\'t have any tasks yet. Try "Add a task to buy groceries".'
        if status == "pending":
            every = "Your only task is" if total == 1 else f"All {total} of your tasks are"
            return f"You have no pending tasks. {every} done, nice work!"
        return "You haven't completed any tasks yet."
    count = len(tasks)
    if status == "pending":
        head = f"You have {plural(count, 'pending task')}:"
    elif status == "completed":
        head = f"You have completed {plural(count)}:"
    else:
        split = f"{result.get('pending', 0)} pending, {result.get('completed', 0)} completed"
        head = f"You have {plural(count)} ({split}):"
    more = ""
    if result.get("count", count) < (result.get(status) if status != "all" else total):
        more = "\n(Showing the first ones only.)"
    return head + _task_lines(tasks, show_state=status == "all") + more


def counted(result: Result) -> str:
    if not result.get("ok"):
        return failure(result)
    total, pending, completed = (
        result.get("total", 0),
        result.get("pending", 0),
        result.get("completed", 0),
    )
    if total == 0:
        return "You don't have any tasks yet."
    return f"You have {plural(total)}: {pending} pending and {completed} completed."


def updated(result: Result) -> str:
    if not result.get("ok"):
        return failure(result)
    return f'Updated #{result["task"]["number"]} to "{result["task"]["title"]}".'


def described(result: Result) -> str:
    if not result.get("ok"):
        return failure(result)
    return f"Updated the description of {named(result['task'])}."


def marked(result: Result) -> str:
    if not result.get("ok"):
        return failure(result)
    task = result["task"]
    if task.get("completed"):
        return f"Marked {named(task)} as complete. Nice work!"
    return f"Marked {named(task)} as not complete."


def deleted(result: Result) -> str:
    if not result.get("ok"):
        return failure(result)
    return f"Deleted {named(result['task'])}."


def marked_all(result: Result, completed: bool) -> str:
    if not result.get("ok"):
        return failure(result)
    count = result.get("count", 0)
    if count == 0:
        if completed:
            return "All your tasks were already complete, so nothing changed."
        return "None of your tasks were complete, so nothing changed."
    state = "complete" if completed else "not complete"
    return f"Marked {plural(count)} as {state}."


def deleted_all(result: Result) -> str:
    if not result.get("ok"):
        return failure(result)
    count = result.get("count", 0)
    if count == 0:
        return "You didn't have any tasks to delete."
    return f"Deleted all {plural(count)}. Your list is empty now."


def too_many_steps() -> str:
    return "That's as much as I can do in one message. Tell me the rest in another one."


def no_completed_tasks() -> str:
    return "You don't have any completed tasks to delete."


def ask_title() -> str:
    return 'What should the task say? For example: "Add a task to buy groceries".'


def ask_many(count: int, topic: str) -> str:
    amount = f"{count} tasks" if count > 1 else "tasks"
    about = " " + re.sub(r"\bmy\b", "your", topic) if topic else ""
    return (
        f"Happy to add {amount}{about}! What should the {amount} be? "
        'Send them separated by commas, like "wake up at 6, stretch, make coffee".'
    )


def ask_update(number: int | None) -> str:
    if number is None:
        return 'Which task should change, and to what? For example: "Change task 1 to call mom".'
    return f"What should task #{number} say instead?"


def action_phrase(intent: Intent) -> str:
    """The question form of a task action: 'rename to "x"', 'delete', 'mark as complete'."""
    if intent.kind == "update":
        return f'rename to "{intent.title}"'
    if intent.kind == "describe":
        return f'give the description "{intent.description}"'
    if intent.kind == "complete":
        return "mark as complete" if intent.completed else "mark as incomplete"
    return "delete"


def ask_which(intent: Intent, candidates: list[Task] | None = None) -> str:
    question = f"Which task should I {action_phrase(intent)}?"
    if not candidates:
        return f'{question} Tell me its number, like "task 2". {SHOW_HINT}'
    options = ", ".join(named(task) for task in candidates[:-1]) + f" or {named(candidates[-1])}"
    return f"{question} I found {options}."


def no_match(ref: str) -> str:
    return f'I couldn\'t find a task matching "{ref}". {SHOW_HINT}'


def ask_delete_all() -> str:
    return (
        "Are you sure you want to delete all your tasks? This can't be undone. "
        'Reply "yes" to delete them all, or "no" to keep them.'
    )


def cancelled(pending: "Pending | None") -> str:
    if pending and pending.kind == "confirm_delete_all":
        return "Okay, I won't delete anything. Your tasks are safe."
    return "Okay, never mind. What else can I do for you?"


def nothing_to_confirm() -> str:
    return "Sure! What would you like to do with your tasks?"


def greeting() -> str:
    return (
        "Hi! I'm your task assistant. I can add, list, update, complete and delete tasks. "
        f"Try:\n{EXAMPLES}"
    )


def thanks() -> str:
    return "You're welcome! Anything else on your list?"


QUESTION = re.compile(
    r"^(?:what|whats|what's|who|where|when|why|how|which|is|are|can|could|do|does|tell me)\b",
    re.I,
)


def off_topic(topic: str) -> str:
    subjects = {"weather": "the weather", "news": "the news", "joke": "jokes", "time": "the time"}
    subject = next((name for word, name in subjects.items() if word in topic), "")
    if subject:
        opener = f"I can't help with {subject}, but"
    elif QUESTION.match(topic):
        opener = "That's outside what I can do: I only look after your tasks. But"
    else:
        opener = "Sorry, I didn't catch that."
    return f"{opener} I can help you manage your to-do list. Try:\n{EXAMPLES}"


ADDED_PATTERNS = (
    re.compile(r'\bAdded #(\d+) "([^"\n]+)"'),
    re.compile(r"\bCreated #(\d+): ([^\n]+?)(?:\.?\s*$|\.\s|\n)", re.M),
    re.compile(r'\b(?:added|created)\b[^#\n]{0,30}#(\d+)[:,]?\s*"([^"\n]+)"', re.I),
)


def tasks_added(replies: list[str]) -> list[tuple[int, str]]:
    """(number, title) of every task the assistant said it added, oldest first."""
    found: list[tuple[int, str]] = []
    for reply in replies:
        spans: list[tuple[int, int, str]] = []
        for pattern in ADDED_PATTERNS:
            for match in pattern.finditer(reply):
                if not any(start <= match.start() < end for start, end, _ in spans):
                    spans.append((match.start(), match.end(), f"{match[1]}\0{match[2]}"))
        for _, _, key in sorted(spans):
            number, title = key.split("\0")
            found.append((int(number), title.strip()))
    return found


def recall(replies: list[str], everything: bool) -> str:
    tasks = tasks_added(replies)
    if not tasks:
        return "You haven't added any tasks in this conversation yet."
    if everything and len(tasks) > 1:
        names = ", ".join(f'#{number} "{title}"' for number, title in tasks)
        return f"In this conversation you added {names}."
    number, title = tasks[-1]
    return f'The last task you added was #{number} "{title}".'


@dataclass(frozen=True)
class Pending:
    """A question the assistant asked in its previous reply, waiting for the user's answer."""

    kind: str  # confirm_delete_all | which | title | update | many
    template: Intent | None = None
    candidates: tuple[int, ...] = field(default=())
    count: int = 0


WHICH = re.compile(
    r'Which task should I (?:rename to "(?P<title>.*?)"|'
    r'give the description "(?P<description>.*?)"|'
    r"(?P<action>delete|mark as complete|mark as incomplete))\?(?P<rest>.*)",
    re.S,
)


def read_pending(reply: str) -> Pending | None:
    """The question the previous assistant reply ended on, if any."""
    if not reply:
        return None
    if re.search(r"\bdelete (?:all|every(?:thing)?)\b", reply, re.I) and re.search(
        r"\b(?:sure|confirm)\b", reply, re.I
    ):
        return Pending("confirm_delete_all")
    which = WHICH.search(reply)
    if which:
        if which["title"] is not None:
            template = Intent("update", title=which["title"])
        elif which["description"] is not None:
            template = Intent("describe", description=which["description"])
        elif which["action"] == "delete":
            template = Intent("delete")
        else:
            template = Intent("complete", completed=which["action"] == "mark as complete")
        candidates = tuple(int(n) for n in re.findall(r"#(\d+)", which["rest"]))
        return Pending("which", template, candidates)
    update = re.search(r"What should task #(\d+) say instead\?", reply)
    if update:
        return Pending("update", Intent("update", numbers=(int(update[1]),)))
    if re.search(r"What should the task say\?", reply):
        return Pending("title")
    many = re.search(r"What should the (?:(\d+) )?tasks be\?", reply)
    if many:
        return Pending("many", count=int(many[1] or 0))
    return None


def last_mentioned(reply: str) -> int | None:
    """The one task number the previous reply talked about, for "mark it as done"."""
    numbers = set(re.findall(r"#(\d+)", reply))
    return int(numbers.pop()) if len(numbers) == 1 else None
