"""Plain English to intents: split a message into commands, then read each with the parsers."""

import re
from collections.abc import Callable
from dataclasses import replace

from tasklive.agent.offline import actions, adding, agenda, edits, joined, queries, taskfirst
from tasklive.agent.offline import lexicon as lx
from tasklive.agent.offline import phrases as ph
from tasklive.agent.offline.details import Details
from tasklive.agent.offline.intents import (
    Add,
    Answer,
    Complete,
    Delete,
    Intent,
    SmallTalk,
    Target,
    Unknown,
    Update,
)
from tasklive.tasks.quickadd import repeats, scan
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
INSTEAD = re.compile(r"\sinstead[.!]*$", re.I)
ALSO = re.compile(r"^(?:also|and|then|plus)\s+", re.I)
MAY_I = re.compile(
    r"^(?:can|could|may) i (?P<verb>add|create|put|make) (?:something|a task|one|another|a thing|"
    r"a new task|a todo)(?: to (?:my|the) list)?\s*[?:,.-]?\s+",
    re.I,
)
WANT = re.compile(
    r"^(?:i(?:'d| would) like to|i want to|i wanna|i need you to|"
    r"(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+)?)\s*",
    re.I,
)
# a new task's title that is a change to the task just talked about: "put a label of finance on
# it", "move it to the morning" are never to-dos
FOLLOW_UP_TITLE = re.compile(
    r"\b(?:labels?|tags?|reminders?|priority|due\s+date|deadline|notes?|description)\b.*"
    r"\b(?:it|that)$|^(?:move|push|bump|shift|switch|change|set|reschedule|postpone|put)\s+"
    r"(?:it|that|this)\b|"
    r"^(?:it|that|this|them|those|these|something|anything|stuff|the thing|one|"
    r"move|push|change|update|edit|rename|reschedule|postpone|delete|remove|complete|finish)$|"
    r"^[a-z'-]+\s+(?:it|that|this|them|those)(?:\s+(?:up|out|again|now|please|instead|then|too))?$",
    re.I,
)
# "make it 6 instead": a time, never the title "6"
HOUR_TITLE = re.compile(
    r"(?:at\s+)?(?P<clock>\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?)(?:\s+instead)?", re.I
)
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
    if IT_EDIT.match(rest):  # "… and give it the tag admin"
        return True
    weak = WEAK_START.match(rest) or MOVE_START.match(rest)
    return bool(weak and ph.REFERENCE.search(rest[weak.end() : weak.end() + 40]))


IT_EDIT = re.compile(
    r"^(?:give|file|put|mark|make|tag|label|set|move|flag|stick)\s+(?:it|this)\s+(?!off\b|as\s+done)\S",
    re.I,
)
# "…, and push task 4 to thursday": a move starts a command when it names a task
MOVE_START = re.compile(r"^(?:push|move|postpone|reschedule|bump|shift|prepone)\b", re.I)


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
        detail = any(scan(f"x{glue}{clause}").title == "x" for glue in (" ", ", "))
        todo = taskfirst.VERB.match(ALSO.sub("", ph.clean(rest)))
        semicolon = ";" in separator.group()
        # "buy a card tomorrow and call the florist friday 10am": two dated to-dos
        dated = bool(todo) and scan(text[start : separator.start()]).dated and scan(clause).dated
        # "bin the plants task, they died": the reason is a clause of its own, not the task's name
        reason = "," in separator.group() and ph.SUBJECT.match(rest) and _commands(text[start:])
        told = TOLD.match(ph.clean(rest))  # "…, I already spoke to her"
        if reason and not detail and (told or not starts_command(rest[:120], telling)):
            parts.append(text[start : separator.start()])
            start = len(text)
            break
        if (starts_command(rest[:120], telling) or (todo and (semicolon or dated))) and not detail:
            parts.append(text[start : separator.start()])
            start = separator.end()
    parts.append(text[start:])
    return [part for part in parts if ph.clean(part)] or [text]


TOLD = re.compile(
    rf"^(?:i|we)\s+(?:just\s+|already\s+|have\s+)?(?!(?:need|feed|speed|bleed|breed)\b)"
    rf"(?:[a-z]{{2,}}ed|{A(tuple(lx.PAST_TENSE))})\b",
    re.I,
)


