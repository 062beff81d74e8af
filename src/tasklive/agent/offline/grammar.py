"""Plain English to intents: split a message into commands, then read each with the parsers."""

import re
from collections.abc import Callable

from tasklive.agent.offline import actions, adding, agenda, edits, queries, taskfirst
from tasklive.agent.offline import lexicon as lx
from tasklive.agent.offline import phrases as ph
from tasklive.agent.offline.intents import Answer, Complete, Intent, SmallTalk, Target, Unknown
from tasklive.tasks.quickadd import scan
from tasklive.tasks.quickadd import tokens as tk

A = lx.alternation
Parser = Callable[[str, str], Intent | None]
STRONG_START = re.compile(
    rf"^(?:{A(tuple(w for t in lx.VERB_TABLES for w in t.strong))}|{A(lx.REMINDERS)})\b", re.I
)
WEAK_START = re.compile(rf"^{A(tuple(w for t in lx.VERB_TABLES for w in t.weak))}\b", re.I)
STATEMENT_START = re.compile(
    rf"^(?:i\s+\w+|{A(tuple(lx.PAST_TENSE))}\b|(?:{ph.TASK_NOUN}\s*)?#?\d+\s+is\b)", re.I
)
SEPARATOR = re.compile(
    r"\s*;\s*|\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&|plus|also)\s+|\s+then\s+|[.!?]+\s+|\s*\n\s*"
)
MAY_I = re.compile(
    r"^(?:can|could|may) i (?P<verb>add|create|put|make) (?:something|a task|one|another|a thing|"
    r"a new task|a todo)(?: to (?:my|the) list)?\s*[?:,.-]?\s+",
    re.I,
)
WANT = re.compile(r"^(?:i(?:'d| would) like to|i want to|i wanna|i need you to)\s+", re.I)
# Tried in order; the first that understands the command wins.
PARSERS: tuple[Parser, ...] = (
    queries.answer,
    queries.undo,
    queries.recall,
    queries.count,
    agenda.ask,
    queries.search,
    queries.bulk,
    edits.change,
    adding.remind,
    actions.update,
    actions.delete,
    actions.complete,
    adding.add,
    queries.list_tasks,
    queries.small_talk,
)


PAST_START = re.compile(rf"^(?:[a-z]{{3,}}ed|{A(tuple(lx.PAST_TENSE))})\b", re.I)
TELLING = re.compile(
    rf"^(?:i\s+(?:just\s+|already\s+)?)?(?:[a-z]+ed|{A(tuple(lx.PAST_TENSE))})\b", re.I
)


def starts_command(rest: str, telling: bool = False) -> bool:
    """Whether the words after a separator begin a new command ("... and delete task 2").

    `telling`: the message is a statement about the past, so "... and called mom" is another.
    """
    rest = ph.clean(rest)
    if STRONG_START.match(rest) or STATEMENT_START.match(rest):
        return True
    if telling and PAST_START.match(rest):
        return True
    weak = WEAK_START.match(rest)
    return bool(weak and ph.REFERENCE.search(rest[weak.end() : weak.end() + 40]))


def split_commands(text: str) -> list[str]:
    """Split where a new command starts, never inside quotes or a pasted bullet list."""
    text = ph.normalize(text)
    text = MAY_I.sub(lambda m: f"{m['verb']} ", text)
    quoted = [m.span() for m in ph.QUOTED.finditer(text)]
    described = tk.DESCRIPTION.search(text)
    if described:
        quoted.append((described.start(), len(text)))
    telling = bool(TELLING.match(ph.clean(text)))
    parts: list[str] = []
    start = 0
    for separator in SEPARATOR.finditer(text):
        if separator.start() <= start or any(a <= separator.start() < b for a, b in quoted):
            continue
        rest = text[separator.end() :]
        if "\n" in separator.group() and ph.BULLET.match(rest):
            continue
        clause = SEPARATOR.split(rest, maxsplit=1)[0]
        if starts_command(rest[:120], telling) and scan(f"x {clause}").title != "x":
            parts.append(text[start : separator.start()])
            start = separator.end()
    parts.append(text[start:])
    return [part for part in parts if ph.clean(part)] or [text]


def _read(text: str) -> Intent | None:
    low = text.lower()
    for parser in PARSERS:
        intent = parser(text, low)
        if intent is not None:
            return intent
    return None


def _fullmatch_no(low: str) -> bool:
    return re.fullmatch(rf"{A(lx.NO)}", low) is not None


def _dated_todo(intent: Intent, text: str) -> bool:
    """ "finish the report by friday", "check the alarms every 6 months": a to-do, not a done."""
    if not isinstance(intent, Complete) or not intent.completed or intent.target.numbers:
        return False
    if intent.target.pointer or not intent.target.words:
        return False
    first = text.split()[0].lower() if text.split() else ""
    if PAST_START.match(first) or first in ("i", "we", "i've", "we've", "just"):
        return False
    found = scan(text)
    return found.dated and not re.search(r"yesterday|\blast\b|\bago\b", found.when, re.I)


def parse_command(text: str) -> Intent:
    """One command (already split) as an intent; Unknown when nothing fits."""
    raw = ph.normalize(text)
    if "\n" in raw and (added := adding.ADD.match(raw)):
        return adding.parse_add(added["rest"])
    if queries.greeting(raw):
        return SmallTalk("greeting")
    text = ph.clean(raw)
    bare = raw.lower().strip(" !.,")
    if not text and _fullmatch_no(bare):
        return Answer(yes=False)
    if not text:
        thanks = re.search(r"\b(?:thanks|thank you|thx)\b", raw, re.I)
        return SmallTalk("thanks" if thanks else "greeting")
    if taskfirst.FIRST.match(text):
        early = taskfirst.read(raw)
        if early is not None:
            return early
    wanted = WANT.match(text)
    if wanted and starts_command(text[wanted.end() :]):
        text = text[wanted.end() :]
    head, _, last = text.rpartition(" ")
    state = lx.corrected_state(last) if re.search(r"\b(?:as|is|are)$", head, re.I) else None
    text = f"{head} {state}" if state else text
    first, _, rest = text.partition(" ")
    fixed = lx.corrected(first)
    intent = _read(f"{fixed} {rest}".strip()) if fixed else None
    if intent is None or isinstance(intent, Unknown):
        intent = _read(text)
    if intent is None or isinstance(intent, Unknown) or _dated_todo(intent, text):
        intent = taskfirst.read(raw) or intent
    if intent is None:
        numbers = ph.numbers_in(text) if len(text.split()) <= 5 else ()
        pointer = ph.target(text) if len(text.split()) <= 4 else None
        spot = pointer if pointer and (pointer.numbers or pointer.pointer) else None
        return Unknown(text, spot or Target(numbers=numbers))
    return intent


def parse(text: str) -> list[Intent]:
    """Every command in one user message, in order."""
    return [parse_command(part) for part in split_commands(text)]
