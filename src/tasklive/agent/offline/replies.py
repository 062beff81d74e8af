"""Everything the offline model says. Wording can change freely: nothing reads it back."""

import re
from typing import Any

from tasklive.agent.offline.intents import Complete, Delete, Intent, Target, Update
from tasklive.agent.offline.showing import details_text

Task = dict[str, Any]
Result = dict[str, Any]
SHOW_HINT = 'Say "show my tasks" to see them with their numbers.'


def plural(count: int, noun: str = "task") -> str:
    """ "1 task", "3 tasks"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def named(task: Task) -> str:
    """A task as the replies name it: #2 "buy milk"."""
    return f'#{task["number"]} "{task["title"]}"'


def names(tasks: list[Task]) -> str:
    """ "#1 "a", #2 "b" and #3 "c"."""
    shown = [named(task) for task in tasks]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + f" and {shown[-1]}"


def failure(result: Result) -> str:
    """A tool's error in plain words, with a hint when a number was wrong."""
    error = str(result.get("error") or "Something went wrong with that task.")
    if "doesn't exist" in error or "not found" in error.lower():
        return f"{error} {SHOW_HINT}"
    return error


def with_details(task: Task) -> str:
    """ "#2 "buy milk"" with its details in brackets, when it has any."""
    shown = details_text(task)
    return f"{named(task)} ({shown})" if shown else named(task)


def added(tasks: list[Task]) -> str:
    if len(tasks) == 1:
        shown = details_text(tasks[0])
        return f"Added {named(tasks[0])} to your list{f': {shown}' if shown else ''}."
    if any(details_text(task) for task in tasks):
        return f"Added {plural(len(tasks))}:" + _lines(tasks, show_state=False)
    return f"Added {plural(len(tasks))}: {names(tasks)}."


def too_many(added_count: int, left: int) -> str:
    return (
        f"I added the first {added_count} and stopped there: send the other "
        f"{plural(left)} in another message."
    )


def task_lines(tasks: list[Task]) -> str:
    """Tasks one a line, with their details."""
    return _lines(tasks, show_state=False)


def _lines(tasks: list[Task], show_state: bool) -> str:
    return "".join(
        f"\n- {with_details(task)}{' (done)' if show_state and task.get('completed') else ''}"
        for task in tasks
    )


def listed(result: Result) -> str:
    status, tasks, total = result.get("status", "all"), result.get("tasks", []), result["total"]
    if not tasks:
        if total == 0:
            return 'You don\'t have any tasks yet. Try "add buy groceries".'
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
    return head + _lines(tasks, show_state=status == "all") + more


def counted(result: Result) -> str:
    total, pending, completed = result["total"], result["pending"], result["completed"]
    if total == 0:
        return "You don't have any tasks yet."
    return f"You have {plural(total)}: {pending} pending and {completed} completed."


def shown(number: int, tasks: list[Task]) -> str:
    if not tasks:
        return f'Task #{number} doesn\'t exist. Say "show my tasks" to see them with their numbers.'
    return "Here it is:" + _lines(tasks, show_state=True)


def found(words: str, tasks: list[Task]) -> str:
    if not tasks:
        return f'Nothing about "{words}" on your list.'
    return f'About "{words}" you have:' + _lines(tasks, show_state=True)


def updated(task: Task, description: bool, details: bool = False) -> str:
    if details:
        shown = details_text(task)
        return f"Updated {named(task)}: {shown}." if shown else f"Updated {named(task)}."
    if description:
        return f"Updated the description of {named(task)}."
    return f'Updated #{task["number"]} to "{task["title"]}".'


def marked(task: Task) -> str:
    if task.get("completed"):
        return f"Marked {named(task)} as complete. Nice work!"
    return f"Marked {named(task)} as not complete."


def deleted(task: Task) -> str:
    return f"Deleted {named(task)}."


def marked_all(count: int, completed: bool) -> str:
    if count == 0:
        state = "complete" if completed else "open"
        return f"All your tasks were already {state}, so nothing changed."
    return f"Marked {plural(count)} as {'complete' if completed else 'not complete'}."


def deleted_all(count: int) -> str:
    if count == 0:
        return "You didn't have any tasks to delete."
    return f"Deleted all {plural(count)}. Your list is empty now."


def no_completed_tasks() -> str:
    return "You don't have any completed tasks to delete."


def too_many_steps() -> str:
    return "That's as much as I can do in one message. Tell me the rest in another one."


def unavailable() -> str:
    return "Sorry, I can't do that here."


def unsure(title: str, words: str) -> str:
    return (
        f'I wasn\'t sure what "{words}" means there, so I added nothing yet. Should the task be '
        f'"{title}"? Say yes, or say it again another way (quotes keep words as typed).'
    )