# a service or a booking to call off is a to-do: "cancel the Foxtel subscription", "cancel Hulu"
CANCEL = re.compile(
    r"^cancel\s+(?:(?:the|my|our)\s+)?(?:(?-i:[A-Z])|.*\b(?:subscription|membership|trial|plan|"
    r"order|booking|reservation|account|contract|policy|insurance|card|newsletter|delivery)s?\b)",
    re.I,
)


def _commands(text: str) -> bool:
    """Whether `text` starts with a verb that changes a task already there."""
    return bool(CHANGES_A_TASK.match(ph.clean(text)))


CHANGES_A_TASK = re.compile(
    rf"^(?:{A(tuple(w for t in (lx.DELETE, lx.COMPLETE, lx.UPDATE) for w in t.all()))}|"
    r"stop\s+repeating|throw\s+away|move|push|postpone|reschedule)\b",
    re.I,
)


SELF_NOTE = re.compile(r"^(?:a\s+)?note\s+to\s+(?:self|me|myself)\b", re.I)


def _read(text: str) -> Intent | None:
    low = text.lower()
    if actions.NOTE.match(text) and not SELF_NOTE.match(text):  # "for task 4 add a note: …"
        return actions.update(text, low)
    for parser in PARSERS:
        intent = parser(text, low)
        if intent is not None:
            return intent
    return None


def _fullmatch_no(low: str) -> bool:
    return re.fullmatch(rf"{A(lx.NO)}", low) is not None


def _todo_not_command(intent: Intent, text: str) -> bool:
    """ "finish the report by friday", "check the alarms every 6 months", "trash cans to the
    curb every sunday", "cancel the gym trial before thu": a to-do, not a done or a delete."""
    deletes = isinstance(intent, Delete) and not re.search(r"\btasks?\b", text, re.I)
    if not (deletes or (isinstance(intent, Complete) and intent.completed)):
        return False
    assert isinstance(intent, Complete | Delete)
    if intent.target.numbers:
        return False
    if intent.target.pointer or not intent.target.words:
        return False
    first = text.split()[0].lower() if text.split() else ""
    if PAST_START.match(first) or first in ("i", "we", "i've", "we've", "just"):
        return False
    found = scan(text)
    urgent = isinstance(intent, Complete) and found.priority is not None  # "finish X, it's urgent"
    past = re.search(r"yesterday|\blast\b|\bago\b", found.when, re.I)
    return (found.dated or urgent) and not past


# Verbs that only ever manage tasks: "move the dentist to friday" never means a new to-do.
MANAGING = re.compile(
    r"^(?:move|rename|retitle|reschedule|postpone|prepone|push|bump|mark|tick|reopen|uncheck|edit|"
    r"undo|lower|raise|"
    r"complete|close|resolve|cross|delete|erase|trash|get rid|forget|scrap|"
    r"change\s+(?:the\s+)?(?:due|date|time|title|name|"
    r"priority|label|list|description|note))\b",
    re.I,
)


FIELDS = re.compile(
    r"\b(?:due|date|deadline|priority|label|labels|reminder|list|title|name|description|note|"
    r"off|done|finished|complete|completed)\b",
    re.I,
)


# "change the dentist to thursday", "set a dentist appointment": a move or a new task said
# with a managing verb, never a to-do about changing something
RESET = re.compile(r"^(?:change|update|set|switch|turn)\b(?:.*\b(?:to|into)\b|\s+(?:a|an)\b)", re.I)


def _or_todo(intent: Update | Complete, raw: str) -> Update | Complete | Add:
    """ "update the website p2", "change the sheets every saturday": a change to a task when one
    is about it, else the to-do itself (the plan decides once it has seen the list)."""
    text = ph.clean(raw)
    spot = intent.target
    if spot.numbers or spot.pointer or not spot.words or MANAGING.match(text):
        return intent
    if isinstance(intent, Update) and intent.details and intent.details.remind:
        todo = adding.remind(text, text.lower())  # "remind me about the bill at 6": it, or new
        return replace(intent, instead=todo) if isinstance(todo, Add) else intent
    if isinstance(intent, Update) and not (intent.details or intent.title or intent.description):
        return replace(intent, instead=Add((ph.new_task(text),)))  # "update the budget sheet"
    bare = tk.LIST.sub(" ", tk.SPOKEN_TAGS.sub(" ", text))  # a to-do's "…, label it kids"
    bare = repeats.REPEAT.sub(" ", bare)  # "every 3 months" names no task 3
    named = ph.REFERENCE.search(scan(text).title)  # "bring snacks sat 8:30am" names no task 8
    if not taskfirst.VERB.match(text) or named or FIELDS.search(bare):
        return intent
    if RESET.match(text):
        return intent
    checks = re.match(r"check\s+(?:out|in|on|up)\b", text, re.I)  # "check out 'Sunday in the Park'"
    if isinstance(intent, Complete) and not checks:
        return intent  # "finish the slides" most likely means a task already there
    todo = taskfirst.read(raw)
    if checks and isinstance(todo, Add):
        return todo
    if (
        isinstance(todo, Add)
        and len(todo.items) == 1
        and todo.items[0].title.startswith(text.split()[0])
    ):
        return replace(intent, instead=todo)
    return intent


