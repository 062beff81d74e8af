"""A task's details in plain words: when, repeats, priority, labels, list and reminder.

`extract` cuts them out of a title (clock-free, so intents stay plain data); `arguments` turns
them into tool arguments against the message's `Clock`.
"""

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from tasklive.agent.offline.showing import due_of
from tasklive.tasks.quickadd import dates, repeats
from tasklive.tasks.quickadd.dates import Clock, Found

PRIORITY_WORDS = {"urgent": 1, "urgently": 1, "critical": 1, "top": 1, "highest": 1,
                  "high": 2, "important": 2, "medium": 3, "normal": 3, "low": 4,
                  "lowest": 4}  # fmt: skip
LEVEL = r"(?:urgent|critical|top|highest|high|medium|normal|low|lowest)"
PRIORITY = re.compile(
    rf"(?<![\w#])(?:(?:with\s+|at\s+|as\s+)?(?:a\s+)?(?:priority\s*(?:level\s*)?(?:of\s+)?"
    rf"(?P<number>[1-4])|p(?P<p>[1-4])|(?P<level>{LEVEL})[\s-]+(?:priority|prio|importance)|"
    rf"priority\s*:?\s*(?P<level2>{LEVEL}))|\(?(?P<word>urgent(?:ly)?|important|critical)\)?"
    r"(?=\W*(?:$|[:,]))|^(?P<lead>urgent|important)\s*[:!,-]\s*)(?!\w)",
    re.I,
)
PRIORITY_LAST = re.compile(rf"\s*,\s*(?:{PRIORITY.pattern})\W*$", re.I)
# "an urgent task to fix the heating"
PRIORITY_FIRST = re.compile(
    rf"(?<=^an )(?P<word>urgent|important)(?=\s+(?:task|to-?do|item|reminder)\b)|"
    rf"(?<=^a )(?P<level>{LEVEL})[\s-]priority(?=\s+(?:task|to-?do|item|reminder)\b)",
    re.I,
)
LABEL = re.compile(
    r"(?<![\w&#])#(?P<tag>[a-z][\w-]{0,39})\b|"
    r"(?<!\w)(?:(?:with|under)\s+(?:the\s+|a\s+)?(?:label|tag)|labell?ed|tagged)\s+"
    r"(?:(?:as|with)\s+)?#?(?P<word>[a-z][\w-]{0,39})\b",
    re.I,
)
NOT_LIST = r"(?!(?:to-?do|todo|task|tasks|reminder|reminders)\b)"
LIST_NAMES = ("groceries", "grocery", "shopping", "errands", "chores", "packing")
LIST = re.compile(
    rf"(?<!\w)(?:to|on|onto|in|into|for|under)\s+(?:my|the|our)\s+(?P<name>{NOT_LIST}[a-z][\w'-]*"
    r"(?:\s+(?!list\b)[a-z][\w'-]*)?)\s+list\b|"
    rf"(?<!\w)(?:to|on|onto|in|into|for)\s+(?:my\s+|the\s+)?(?P<known>{'|'.join(LIST_NAMES)})"
    r"(?:\s+list)?(?=\W*$)",
    re.I,
)
AMOUNT = rf"(?P<count>{dates.COUNT}|\d+)\s*(?P<unit>minutes?|mins?|hours?|hrs?|days?|weeks?)"
REMIND_BEFORE = re.compile(
    rf"[\s,;]*(?:and\s+)?(?:remind(?:\s+me)?|with\s+a\s+reminder|set\s+a\s+reminder|a\s+reminder|"
    rf"reminder|alert\s+me|notify\s+me|ping\s+me|warn\s+me)\s+(?:(?:about\s+it|of\s+it)\s+)?"
    rf"(?:{AMOUNT}|(?P<daybefore>the\s+(?:day|night|evening)))\s+"
    r"(?:before(?:hand)?|earlier|ahead|prior|in advance)(?:\s+(?:it(?:'s|\s+is)\s+due|that))?",
    re.I,
)
REMIND_AT = re.compile(
    r"[\s,;]*(?:and\s+)?(?:remind\s+me|with\s+a\s+reminder|set\s+a\s+reminder|alert\s+me|"
    r"notify\s+me|ping\s+me)(?:\s+(?:about\s+it|of\s+it|then))?(?P<when>\s+(?:at|on|by)\s+.+)?$",
    re.I,
)
UNIT_DELTA = {"minute": "minutes", "min": "minutes", "hour": "hours", "hr": "hours",
              "day": "days", "week": "weeks"}  # fmt: skip
REMIND_HOUR = time(9)  # a reminder for a task due on a day, not at a time


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

    def __bool__(self) -> bool:
        return bool(
            self.when or self.clock or self.repeat or self.priority or self.labels or self.list
        ) or bool(self.remind or self.clear)


def _cut(text: str, match: re.Match[str]) -> str:
    return re.sub(r"\s+", " ", text[: match.start()] + " " + text[match.end() :]).strip(" ,;:-")


