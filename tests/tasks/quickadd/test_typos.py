"""Mistyped date and repeat words read as the words meant; words that only look like them stay.

Read on Wednesday 2026-06-10 10:00 in Berlin (+02:00).
"""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tasklive.tasks.quickadd import read, scan, typos
from tasklive.tasks.quickadd.dates import Clock, Found, resolve

ZONE = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 6, 10, 10, tzinfo=ZONE)


def at(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=ZONE)


# text -> the title, every field that is set (the others stay empty), the words read as a date
TYPOS: list[tuple[str, str, dict[str, Any], str]] = [
    ("grocerys on sundy", "grocerys", {"due": date(2026, 6, 14)}, "on sundy"),
    ("send report by fridy", "send report", {"due": date(2026, 6, 12)}, "by fridy"),
    ("dentist appt on mondy at 10", "dentist appt", {"due": at("2026-06-15", "10:00")},
     "on mondy at 10"),
    ("taxes by febuary 1", "taxes", {"due": date(2027, 2, 1)}, "by febuary 1"),
    ("dentist octobr 12 at 3pm", "dentist", {"due": at("2026-10-12", "15:00")},
     "octobr 12 at 3pm"),
    ("taxes due Aprl 15", "taxes", {"due": date(2027, 4, 15)}, "due Aprl 15"),
    ("pay rent on thrusday", "pay rent", {"due": date(2026, 6, 11)}, "on thrusday"),
    ("review next wendesday", "review", {"due": date(2026, 6, 17)}, "next wendesday"),
    ("call mom nxt week", "call mom", {"due": date(2026, 6, 15)}, "nxt week"),
    ("gym nxt monday 7am", "gym", {"due": at("2026-06-15", "07:00")}, "nxt monday 7am"),
    ("clean gutters this wekend", "clean gutters", {"due": date(2026, 6, 13)}, "this wekend"),
    ("call bob tonihgt", "call bob", {"due": at("2026-06-10", "20:00")}, "tonihgt"),
    ("call the bank tomorow", "call the bank", {"due": date(2026, 6, 11)}, "tomorow"),
    ("call mom tomorrow evning", "call mom", {"due": at("2026-06-11", "18:00")},
     "tomorrow evning"),
    ("call mom on sunday afternon", "call mom", {"due": at("2026-06-14", "15:00")},
     "on sunday afternon"),
    ("evrey monday gym", "gym", {"recurrence": "FREQ=WEEKLY;BYDAY=MO",
                                 "due": date(2026, 6, 15)}, "evrey monday"),
    ("wash car every wekend", "wash car", {"recurrence": "FREQ=WEEKLY;BYDAY=SA,SU",
                                           "due": date(2026, 6, 13)}, "every wekend"),
    ("water the lawn evry satruday", "water the lawn", {"recurrence": "FREQ=WEEKLY;BYDAY=SA",
                                                        "due": date(2026, 6, 13)},
     "evry satruday"),
    ("swim tuesdys and thursdys", "swim", {"recurrence": "FREQ=WEEKLY;BYDAY=TU,TH",
                                           "due": date(2026, 6, 11)}, "tuesdys and thursdys"),
    ("stretch evry mornign", "stretch", {"recurrence": "FREQ=DAILY",
                                         "due": at("2026-06-11", "09:00")}, "evry mornign"),
    ("water plants weekyl", "water plants", {"recurrence": "FREQ=WEEKLY",
                                             "due": date(2026, 6, 10)}, "weekyl"),
    ("pay rent montly", "pay rent", {"recurrence": "FREQ=MONTHLY", "due": date(2026, 6, 10)},
     "montly"),
    ("standup dialy", "standup", {"recurrence": "FREQ=DAILY", "due": date(2026, 6, 10)},
     "dialy"),
    ("daily 9pm write in the journal", "write in the journal",
     {"recurrence": "FREQ=DAILY", "due": at("2026-06-10", "21:00")}, "daily 9pm"),
    ("weekly 10am team sync", "team sync",
     {"recurrence": "FREQ=WEEKLY", "due": at("2026-06-10", "10:00")}, "weekly 10am"),
    ("buy stamps prioirty 1", "buy stamps", {"priority": 1}, ""),
    ("set a remider for fridy at 8: call the plumber", "call the plumber",
     {"due": at("2026-06-12", "08:00"), "remind_at": at("2026-06-12", "08:00")}, ""),
]  # fmt: skip

# Words that look like a mistyped date word but are words of their own, or a name: kept.
KEPT = [
    "buy daiy products",
    "read the eery story",
    "watch the evning news",
    "pay back monay",
    "pay the net bill",
    "watch Fridy Night Lights",
    "prioirty list for the move",
    "plant the aril seeds",
]


@pytest.mark.parametrize(("text", "title", "fields", "said"), TYPOS)
def test_typos_read_as_meant(text: str, title: str, fields: dict[str, Any], said: str) -> None:
    draft = read(text, now=NOW, zone=ZONE)
    assert draft.title == title
    for name in ("due", "priority", "recurrence", "remind_at", "labels", "list"):
        assert getattr(draft, name) == fields.get(name, [] if name == "labels" else None), name
    # the page highlights the words as typed: spans are positions in the text itself
    dated = [text[s.start : s.end] for s in draft.spans if s.kind in ("due", "recurrence")]
    if said:
        assert " ".join(dated) == said


@pytest.mark.parametrize("text", KEPT)
def test_words_like_typos_stay_in_the_title(text: str) -> None:
    draft = read(text, now=NOW, zone=ZONE)
    assert (draft.title, draft.due, draft.recurrence, draft.priority) == (text, None, None, None)


def test_the_word_meant_goes_to_dateparser() -> None:
    clock = Clock(NOW)
    assert resolve(Found("", "septmber 3"), clock) == date(2026, 9, 3)
    for typed, meant in (
        ("next fridy", "next friday"),
        ("tomorow evning", "tomorrow evening"),
        ("decmber 24", "december 24"),
        ("nxt wekend", "next weekend"),
    ):
        value = resolve(Found("", meant), clock)
        assert value is not None
        assert resolve(Found("", typed), clock) == value


def test_variants_are_one_slip_from_the_word() -> None:
    made = typos.variants("friday")
    assert {"fridy", "firday", "friiday", "frday"} <= made
    assert "frida" not in made  # the last letter stays: "frida", "monda" are names
    assert typos.canon("Nxt fridy mornign, evrey wekend") == "next friday morning, every weekend"
    assert typos.canon("pay the net bill") == "pay the net bill"


def test_no_variants_for_short_or_real_words() -> None:
    for word in ("march", "may", "sat", "sun", "wed", "net", "eery", "aril", "daly", "monay"):
        assert word not in typos.TYPOS
    assert not set(typos.TYPOS) & set(typos.WORDS)
    assert typos.TYPOS["nxt"] == "next"
    assert sorted(typo for typo, word in typos.TYPOS.items() if word == "next") == ["nex", "nxt"]


@pytest.mark.parametrize("text", ["prioirty 1 for task 5", "priority 1 for task 5", "p2 on task 3"])
def test_a_priority_for_another_task_is_not_this_ones(text: str) -> None:
    """Chat asks which task is meant, rather than adding a task "for task 5"."""
    found = scan(text)
    assert (found.priority, found.title) == (None, text)
