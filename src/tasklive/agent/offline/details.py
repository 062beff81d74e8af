"""A task's details in plain words: when, repeats, priority, labels, list and reminder.

`extract` cuts them out of a title (clock-free, so intents stay plain data); `arguments` turns
them into tool arguments against the message's `Clock`.
"""

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from tasklive.agent.offline.showing import due_of
from tasklive.tasks.quickadd import dates, hours, repeats, resolve, scan
from tasklive.tasks.quickadd import tokens as tk
from tasklive.tasks.quickadd.dates import Clock

PRIORITY = tk.PRIORITY
PRIORITY_LAST = re.compile(rf"\s*,\s*(?:{tk.PRIORITY.pattern})\W*$", re.I)
PRIORITY_FIRST = tk.PRIORITY_FIRST
NOT_LIST = tk.NOT_LIST
LIST_NAMES = tk.LIST_NAMES
LIST = tk.LIST
AMOUNT = tk.AMOUNT
REMIND_BEFORE = tk.REMIND_BEFORE


@dataclass(frozen=True)
class Details:
    """What a message said about a task besides its title; empty fields were not said."""

    when: str = ""  # the date and time words ("friday at 5pm")
    clock: str = ""  # the time words, when said apart from the day
    repeat: str = ""  # an RRULE
    repeat_part: str = ""  # "morning" in "every morning"
    priority: int | None = None
    labels: tuple[str, ...] = ()
    list: str = ""
    remind: str = ""  # "due" (at the due time), "before:<amount>", or "at:<when words>"
    clear: tuple[str, ...] = field(default=())
    shift: str = ""  # "1 day" later ("-1 day" earlier), from the task's own due date
    unlabel: tuple[str, ...] = ()  # labels to take off
    doubt: str = ""  # words the reader is unsure about: ask before writing the task

    def __bool__(self) -> bool:
        return bool(
            self.when or self.clock or self.repeat or self.priority or self.labels or self.list
        ) or bool(self.remind or self.clear or self.shift or self.unlabel)


def _cut(text: str, match: re.Match[str]) -> str:
    return re.sub(r"\s+", " ", text[: match.start()] + " " + text[match.end() :]).strip(" ,;:-")


def _priority(match: re.Match[str]) -> int:
    return tk.priority_of(match)


def extract(text: str, *, reminder: bool = False) -> tuple[str, Details]:
    """The title without its detail words, and the details."""
    title, _, details = read(text, reminder=reminder)
    return title, details


def read(text: str, *, reminder: bool = False) -> tuple[str, str, Details]:
    """The title, description and details, as the quick-add reader finds them.

    `reminder`: the message asked to be reminded ("remind me to ..."), so a date is one too.
    """
    found = scan(text)
    when, clock_words, remind = found.when, found.clock, found.remind
    if remind.startswith("lead:"):
        words = tk.lead_words(remind)
        if found.dated:
            remind = f"at:{words}"
        else:
            said = dates.find(words)
            when, clock_words, remind = said.day, said.clock, "due"
    if reminder and (when or clock_words) and not remind:
        remind = "due"
    details = Details(
        when=when,
        clock=clock_words,
        repeat=found.repeat,
        repeat_part=found.repeat_part,
        priority=found.priority,
        labels=found.labels,
        list=found.list,
        remind=remind,
        doubt=found.doubt,
    )
    return found.title, found.description, details


def only(text: str) -> Details | None:
    """The details when `text` says nothing else ("to tomorrow", "p1", "#home", "weekly")."""
    rest, details = extract(text)
    rest = re.sub(
        r"\b(?:it|that|the|a|an|as|to|be|is|due|date|deadline|now|instead|priority|repeat|"
        r"repeating|recurring|on|for|please|set|make|list|and|also|plus|with)\b",
        " ",
        rest,
        flags=re.I,
    )
    return replace(details, doubt="") if details and not rest.strip(" ,.!?;:-") else None