def _priority(match: re.Match[str]) -> int:
    said = {key: value for key, value in match.groupdict().items() if value}
    digit = said.get("number") or said.get("p")
    if digit:
        return int(digit)
    word = next(said[k] for k in ("level", "level2", "word", "lead") if k in said)
    return PRIORITY_WORDS.get(word.lower(), 2)


def extract(text: str, *, reminder: bool = False) -> tuple[str, Details]:
    """The title without its detail words, and the details. `reminder`: "remind me to ..."."""
    text, common = shared(text)
    values: dict[str, Any] = {"list": common.list, "remind": common.remind}
    for key in ("priority", "repeat", "repeat_part"):
        if getattr(common, key):
            values[key] = getattr(common, key)
    remind = None if common.remind else REMIND_AT.search(text)
    if remind and remind.start() > 0:
        when = (remind["when"] or "").strip()
        values["remind"] = f"at:{when}" if when else "due"
        text = _cut(text, remind)
    labels: list[str] = []
    while label := LABEL.search(text):
        labels.append((label["tag"] or label["word"]).lower())
        text = _cut(text, label)
    if labels:
        values["labels"] = tuple(dict.fromkeys(labels))
    priority = PRIORITY.search(text)
    if priority:
        values["priority"], text = _priority(priority), _cut(text, priority)
    rule, text, part = repeats.find_repeat(text)
    if rule:
        values["repeat"], values["repeat_part"] = rule, part
    found = dates.find(text)
    if found:
        values["when"], values["clock"], text = found.day, found.clock, found.rest
    if reminder and found and not values["remind"]:
        values["remind"] = "due"
    text = re.sub(r"\s+(?:on|at|by|for|due|and|with|to)$", "", text.strip(" ,;:-"), flags=re.I)
    return text, Details(**values)


def only(text: str) -> Details | None:
    """The details when `text` says nothing else ("to tomorrow", "p1", "#home", "weekly")."""
    rest, details = extract(text)
    rest = re.sub(
        r"\b(?:it|that|the|a|an|as|to|be|is|due|date|deadline|now|instead|priority|repeat|"
        r"repeating|recurring|on|for|please|set|make|list)\b",
        " ",
        rest,
        flags=re.I,
    )
    return details if details and not rest.strip(" ,.!?;:-") else None


def _due(details: Details, clock: Clock, new: bool) -> date | datetime | None:
    if details.repeat and not details.when and not details.clock and not new:
        return None  # a task made to repeat keeps its due date
    if details.repeat and not details.when:
        hour = dates.hour_of(details.clock, False) if details.clock else None
        if hour is None and details.repeat_part:
            hour = time(dates.HOURS_OF[details.repeat_part])
        return repeats.first_due(details.repeat, hour, clock)
    return dates.resolve(Found("", details.when, details.clock), clock)


def _moment(due: date | datetime, clock: Clock) -> datetime:
    return due if isinstance(due, datetime) else clock.local(due, REMIND_HOUR)


def _reminder(details: Details, due: date | datetime | None, clock: Clock) -> datetime | None:
    kind, _, words = details.remind.partition(":")
    if kind == "due":
        return _moment(due, clock) if due is not None else None
    if kind == "before" and due is not None:
        count, unit = words.split(" ", 1)
        amount = int(count) if count.isdigit() else dates.COUNTS.get(count, 1)
        delta = timedelta(**{UNIT_DELTA[unit.rstrip("s")]: amount})
        return _moment(due, clock) - delta
    if kind == "at":
        found = dates.find(words)
        if found.clock and not found.day and due is not None:
            hour = dates.hour_of(found.clock, False)
            day = due.date() if isinstance(due, datetime) else due
            return clock.local(day, hour) if hour else None
        moment = dates.resolve(found, clock)
        return _moment(moment, clock) if moment is not None else None
    return None


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
        values["list"], text = (listed["name"] or listed["known"]).lower(), _cut(text, listed)
    remind = REMIND_BEFORE.search(text)
    if remind:
        amount = "1 day" if remind["daybefore"] else f"{remind['count']} {remind['unit']}"
        values["remind"], text = f"before:{amount}", _cut(text, remind)
    last = PRIORITY_LAST.search(text) or PRIORITY_FIRST.search(text)
    if last:
        values["priority"], text = _priority(last), _cut(text, last)
    listed_days = repeats.REPEAT.search(text)
    if listed_days and "," in listed_days.group():  # before the items are split at commas
        values["repeat"], text, values["repeat_part"] = repeats.find_repeat(text)
    return text, Details(**values)


SHARED = ("list", "remind", "priority", "repeat", "repeat_part")


def merged(first: Details | None, then: Details) -> Details:
    """`then` with the fields it leaves empty taken from `first`."""
    if not first:
        return then
    return replace(
        then,
        **{k: getattr(first, k) for k in SHARED if not getattr(then, k)},
    )
