"""When the reader is unsure: words left in a title that look like a detail it did not read.

A wrong title is worse than a question, so a line whose leftovers look like a date, time, repeat
or reminder, or whose detail was cut out of the middle of a phrase, is asked about, not written.
"""

import re
from collections.abc import Sequence
from typing import Protocol

from tasklive.tasks.quickadd import dates, hours, repeats
from tasklive.tasks.quickadd import tokens as tk


class Piece(Protocol):
    """A recognised token's place and kind."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def kind(self) -> str: ...


TIME_LEFT = re.compile(
    r"(?<![\w$£€#./:-])(?:\d{1,2}(?:[:.][0-5]\d)?\s*(?:[ap]\.?m\b\.?)|\d{1,2}:[0-5]\d(?![\d:])|"
    r"(?:at|@|around|by|before|after|until|till)\s+\d{1,2}(?::\d{2})?(?![\w:.,/%-]))",
    re.I,
)
# "gym 7:00", "dinner 6:30": morning or evening? ("at 7" alone is never read as a time)
EITHER_HALF = re.compile(r"(?:(?:at|by|around|before)\s+|@\s*)?[67][:.][0-5]\d", re.I)


def either_half(words: str) -> bool:
    """Whether `words` are a time that may be in the morning or the evening."""
    return EITHER_HALF.fullmatch(words.strip()) is not None


def half_unsaid(when: str, clock: str, part: str, remind: str) -> str:
    """The time read when it may be in the morning or the evening ("gym 7:00"), else ""."""
    if remind.startswith("lead:") and not (when or clock):
        said = dates.find(tk.lead_words(remind))
        when, clock = said.day, said.clock
    if part or re.search(rf"{hours.PART}|tonight|tonite", when, re.I):
        return ""
    return clock if either_half(clock) else ""


# "0900" left beside a day ("2024" is more likely a year)
MILITARY_LEFT = re.compile(
    r"(?<![\w#$£€./:-])(?!(?:19|20)\d\d\b)(?:[01]\d|2[0-3])[0-5]\d(?:\s*(?:h|hrs))?(?![\w:.,/%-])"
)
# an ordinal left in a title, not one after a possessive ("Tom's 30th")
ORDINAL_LEFT = re.compile(
    r"(?<![\w#])(?<!'s\s)(?<!\u2019s\s)(?:the\s+)?(?:[12]?\d|3[01])(?:st|nd|rd|th)"
    r"(?=\s*$|\s+(?:at|on|by|of|and|for|"
    r"in|p[1-4]|#)\b)",
    re.I,
)
EVERY_LEFT = re.compile(
    r"\b(?:every|each)(?:\s+(?:other|second|2nd|third|3rd|fourth|4th|last|first|1st|\d+|few|"
    r"couple)\b|\s*$)",
    re.I,
)
SPAN_LEFT = re.compile(
    r"(?<![\w$£€#])(?:in\s+)?\d+\s*(?:days?|weeks?|wks?|months?|hours?|hrs?|mins?|minutes?)\s*$",
    re.I,
)
REMINDER_LEFT = re.compile(r"\b(?:remind(?:er)?|nudge me|ping me|alert me|notify me)\b", re.I)
# a detail's own word that no title in the tables ever keeps: "…, tagged work", "p2 … asap"
DETAIL_LEFT = re.compile(
    r"(?<![\w#@])(?:tags?|tagged|labell?ed|priority|prio|urgent(?:ly)?|asap|tonight|today|p[1-4]|"
    r"tmrw?|eod|eow|noon|midnight|o'clock|until|"
    r"(?:to|on|in|into|under)\s+(?:my|the|our)\s+(?:[\w'-]+\s+)?lists?)(?![\w-])|"
    r"(?-i:\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b)(?!['\u2019])|"
    r"(?<=\s)(?-i:Mo|Di|Mi|Fr)(?=\s|$)|"  # a German weekday: "Zahnarzt Mo 9 Uhr"
    r"(?<=\s)(?-i:morgen)\s*$",  # "Mama anrufen morgen": tomorrow, or a name? asked
    re.I,
)
SHORT_DAY_LEFT = re.compile(r"\b(?:mon|tues?|thu(?:rs?)?|fri)\b|\b(?:sat|sun|wed)\s*$", re.I)
# "work: finish the slides by friday": a list, a label or part of the title?
LABELLED = re.compile(r"[^\W\d][\w'-]*(?:\s+[^\W\d][\w'-]*)?\s*:(?=\s*\S)", re.I)
LEFT_ALONE = re.compile(
    r"^(?:it|this|that|me|reminder|task|todo|to-?do|something|stuff|thing|things|the|a|an|to|"
    r"and|or|with|on|at|by|for|due|every|remind)$",
    re.I,
)
# "water the plants except" (every day except sunday): a word that needs what was cut after it
DANGLING = re.compile(
    r"\b(?:except|excluding|but|and|or|with|of|from|the|a|an|my|until|till|after|between)\s*$",
    re.I,
)
# "book hotel for Aug 3-5", "lunch tomorrow 12-1": a range, of which only one end was read
RANGE_LEFT = re.compile(r"\s*(?:\d{1,2}(?::\d{2})?\s*)?[-\u2013]\s*\d{1,2}(?::\d{2})?\b")
# "coffee w/ Priya 10 tmrw" (an hour?), not "read chapter 3 tomorrow"
HOUR_BEFORE = re.compile(r"(?P<word>[\w./]+)\s+(?P<hour>1[0-2]|0?[1-9])\s*$")
NUMBERED = frozenset({
    "chapter", "page", "room", "gate", "level", "episode", "season", "part", "step", "lesson",
    "unit", "floor", "row", "seat", "platform", "bus", "no.", "number", "grade", "class", "week",
    "day", "act", "scene", "volume", "ch", "pg", "ep", "vol", "route", "line", "track", "stage",
    "phase", "round"})  # fmt: skip
DETERMINER = re.compile(
    r"(?:\b(?:the|a|an|my|our|your|his|her|their|its)|'s)\s*$", re.I
)  # "the Tuesday meeting": a day word used as an adjective
DATED = ("due", "recurrence", "reminder")
# words that may follow a date cut from the middle: "call mom tomorrow about the trip"
FOLLOWS = re.compile(
    r"(?:about|with|to|for|at|on|in|from|and|or|then|before|after|so|because|but|if|when|"
    r"re|regarding|please|via|by|into|through|without|as|over|under|instead)\b",
    re.I,
)


def _middle(text: str, kept: str, pieces: Sequence[Piece]) -> str:
    """A date cut from between a determiner and a noun ("the Tuesday meeting"), or from
    between two capitalised words ("Ana Friday Smith")."""
    for piece in pieces:
        if piece.kind not in DATED:
            continue
        before = kept[: piece.start].rstrip()
        after = kept[piece.end :].lstrip()
        if not before or not after or not re.match(r"[\w\"']", after):
            continue
        words = text[piece.start : piece.end]
        if piece.kind == "due" and re.match(r"[a-z]", after) and not FOLLOWS.match(after):
            return words  # "tickets for May 5th concert": the date describes the thing
        if DETERMINER.search(before) and not re.match(r"(?:on|at|by|for|and|to|in|of)\b", after):
            return words
        named = re.search(r"\b[A-Z][\w'-]*$", before) and re.match(r"[A-Z]", after)
        if named and not re.match(r"(?:on|by|at|due|next|this|every)\b", words, re.I):
            return words
    return ""


def why(text: str, kept: str, title: str, pieces: Sequence[Piece]) -> str:
    """The words the reader is unsure about, or "" when it is sure.

    `kept` is the text with every token blanked and protected words (quotes, names) shielded.
    """
    if not title:
        return ""
    if pieces and LEFT_ALONE.match(kept.strip(" .,;:!?")):
        return title
    dangling = DANGLING.search(kept)
    if pieces and dangling:
        return dangling.group().strip()
    for piece in pieces:  # right after a date: "Aug 3-5", "tomorrow 12-1"
        ranged = RANGE_LEFT.match(kept[piece.end :]) if piece.kind == "due" else None
        if ranged:
            return ranged.group().strip()
        hour = HOUR_BEFORE.search(kept[: piece.start]) if piece.kind == "due" else None
        lead = re.match(r"(?:due|by|on|before|until)\b", text[piece.start :], re.I)
        if hour and hour["word"].lower() not in NUMBERED and not lead:  # "proj 2 due thu"
            return text[hour.start("hour") : piece.end].strip()
    checks = (TIME_LEFT, ORDINAL_LEFT, EVERY_LEFT, SPAN_LEFT, REMINDER_LEFT, SHORT_DAY_LEFT,
              DETAIL_LEFT)  # fmt: skip
    for pattern in checks:
        match = pattern.search(kept)
        if match:
            return match.group().strip()
    military = MILITARY_LEFT.search(kept)
    if military and any(piece.kind == "due" for piece in pieces):  # "standup 0900 thu"
        return military.group()
    for pattern in (dates.DATE, dates.TIME_ONLY):
        match = pattern.search(kept)
        if match:
            return match.group().strip()
    repeat = repeats.pick(kept)
    if repeat:
        return repeat.group().strip()
    if pieces and LABELLED.match(kept.strip()):
        return title
    for piece in pieces:  # "ping me 10 min before the dentist": before a task, not a due
        before = piece.kind == "reminder" and re.search(r"before\s*$", text[: piece.end])
        if before and re.match(r"\s*(?:the|my|task|#?\d)\b", kept[piece.end :], re.I):
            return text[piece.start : piece.end]
    return _middle(text, kept, pieces)
