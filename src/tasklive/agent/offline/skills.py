"""One plan per intent: the tool calls to make (yielded one at a time), then what to say."""

import re
from collections.abc import Callable, Generator
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from tasklive.agent.offline import details as dt
from tasklive.agent.offline import lexicon as lx
from tasklive.agent.offline import replies as say
from tasklive.agent.offline.details import arguments
from tasklive.agent.offline.dialogue import Call, Context, Question, question
from tasklive.agent.offline.intents import (
    Add,
    AddSome,
    Answer,
    Complete,
    CompleteAll,
    Count,
    Delete,
    DeleteAll,
    DeleteCompleted,
    Intent,
    List,
    Recall,
    Search,
    SmallTalk,
    Target,
    Undo,
    Unknown,
    Update,
)
from tasklive.agent.offline.matching import find_matches, words_of
from tasklive.tasks.quickadd import doubt

Result = dict[str, Any]
Task = dict[str, Any]


@dataclass(frozen=True)
class Said:
    """A plan's reply, the task numbers it showed, and the question it left open."""

    text: str
    listed: tuple[int, ...] = ()
    question: Question | None = None


Plan = Generator[Call, Result, Said]
IntentT = TypeVar("IntentT", bound=Intent)
SKILLS: dict[type, Callable[[Any, Context], Plan]] = {}
PlanOf = Callable[[IntentT, Context], Plan]


def skill(
    kind: type[IntentT],
) -> Callable[[Callable[[IntentT, Context], Plan]], Callable[[IntentT, Context], Plan]]:
    """Register the plan for one intent type."""

    def register(plan: PlanOf[IntentT]) -> PlanOf[IntentT]:
        SKILLS[kind] = plan
        return plan

    return register


def plan(intent: Intent, context: Context) -> Plan:
    """The plan for an intent: the one place intents are dispatched."""
    return SKILLS[type(intent)](intent, context)


def reply(text: str, **fields: Any) -> Plan:
    """A plan that answers without calling a tool."""
    return Said(text, **fields)
    yield  # a generator that makes no calls


@skill(Add)
def add(intent: Add, context: Context) -> Plan:
    doubts = [(item, item.details.doubt or dt.unread_day(item.details, context.clock))
              for item in intent.items]  # fmt: skip
    unsure = next(((item, doubt) for item, doubt in doubts if doubt), None)
    if unsure is not None and doubt.either_half(unsure[1]):
        return (yield from reply(say.which_half(unsure[0].title, unsure[1])))
    if unsure is not None:  # a damaged title or a lost date is worse than a question
        text = say.unsure(unsure[0].title, unsure[1])
        return (yield from reply(text, question=question("unsure", intent)))
    tasks: list[Task] = []
    for item in intent.items[: lx.MAX_ITEMS]:
        args = {"title": item.title} | arguments(item.details, context.clock)
        if item.description:
            args["description"] = item.description
        result = yield Call("add_task", args)
        if not result.get("ok"):
            done = [say.added(tasks)] if tasks else []
            return Said(" ".join([*done, say.failure(result)]))
        tasks.append(result["task"])
    text = say.added(tasks)
    left = len(intent.items) - lx.MAX_ITEMS
    return Said(f"{text} {say.too_many(len(tasks), left)}" if left > 0 else text)


@skill(AddSome)
def add_some(intent: AddSome, context: Context) -> Plan:
    if intent.count == 0 and not intent.topic:
        return (yield from reply(say.ask_title(), question=question("title")))
    return (
        yield from reply(
            say.ask_items(intent.count, intent.topic), question=question("items", intent)
        )
    )


@skill(List)
def list_tasks(intent: List, context: Context) -> Plan:
    result = yield Call("list_tasks", {"status": intent.status})
    if not result.get("ok"):
        return Said(say.failure(result))
    return Said(say.listed(result), listed=tuple(t["number"] for t in result["tasks"]))


@skill(Count)
def count(intent: Count, context: Context) -> Plan:
    result = yield Call("list_tasks", {"status": "all"})
    return Said(say.counted(result) if result.get("ok") else say.failure(result))


