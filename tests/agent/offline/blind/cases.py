"""The shape of a blind case: who says what, when and where, and the rows that are right afterwards.

Written from issue 22 and docs/CONTRACT.md alone, without reading the parser. Each case is sent
at one of the fixed clocks below (four time zones, three of them days before a DST change).
Expected times are local wall-clock ("2027-03-15 17:00", read in the clock's zone) unless they
carry an offset; a date alone ("2027-03-15") is an all-day due. `one_of(...)` accepts any of its
values (two fair readings). A chat case lists the accepted outcomes; an outcome is
`{"add": [new tasks...], number: changed fields or None (deleted)}` on top of SEED, and `{}`
(nothing written) is accepted only where asking back is right.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Clock:
    zone: str
    local: str  # when the message is sent, local wall-clock

    @property
    def now(self) -> datetime:
        return datetime.fromisoformat(self.local).replace(tzinfo=ZoneInfo(self.zone))


CLOCKS = {
    # Wednesday; US clocks go forward on Sunday 14 March (-08:00 -> -07:00).
    "la": Clock("America/Los_Angeles", "2027-03-10 09:30"),
    # Thursday; EU clocks go forward on Sunday 28 March (+01:00 -> +02:00).
    "berlin": Clock("Europe/Berlin", "2027-03-25 14:00"),
    # Monday evening; no DST.
    "kolkata": Clock("Asia/Kolkata", "2026-12-14 19:45"),
    # Friday morning; Sydney clocks go back on Sunday 4 April at 03:00 (+11:00 -> +10:00).
    "sydney": Clock("Australia/Sydney", "2027-04-02 08:15"),
    # Saturday late evening; US clocks go back on Sunday 1 November (-07:00 -> -08:00).
    "night": Clock("America/Los_Angeles", "2026-10-31 23:10"),
}

# The seeded list, the same in every clock: number -> (title, fields). "+N" days from the clock's
# local date, optionally with a time; task 8 is completed.
SEED: dict[int, tuple[str, dict[str, Any]]] = {
    1: ("buy milk", {"list": "Groceries"}),
    2: ("call mom", {"due": "-1"}),
    3: ("pay the electricity bill", {"due": "+0", "labels": ["home"]}),
    4: ("submit the quarterly report",
        {"due": "+4 17:00", "labels": ["work"], "priority": 1}),
    5: ("book the dentist", {}),
    6: ("water the plants", {"due": "+2", "recurrence": "FREQ=WEEKLY"}),
    7: ("email Sarah about the offsite", {"labels": ["work"]}),
    8: ("renew the parking permit", {"completed": True}),
}  # fmt: skip


class OneOf(tuple[Any, ...]):
    """Any of these values is right."""


def one_of(*values: Any) -> OneOf:
    return OneOf(values)


Outcome = dict[Any, Any]


@dataclass(frozen=True)
class Case:
    kind: str
    clock: str
    text: str
    expect: tuple[Outcome, ...]  # accepted outcomes; for a box line, one draft
    before: tuple[str, ...] = ()  # earlier messages of the same conversation
    box: bool = False  # a line typed into the add box, read by the quick-add reader

    def or_asked(self) -> "Case":
        """Asking back (nothing written) is right too."""
        return replace(self, expect=(*self.expect, {}))

    def or_(self, other: "Case") -> "Case":
        return replace(self, expect=(*self.expect, *other.expect))

    def after(self, *messages: str) -> "Case":
        return replace(self, before=messages)


def add(kind: str, clock: str, text: str, title: Any, **fields: Any) -> Case:
    """The message adds one task with these fields (fields not named stay empty)."""
    return Case(kind, clock, text, ({"add": [{"title": title, **fields}]},))


def adds(kind: str, clock: str, text: str, *tasks: dict[str, Any]) -> Case:
    """The message adds these tasks (in any order)."""
    return Case(kind, clock, text, ({"add": list(tasks)},))


def task(title: Any, **fields: Any) -> dict[str, Any]:
    return {"title": title, **fields}


def change(kind: str, clock: str, text: str, number: int, **fields: Any) -> Case:
    """The message changes seeded task `number` (fields not named keep their seed values)."""
    return Case(kind, clock, text, ({number: fields},))


def changes(kind: str, clock: str, text: str, outcome: Outcome) -> Case:
    return Case(kind, clock, text, (outcome,))


def gone(kind: str, clock: str, text: str, *numbers: int) -> Case:
    """The message deletes these seeded tasks."""
    return Case(kind, clock, text, ({n: None for n in numbers},))


def nothing(kind: str, clock: str, text: str) -> Case:
    """Nothing may be written (a question, greeting, thanks, complaint, a listing)."""
    return Case(kind, clock, text, ({},))


def box(clock: str, text: str, title: Any, **fields: Any) -> Case:
    """A line typed into the add box: the reader's draft must be this task."""
    return Case("quickadd", clock, text, ({"add": [{"title": title, **fields}]},), box=True)


@dataclass
class Tally:
    """Verdicts of one group of cases."""

    right: int = 0
    asked: int = 0
    wrong: int = 0
    damaged_titles: int = 0  # wrong writes whose title lost or gained words
    strays: int = 0  # other wrong writes that touched a task nobody asked about (or one too many)
    misses: list[tuple[str, Case, str]] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return self.right + self.asked + self.wrong