def _due(details: Details, clock: Clock, new: bool) -> date | datetime | None:
    when, clock_words = details.when, details.clock
    return resolve.due(when, clock_words, details.repeat, details.repeat_part, clock, new=new)


def unread_day(details: Details, clock: Clock) -> str:
    """The day words that name no day ("monday the 13th" when the 13th is a friday), or ""."""
    return details.when if details.when and _due(details, clock, True) is None else ""


def _reminder(details: Details, due: date | datetime | None, clock: Clock) -> datetime | None:
    return resolve.reminder(details.remind, due, clock)


def _shifted(due: date | datetime, words: str) -> date | datetime:
    back = words.startswith("-")
    delta = resolve.offset(words.lstrip("-")) or timedelta(days=1)
    if not isinstance(due, datetime):
        delta = timedelta(days=max(1, delta.days) if delta.days else 1)
    return due - delta if back else due + delta


def arguments(
    details: Details, clock: Clock, *, new: bool = True, current: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The tool arguments for the details; words that don't resolve are left out.

    `new`: for a new task, so a repeat without a day starts at its first occurrence.
    `current`: the task being changed, as the tools report it (its labels grow, its due
    date places a reminder "30 minutes before").
    """
    args: dict[str, Any] = {}
    due = _due(details, clock, new)
    current = current or {}
    if details.labels and current.get("labels"):
        details = replace(
            details, labels=tuple(dict.fromkeys([*current["labels"], *details.labels]))
        )
    if details.unlabel:
        kept = [
            x for x in details.labels or current.get("labels") or [] if x not in details.unlabel
        ]
        details = replace(details, labels=tuple(kept))
        args["labels"] = kept
    due_was = due_of(current)
    if (
        not new
        and due_was is not None
        and details.clock
        and not details.when
        and not details.repeat
    ):
        # "at 6pm": on the day it is already due; "9:30" in the half of the day it was due
        evening = isinstance(due_was, datetime) and due_was.hour >= 12
        hour = hours.hour_of(details.clock, evening)
        day = due_was.date() if isinstance(due_was, datetime) else due_was
        due = clock.local(day, hour) if hour is not None else due
    if details.shift and due is None and due_was is not None:
        due = _shifted(due_was, details.shift)
    if due is not None:
        args["due"] = dates.iso(due)
    if details.priority:
        args["priority"] = details.priority
    if details.labels:
        args["labels"] = list(details.labels)
    if details.list:
        args["list"] = details.list
    if details.repeat:
        args["recurrence"] = details.repeat
    reminder = _reminder(details, due if due is not None else due_of(current), clock)
    if reminder is not None:
        args["remind_at"] = dates.iso(reminder)
    if details.clear:
        args["clear"] = list(details.clear)
    return args


def shared(text: str) -> tuple[str, Details]:
    """The list and reminder said once for a whole message, cut out of it."""
    values: dict[str, Any] = {}
    listed = LIST.search(text)
    if listed:
        values["list"], text = tk.list_name(listed["name"] or listed["known"]), _cut(text, listed)
    remind = REMIND_BEFORE.search(text)
    if remind:
        values["remind"], text = tk.before_spec(remind), _cut(text, remind)
    last = PRIORITY_LAST.search(text) or PRIORITY_FIRST.search(text)
    if last:
        values["priority"], text = _priority(last), _cut(text, last)
    listed_days = repeats.REPEAT.search(text)
    if listed_days and "," in listed_days.group():  # before the items are split at commas
        values["repeat"], text, values["repeat_part"] = repeats.find_repeat(text)
    return text, Details(**values)


SHARED = ("list", "remind", "priority", "repeat", "repeat_part", "when", "clock")


def merged(first: Details | None, then: Details) -> Details:
    """`then` with the fields it leaves empty taken from `first`."""
    if not first:
        return then
    return replace(
        then,
        **{k: getattr(first, k) for k in SHARED if not getattr(then, k)},
    )