@skill(Search)
def search(intent: Search, context: Context) -> Plan:
    result = yield Call("list_tasks", {"status": "all"})
    if not result.get("ok"):
        return Said(say.failure(result))
    if intent.number is not None:
        matches = [task for task in result["tasks"] if task["number"] == intent.number]
        shown = say.shown(intent.number, matches)
        return Said(shown, listed=tuple(t["number"] for t in matches))
    wanted = words_of(intent.words)
    matches = [
        task
        for task in result["tasks"]
        if wanted & words_of(f"{task['title']} {task.get('description') or ''}")
    ]
    return Said(say.found(intent.words, matches), listed=tuple(t["number"] for t in matches))


def _call(
    intent: Update | Complete | Delete, number: int, context: Context, current: Task | None = None
) -> Call:
    if isinstance(intent, Update) and intent.details is not None:
        changes = arguments(intent.details, context.clock, new=False, current=current)
        return Call("update_task", {"number": number} | changes)
    if isinstance(intent, Update):
        field = "description" if intent.description is not None else "title"
        return Call("update_task", {"number": number, field: getattr(intent, field)})
    if isinstance(intent, Complete) and not intent.completed and "uncomplete_task" in context.tools:
        return Call("uncomplete_task", {"number": number})
    if isinstance(intent, Complete):
        return Call("complete_task", {"number": number, "completed": intent.completed})
    return Call("delete_task", {"number": number})


def _said(intent: Update | Complete | Delete, task: Task) -> str:
    if isinstance(intent, Update):
        details = intent.details is not None
        return say.updated(task, description=intent.description is not None, details=details)
    if isinstance(intent, Complete):
        return say.marked(task)
    return say.deleted(task)


def _which(intent: Update | Complete | Delete, candidates: list[Task] | None = None) -> Said:
    numbers = tuple(t["number"] for t in candidates or [])
    asked = question("which", intent, numbers)
    return Said(say.ask_which(intent, candidates), listed=numbers, question=asked)


def _needs_wording(intent: Intent) -> bool:
    return isinstance(intent, Update) and not (intent.title or intent.description or intent.details)


SECOND_PHRASE = re.compile(r"(?:the|my|task|#?\d+|\w+ing)\b", re.I)


def _each_named(intent: Update | Complete | Delete, tasks: list[Task]) -> tuple[int, ...]:
    """The tasks of "the milk and the dentist ones", when each half names exactly one."""
    halves = re.split(r"\s+(?:and|&)\s+", intent.target.words)
    if len(halves) != 2 or find_matches(intent, tasks)[1]:
        return ()
    if not SECOND_PHRASE.match(halves[1]):  # "milk and bread" may be one task's words
        return ()
    numbers = []
    for half in halves:
        matches, whole = find_matches(replace(intent, target=Target(words=half)), tasks)
        if len(matches) != 1 or not whole:
            return ()
        numbers.append(matches[0]["number"])
    return tuple(dict.fromkeys(numbers)) if len(set(numbers)) == 2 else ()


def targeted(intent: Update | Complete | Delete, context: Context) -> Plan:
    """Act on tasks named by number, or find the one the words name (asking when unsure)."""
    spot = intent.target
    if spot.numbers and _needs_wording(intent):
        description = isinstance(intent, Update) and intent.description is not None
        asked = question("wording", intent)
        return Said(say.ask_wording(spot.numbers[0], description), question=asked)
    if spot.numbers:
        known: dict[int, Task] = {}
        if _needs_current(intent):
            listing = yield Call("list_tasks", {"status": "all"})
            known = {t["number"]: t for t in listing.get("tasks", [])}
        texts = []
        for number in spot.numbers:
            result = yield _call(intent, number, context, known.get(number))
            texts.append(_said(intent, result["task"]) if result.get("ok") else say.failure(result))
        return Said(" ".join(texts))
    if not spot.words:
        return _which(intent)
    listing = yield Call("list_tasks", {"status": "all"})
    if not listing.get("ok"):
        return Said(say.failure(listing))
    each = _each_named(intent, listing["tasks"])
    if each:  # "delete the milk and the dentist tasks"
        return (yield from targeted(replace(intent, target=Target(numbers=each)), context))
    matches, whole = find_matches(intent, listing["tasks"])
    instead = intent.instead if isinstance(intent, Update | Complete | Delete) else None
    if (
        not matches
        and instead
        and not any(words_of(spot.words) & words_of(t["title"]) for t in listing["tasks"])
    ):
        return (yield from add(instead, context))  # no task is about it: it is a new to-do
    if not matches:
        return Said(say.no_match(intent, spot.words))
    if len(matches) > 1 or not whole:
        return _which(intent, matches)
    task = matches[0]
    if isinstance(intent, Complete) and bool(task.get("completed")) == intent.completed:
        return Said(say.already(task), listed=(task["number"],))
    if _needs_wording(intent):
        return (
            yield from targeted(replace(intent, target=Target(numbers=(task["number"],))), context)
        )
    result = yield _call(intent, task["number"], context, task)
    return Said(_said(intent, result["task"]) if result.get("ok") else say.failure(result))


