"""How the offline model carries out each intent: the tool calls to make, then the reply to give."""

import re
from collections.abc import Generator
from dataclasses import dataclass, field, replace
from typing import Any

from tasklive.agent import offline_reply as say
from tasklive.agent.offline_parse import parse
from tasklive.agent.offline_reply import Pending, Result, Task, last_mentioned, read_pending
from tasklive.agent.offline_words import (
    TASK_NOUN,
    Intent,
    clean,
    parse_target,
    split_list,
    strip_quotes,
)


@dataclass(frozen=True)
class Call:
    """One tool call the model asks the agent loop to run."""

    tool: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    """What the conversation so far tells the model: earlier replies and the question left open."""

    replies: tuple[str, ...] = ()
    pending: Pending | None = None


Plan = Generator[Call, Result, str]

ORDINALS = {
    "first": 0,
    "1st": 0,
    "second": 1,
    "2nd": 1,
    "third": 2,
    "3rd": 2,
    "fourth": 3,
    "4th": 3,
    "last": -1,
}
STOP_WORDS = {
    "the",
    "a",
    "an",
    "my",
    "to",
    "of",
    "for",
    "and",
    "task",
    "todo",
    "item",
    "one",
    "it",
    "at",
    "on",
    "in",
}


def _answer(pending: Pending, text: str) -> Intent | None:
    """The user's reply to the question the assistant left open, as an intent."""
    cleaned = clean(text)
    if pending.kind == "which" and pending.template is not None:
        ordinal = re.search(rf"\b({'|'.join(ORDINALS)})\b", cleaned.lower())
        if ordinal and pending.candidates:
            index = ORDINALS[ordinal[1]]
            if index < len(pending.candidates):
                return replace(pending.template, numbers=(pending.candidates[index],))
        target = parse_target(cleaned)
        if target.numbers or target.ref:
            return replace(pending.template, numbers=target.numbers, ref=target.ref)
        return None
    looks_like_command = re.search(
        rf"\b{TASK_NOUN}\b|#\d|\blist\b", cleaned, re.I
    ) or text.strip().endswith("?")
    if looks_like_command or not cleaned:
        return None
    if pending.kind == "title":
        return Intent("add", title=strip_quotes(cleaned))
    if pending.kind == "update" and pending.template is not None:
        return replace(pending.template, title=strip_quotes(cleaned))
    if pending.kind == "many":
        return Intent("add_many", titles=split_list(text))
    return None


def _confirms(intent: Intent) -> bool:
    """A yes to "delete all your tasks?": "yes", "do it", "yes, delete them all"."""
    return intent.kind in ("yes", "ask_delete_all") or (
        intent.kind == "delete" and intent.ref in ("them", "all of them")
    )


def understand(text: str, replies: tuple[str, ...]) -> tuple[list[Intent], Context]:
    """The intents in the user's message, read together with the assistant's previous reply."""
    previous = replies[-1] if replies else ""
    context = Context(replies, read_pending(previous))
    intents = parse(text)
    pending = context.pending
    if pending and pending.kind == "confirm_delete_all" and all(map(_confirms, intents)):
        return [Intent("delete_all")], context
    if pending and len(intents) == 1:
        intent = intents[0]
        answerable = intent.kind == "unknown" or (
            pending.kind in ("title", "update", "many")
            and intent.kind not in ("yes", "no", "help", "thanks")
        )
        answer = _answer(pending, text) if answerable else None
        if answer is not None:
            intents = [answer]
    mentioned = last_mentioned(previous)
    it = {"ref": "", "numbers": (mentioned,) if mentioned is not None else ()}
    return [replace(i, **it) if i.ref in ("it", "them") else i for i in intents], context


def stem(word: str) -> str:
    """A crude singular: groceries -> grocery, meetings -> meeting."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def words(text: str) -> set[str]:
    """The meaningful words of a title or reference, stemmed."""
    return {stem(w) for w in re.findall(r"[a-z0-9]+", text.lower())} - STOP_WORDS


def find_matches(intent: Intent, tasks: list[Task]) -> list[Task]:
    """Tasks whose titles contain the reference's words (exact titles first)."""
    exact = [t for t in tasks if t["title"].strip().lower() == intent.ref.lower()]
    if len(exact) == 1:
        return exact
    wanted = words(intent.ref)
    if not wanted:
        return []
    matches = [t for t in tasks if wanted <= words(t["title"])]
    if not matches:
        overlaps = {t["number"]: len(wanted & words(t["title"])) for t in tasks}
        best = max(overlaps.values(), default=0)
        if best and best * 2 >= len(wanted) and len(wanted) > 1:
            matches = [t for t in tasks if overlaps[t["number"]] == best]
    if intent.kind == "complete" and len(matches) > 1:
        preferred = [t for t in matches if bool(t.get("completed")) != intent.completed]
        matches = preferred or matches
    return matches