def which_half(title: str, words: str) -> str:
    return (
        f'Is "{words}" for "{title}" in the morning or the evening? Say it again with am or pm, '
        "and I'll add it."
    )


def ask_title() -> str:
    return "What should the new task say?"


def ask_items(count: int, topic: str) -> str:
    amount = f"{count} tasks" if count > 1 else "tasks"
    about = " " + re.sub(r"\bmy\b", "your", topic) if topic else ""
    return f"Happy to add {amount}{about}! What should they be? Send them separated by commas."


def ask_wording(number: int, description: bool) -> str:
    if description:
        return f"What should the note on task #{number} say?"
    return f"What should task #{number} say instead?"


def _doing(intent: Intent, it: str = "") -> str:
    """The action as a verb phrase, optionally with its object: "rename it to "x"", "delete"."""
    if isinstance(intent, Update):
        if intent.description is not None:
            return f"add that note to{it or ' the task'}"
        return f'rename{it} to "{intent.title}"' if intent.title else f"change{it}"
    if isinstance(intent, Complete):
        return f"mark{it} as complete" if intent.completed else f"reopen{it}"
    return f"delete{it}"


def ask_which(intent: Intent, candidates: list[Task] | None = None) -> str:
    question = f"Which task should I {_doing(intent).replace(' the task', '')}?"
    if not candidates:
        return f'{question} Tell me its number, like "task 2".'
    if len(candidates) == 1:
        return f"Did you mean {named(candidates[0])}? Say yes and I'll {_doing(intent, ' it')}."
    return f"{question} I found {names(candidates).replace(' and ', ' or ')}."


def no_match(intent: Complete | Update | Delete, words: str) -> str:
    if isinstance(intent, Complete) and intent.completed:
        return f'Nice! I don\'t see a task about "{words}" on your list, so nothing changed.'
    return f'I couldn\'t find a task matching "{words}". {SHOW_HINT}'


def already(task: Task) -> str:
    state = "done" if task.get("completed") else "open"
    return f"{named(task)} is already {state}."


def ask_delete_all(count: int | None = None) -> str:
    return (
        "Delete all your tasks? This can't be undone. "
        'Reply "yes" to delete them all, or "no" to keep them.'
    )


def cancelled(deleting_all: bool) -> str:
    if deleting_all:
        return "Okay, I won't delete anything. Your tasks are safe."
    return "Okay, never mind."


def nothing_to_confirm() -> str:
    return "Sure! What would you like to do with your tasks?"


def cannot_undo() -> str:
    return "I can't undo changes from the chat here, sorry."


def greeting() -> str:
    return (
        "Hi! I look after your to-do list: I can add, list, change, complete and delete tasks. "
        'Try "add buy milk" or "what\'s on my list?".'
    )


def help_text() -> str:
    return (
        'I can add tasks ("add buy milk, call mom"), show them ("what\'s left?"), change them '
        '("rename task 2 to …"), complete them ("I bought milk") and delete them ("delete task 3").'
    )


def thanks() -> str:
    return "You're welcome! Anything else on your list?"


def feeling() -> str:
    return (
        "That sounds like a lot. I'm only a task assistant, but I'm here when you want to "
        "put something on your list."
    )


def recall(tasks: list[tuple[int, str]], everything: bool) -> str:
    if not tasks:
        return "You haven't added any tasks in this conversation yet."
    if everything and len(tasks) > 1:
        listed_names = ", ".join(f'#{number} "{title}"' for number, title in tasks)
        return f"In this conversation you added {listed_names}."
    number, title = tasks[-1]
    return f'The last task you added was #{number} "{title}".'


QUESTION = re.compile(
    r"^(?:what|whats|what's|who|where|when|why|how|which|is|are|can|could|do|does|tell me|will)\b",
    re.I,
)
SUBJECTS = {"weather": "the weather", "news": "the news", "joke": "jokes", "time": "the time"}


def not_understood(text: str, target: Target) -> str:
    """One short sentence saying what was understood, for a message that wasn't."""
    low = text.lower()
    subject = next(
        (name for word, name in SUBJECTS.items() if re.search(rf"\b{word}s?\b", low)), ""
    )
    if subject:
        return f"I can't help with {subject}, but I can look after your to-do list."
    if target.numbers:
        which = ", ".join(f"#{n}" for n in target.numbers)
        return f"What should I do with {which}: complete it, change it or delete it?"
    if QUESTION.match(low):
        return "That's outside what I can do: I only look after your tasks."
    return "Sorry, I didn't catch a task in that: I can add, list, change, finish or delete tasks."