def _needs_current(intent: Intent) -> bool:
    """Whether a change builds on the task as it is: labels added, a reminder before its due."""
    details = intent.details if isinstance(intent, Update) else None
    return details is not None and bool(
        details.labels
        or details.remind
        or details.shift
        or details.unlabel
        or (details.clock and not details.when)
    )


SKILLS[Update] = SKILLS[Complete] = SKILLS[Delete] = targeted


@skill(CompleteAll)
def complete_all(intent: CompleteAll, context: Context) -> Plan:
    result = yield Call("complete_all_tasks", {"completed": intent.completed})
    if not result.get("ok"):
        return Said(say.failure(result))
    return Said(say.marked_all(result["count"], intent.completed))


@skill(DeleteAll)
def delete_all(intent: DeleteAll, context: Context) -> Plan:
    if not intent.confirmed and "delete_all_tasks" not in context.approved_on_screen:
        return Said(say.ask_delete_all(), question=question("confirm_delete_all"))
    result = yield Call("delete_all_tasks", {})
    return Said(say.deleted_all(result["count"]) if result.get("ok") else say.failure(result))


@skill(DeleteCompleted)
def delete_completed(intent: DeleteCompleted, context: Context) -> Plan:
    listing = yield Call("list_tasks", {"status": "completed"})
    if not listing.get("ok"):
        return Said(say.failure(listing))
    if not listing["tasks"]:
        return Said(say.no_completed_tasks())
    texts = []
    for task in listing["tasks"]:
        result = yield Call("delete_task", {"number": task["number"]})
        texts.append(say.deleted(result["task"]) if result.get("ok") else say.failure(result))
    return Said(" ".join(texts))


@skill(Undo)
def undo(intent: Undo, context: Context) -> Plan:
    if "undo_last_change" not in context.tools:
        return (yield from reply(say.cannot_undo()))
    return (yield from undo_with_the_log(context.last.changes))


def undo_with_the_log(changes: int) -> Plan:
    """Revert the last reply's changes (or, after a reply that changed nothing, the latest
    change anywhere) through the activity log, which brings deleted tasks back with their numbers.
    """
    texts = []
    for _ in range(max(changes, 1)):
        result = yield Call("undo_last_change", {})
        if not result.get("ok"):
            texts.append(say.failure(result))
            break
        texts.append(str(result.get("summary") or "Undone."))
    return Said(" ".join(texts))


@skill(Recall)
def recall(intent: Recall, context: Context) -> Plan:
    return (yield from reply(say.recall(list(context.added), intent.everything)))


@skill(Answer)
def answer(intent: Answer, context: Context) -> Plan:
    if intent.yes:
        return (yield from reply(say.nothing_to_confirm()))
    asked = context.last.question
    return (
        yield from reply(say.cancelled(asked is not None and asked.ask == "confirm_delete_all"))
    )


TALK = {
    "greeting": say.greeting,
    "thanks": say.thanks,
    "help": say.help_text,
    "feeling": say.feeling,
}


@skill(SmallTalk)
def small_talk(intent: SmallTalk, context: Context) -> Plan:
    return (yield from reply(TALK[intent.topic]()))


@skill(Unknown)
def unknown(intent: Unknown, context: Context) -> Plan:
    text = say.not_understood(intent.text, intent.target)
    return (yield from reply(text, listed=intent.target.numbers))