FIELD = r"(?:due\s+date|due\s+time|deadline|labels?|tags?|description|notes?|priority|reminder)"
# "remove 3's due date" is "remove the due date of task 3"; "the due time of 4", "task 4"
NUMBER_FIELD = re.compile(rf"(?<![\w#])(?:task\s*)?#?(\d+)'s\s+({FIELD})\b", re.I)
FIELD_NUMBER = re.compile(rf"\b({FIELD})\s+(of|on|from|for)\s+#?(\d+)\b", re.I)


def _numbered(text: str) -> str:
    text = NUMBER_FIELD.sub(r"the \2 of task \1", text)
    return FIELD_NUMBER.sub(r"\1 \2 task \3", text)


WHEN_OF = re.compile(r"^(?:due\s+)?(?:time|date)\s+of\s+(\d+)$", re.I)


def _when_of(intent: Update | Complete) -> Update | Complete:
    """ "change the due time of 4 to 11am": task 4's due, not a task about "due time"."""
    spot = WHEN_OF.match(intent.target.words)
    if not spot or not isinstance(intent, Update) or intent.title or intent.description:
        return intent
    return replace(intent, target=Target(numbers=(int(spot[1]),)))


def _names_a_task(title: str, text: str) -> bool:
    """A new task's title that is about a task already there ("make task 3 'Call Bob'")."""
    if FOLLOW_UP_TITLE.search(title):
        return True
    said = re.search(r"\btask\s*#?(\d+)\b", text, re.I)
    return bool(said and re.search(rf"(?<![\d.,:/]){said[1]}(?!\d|[.,:/]\d)", title))


def parse_command(text: str) -> Intent:
    """One command (already split) as an intent; Unknown when nothing fits."""
    raw = _numbered(ph.normalize(text))
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
    elif taskfirst.reminds_first(text):  # "remind me friday call mom": that task, or a new one
        early = taskfirst.read(raw)
        if isinstance(early, Add) and len(early.items) == 1:
            item = early.items[0]
            return Update(Target(words=item.title), details=item.details, instead=early)
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
    if intent is None or isinstance(intent, Unknown) or _todo_not_command(intent, text):
        intent = taskfirst.read(raw) or intent
    elif isinstance(intent, Update | Complete):
        intent = _or_todo(_when_of(intent), raw)
    elif isinstance(intent, Delete) and CANCEL.match(text) and intent.target.words:
        todo = taskfirst.read(raw)  # "cancel the Foxtel subscription": that task, or a to-do
        intent = replace(intent, instead=todo) if isinstance(todo, Add) else intent
    instead = INSTEAD.search(raw) and isinstance(intent, Add | Unknown) and edits.split(text)
    if instead:  # "plants every 3 days instead": the task named, with these details now
        return Update(instead[0], details=instead[1])
    if isinstance(intent, Add) and any(_names_a_task(i.title, text) for i in intent.items):
        return Unknown(text, Target())
    if isinstance(intent, Update) and intent.title:
        if re.match(r"make\b", text, re.I) and re.fullmatch(r"[a-z]+", intent.title):
            return Unknown(text, Target())  # "make it earlier" is no rename
        hour = HOUR_TITLE.fullmatch(intent.title)
        if hour and int(hour["clock"].split(":")[0]) <= 24:
            return replace(intent, title=None, details=Details(clock=hour["clock"]))
    if intent is None:
        numbers = ph.numbers_in(text) if len(text.split()) <= 5 else ()
        pointer = ph.target(text) if len(text.split()) <= 4 else None
        spot = pointer if pointer and (pointer.numbers or pointer.pointer) else None
        return Unknown(text, spot or Target(numbers=numbers))
    return intent


def parse(text: str) -> list[Intent]:
    """Every command in one user message, in order."""
    return joined.read_together([parse_command(part) for part in split_commands(text)])