def _action(intent: Intent, number: int) -> Call:
    if intent.kind == "update":
        return Call("update_task", {"number": number, "title": intent.title})
    if intent.kind == "describe":
        return Call("update_task", {"number": number, "description": intent.description})
    if intent.kind == "complete":
        return Call("complete_task", {"number": number, "completed": intent.completed})
    return Call("delete_task", {"number": number})


def _phrase(intent: Intent, result: Result) -> str:
    phrases = {"update": say.updated, "describe": say.described, "complete": say.marked}
    return phrases.get(intent.kind, say.deleted)(result)


def _find_one(intent: Intent) -> Generator[Call, Result, Task | str]:
    """List the tasks and pick the one the reference names, or the reply explaining why not."""
    listing = yield Call("list_tasks", {"status": "all"})
    if not listing.get("ok"):
        return say.failure(listing)
    matches = find_matches(intent, listing.get("tasks", []))
    if not matches:
        return say.no_match(intent.ref)
    if len(matches) > 1:
        return say.ask_which(intent, matches)
    return matches[0]


def targeted(intent: Intent) -> Plan:
    """Update, describe, complete or delete tasks named by number or by title words."""
    if intent.numbers:
        replies = []
        for number in intent.numbers:
            replies.append(_phrase(intent, (yield _action(intent, number))))
        return " ".join(replies)
    if not intent.ref:
        return say.ask_which(intent)
    found = yield from _find_one(intent)
    if isinstance(found, str):
        return found
    return _phrase(intent, (yield _action(intent, found["number"])))


def ask_update(intent: Intent) -> Plan:
    """'Update task 3' with no new text: ask what it should say."""
    if intent.numbers:
        return say.ask_update(intent.numbers[0])
    if not intent.ref:
        return say.ask_update(None)
    found = yield from _find_one(replace(intent, kind="update"))
    return found if isinstance(found, str) else say.ask_update(found["number"])


def add_many(intent: Intent) -> Plan:
    replies = []
    for title in intent.titles:
        replies.append(say.added((yield Call("add_task", {"title": title}))))
    return " ".join(replies)


def delete_completed(intent: Intent) -> Plan:
    listing = yield Call("list_tasks", {"status": "completed"})
    if not listing.get("ok"):
        return say.failure(listing)
    tasks = listing.get("tasks", [])
    if not tasks:
        return say.no_completed_tasks()
    replies = []
    for task in tasks:
        replies.append(say.deleted((yield Call("delete_task", {"number": task["number"]}))))
    return " ".join(replies)


def plan(intent: Intent, context: Context) -> Plan:
    """The tool calls for one intent (yielded one at a time), returning the reply text."""
    kind = intent.kind
    if kind == "add":
        args = {"title": intent.title}
        if intent.description:
            args["description"] = intent.description
        return say.added((yield Call("add_task", args)))
    if kind == "add_many":
        return (yield from add_many(intent))
    if kind in ("list", "count"):
        result = yield Call("list_tasks", {"status": intent.status if kind == "list" else "all"})
        return say.listed(result) if kind == "list" else say.counted(result)
    if kind in ("update", "describe", "complete", "delete"):
        return (yield from targeted(intent))
    if kind == "ask_update":
        return (yield from ask_update(intent))
    if kind == "complete_all":
        result = yield Call("complete_all_tasks", {"completed": intent.completed})
        return say.marked_all(result, intent.completed)
    if kind == "delete_all":
        return say.deleted_all((yield Call("delete_all_tasks", {})))
    if kind == "delete_completed":
        return (yield from delete_completed(intent))
    return answer_without_tools(intent, context)


def answer_without_tools(intent: Intent, context: Context) -> str:
    """Replies that need no tool: questions back, history, help and steering back to tasks."""
    replies = {
        "ask_title": say.ask_title,
        "ask_delete_all": say.ask_delete_all,
        "help": say.greeting,
        "thanks": say.thanks,
        "yes": say.nothing_to_confirm,
    }
    if intent.kind in replies:
        return replies[intent.kind]()
    if intent.kind == "ask_many":
        return say.ask_many(intent.count, intent.topic)
    if intent.kind == "no":
        return say.cancelled(context.pending)
    if intent.kind in ("recall", "recall_all"):
        return say.recall(list(context.replies), everything=intent.kind == "recall_all")
    return say.off_topic(intent.topic)
