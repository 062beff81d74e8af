"""Dates, times and repeats in a sentence: found by a small grammar, parsed by dateparser/dateutil.

Finding the words is clock-free (the grammar); turning them into a date needs the `Clock`: the
user message's own time in the user's time zone, so the same history gives the same dates.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import TH, relativedelta

from tasklive.tasks.quickadd import typos
from tasklive.tasks.quickadd.hours import PART, hour_of
from tasklive.tasks.quickadd.typos import spelled

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
CODES = dict(zip(WEEKDAYS, ("MO", "TU", "WE", "TH", "FR", "SA", "SU"), strict=True))
SHORT_DAYS = {"mon": "monday", "tue": "tuesday", "tues": "tuesday", "wed": "wednesday",
              "thu": "thursday", "thur": "thursday", "thurs": "thursday", "fri": "friday",
              "sat": "saturday", "sun": "sunday", "weds": "wednesday"}  # fmt: skip
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
          "jul", "aug", "sep", "sept", "oct", "nov", "dec")  # fmt: skip
COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a couple of": 2, "a few": 3,
          "other": 2}  # fmt: skip


def _any(words: tuple[str, ...] | list[str]) -> str:
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


# Days fixed in the calendar, said after "by" or "on": (month, day)
HOLIDAYS = {"christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25),
            "xmas": (12, 25), "new year's eve": (12, 31), "new years eve": (12, 31),
            "new year's day": (1, 1), "new years day": (1, 1), "halloween": (10, 31),
            "valentine's day": (2, 14), "valentines day": (2, 14)}  # fmt: skip
# holidays on a weekday of a month: US Thanksgiving is the fourth Thursday of November
MOVING_HOLIDAYS = {"thanksgiving": (11, TH(4)), "thanksgiving day": (11, TH(4))}
HOLIDAY = (
    "(?:"
    + "|".join(sorted([*HOLIDAYS, *MOVING_HOLIDAYS], key=len, reverse=True)).replace(" ", r"\s+")
    + ")"
)


# Weekdays as people mistype them: "wensday", "thrusday", "fridy" (made in `typos`).
DAY_TYPOS = typos.typos_of(*WEEKDAYS)
DAY = typos.trie([*WEEKDAYS, *DAY_TYPOS])
SHORT = _any(list(SHORT_DAYS))
MONTH = typos.trie([*MONTHS, *typos.typos_of(*MONTHS)])
BARE_SHORT = r"(?:mon|tues?|thu(?:rs?)?|fri)"  # not "sun", "sat" or "wed": they are words too
COUNT_WORDS = _any([w.replace(" ", r"\s+") for w in COUNTS])
COUNT = rf"(?:\d+|{COUNT_WORDS})"
ORD = r"\d{1,2}(?:st|nd|rd|th)"
# "tomorrow" as people type it: "tomorow", "tommorrow", "tmrw", "2moro".
TOMORROW = (
    r"(?:tomm?or?r?ow|tmrw|tmr|tmrr?ow|tmrrw|2moro(?:w|rrow)?|2morr?ow|tomrw|"
    rf"{spelled('tomorrow')})"
)
TONIGHT = rf"(?:tonite|{spelled('tonight')})"
NEXT = spelled("next")  # "nxt"
WEEKEND = spelled("weekend")
HALF = r"(?:am|pm|a\.m\.?|p\.m\.?)"
# A time said on its own needs am/pm or minutes ("wake up at 6" keeps its words); after a day,
# "tomorrow at 5" is enough.
STRICT_CLOCK = (
    rf"(?:(?:at|@|by|around|before|um)\s+)?(?:\d{{1,2}}(?:[:.]\d{{2}})?\s*{HALF}|\d{{1,2}}:\d{{2}}|noon|"
    r"\d{1,2}(?::\d{2})?[ap](?![\w.])|"  # "5p", "7:30a"
    r"(?:[01]?\d|2[0-3])h(?![\w])|"  # "16h"
    r"\d{1,2}(?::\d{2})?\s*-?ish(?![\w])|"  # "9ish", "10-ish"
    rf"(?:a\s+)?(?:quarter|half)\s+(?:past|after|to)\s+\d{{1,2}}(?:\s*{HALF})?|"
    r"(?:[01]?\d|2[0-3])\s*uhr|"  # "16 Uhr"
    rf"midday|midnight|end of (?:the )?day|eod)|in\s+the\s+{PART}|"
    r"first\s+thing(?:\s+in\s+the\s+morning)?"
)
CLOCK = rf"{STRICT_CLOCK}|(?:at|@|around)\s+\d{{1,2}}(?!\s*(?:st|nd|rd|th)\b)"
MONTH_DAY = rf"{MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?"  # "nov 3"
DAY_MONTH = rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}"  # "12 March"
YEAR = r"(?:,?\s+\d{4})?"
WEEKDAY_NAME = rf"(?:{DAY}|{SHORT})\.?,?\s+"
# "tue nov 3", "friday, march 5", "Thursday 12 March", "monday the 5th": the date decides
WEEKDAY_DATE = rf"{WEEKDAY_NAME}(?:{MONTH_DAY}|the\s+{ORD}|{ORD}|{DAY_MONTH}){YEAR}"
# a short day word is a day only before a time, or at the end: "gym sat 9am", "laundry sun."
SHORT_END = r"(?=\s+(?:at\s+)?\d|\s+at\s+(?:noon|midnight)|\.?\s*$)"
# "the 3rd at 5", not "the 3rd floor"
ORD_END = r"(?!\s+(?!of\b|at\b|by\b|and\b|in\b|for\b|to\b|every\b|#|p[1-4]\b)[a-z])"
DAY_WORDS = (
    rf"{WEEKDAY_DATE}|"
    rf"(?:(?:this|{TOMORROW}|{DAY}|{SHORT})\s+){PART}|"
    r"end\s+of\s+(?:the\s+)?(?:month|week)|eom|eow|"
    rf"(?:the\s+)?day\s+after\s+{TOMORROW}|übermorgen|today|tody|2day|tdy|heute|{TOMORROW}|yesterday|"
    rf"(?:(?:{NEXT}|this|coming|this\s+coming)\s+)?{DAY}|"
    rf"(?:{NEXT}|this|coming)\s+(?:{WEEKEND}|week|wk|month|mo|year|yr)|(?:on|at)\s+the\s+{WEEKEND}|"
    rf"(?:(?<=by )|(?<=before ))the\s+{WEEKEND}|"
    r"(?!24/7(?!\d))\d{1,2}/\d{1,2}(?:/(?:\d{4}|\d{2}))?(?![/\d])|"
    r"\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})?(?![\d.])|"  # "30.3." day first, as in Europe
    rf"(?:{NEXT}|this|coming|on|by|until|till|before)\s+{SHORT}\.?|{BARE_SHORT}{SHORT_END}|"
    rf"(?<!the )(?<!\ba )(?<!in )(?:sat|sun|wed){SHORT_END}|"
    rf"(?:(?<=by |on )(?:{HOLIDAY}|{ORD}{ORD_END})|(?<=before )(?:{HOLIDAY})|"
    rf"(?<=due ){ORD}{ORD_END})|"
    rf"{MONTH_DAY}{YEAR}|(?:the\s+)?{DAY_MONTH}{YEAR}|"
    rf"the\s+{ORD}(?:\s+of\s+(?:the|this|next)\s+month)?{ORD_END}|\d{{4}}-\d{{2}}-\d{{2}}|"
    rf"in\s+{COUNT}\s+(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)|"
    r"in\s+\d{1,5}\s*[hm](?![\w])|"  # "in 1h", "in 30m"
    r"in\s+(?:a|an|half an)\s+(?:hour|day|week|month|year)|"
    r"(?:in\s+)?(?:a\s+)?fortnight(?:\s+from\s+(?:today|now))?(?!\w)|"
    rf"{TONIGHT}"
)
LEAD = (
    r"(?:(?:due|by|on|before|until|till|for|from|starting|no later than|"
    r"am(?=\s+[a-z]+(?:tag|woch|abend)\b)|bis)\s+)*"  # "am Samstag", "bis Freitag"
)
DATE = re.compile(
    rf"(?<![\w#])(?:{LEAD})(?P<day>{DAY_WORDS})"
    rf"(?:\s*,?\s*(?:at\s+)?(?P<clock>{CLOCK}|(?:1[0-2]|0?[1-9])(?=\s*$)|"
    r"(?:[01]?\d|2[0-3])\.[0-5]\d(?![\d.])))?(?![\w])(?!'s|-[^\W\d_])",  # "mon 10.30"
    re.I,
)
TIME_ONLY = re.compile(
    rf"(?<![\w#])(?:{LEAD})(?P<clock>{STRICT_CLOCK})(?:\s+(?:on\s+)?(?P<day>{DAY_WORDS}))?(?![\w])",
    re.I,
)
# "at 11" once a day was said ("coffee at 11 on tuesday")
LOOSE_CLOCK = re.compile(
    r"(?<![\w#])(?:at|@|around|by|before)\s+(?P<clock>(?:[01]?\d|2[0-3])(?::[0-5]\d)?)"
    r"(?!\s*(?:st|nd|rd|th)\b)(?![\w:.,]\d|[\w:%$])",
    re.I,
)
# Days of the week and parts of the day people use on their own ("pay rent friday").
UNITS = {"minute": "minutes", "min": "minutes", "m": "minutes", "hour": "hours", "hr": "hours",
         "h": "hours", "day": "days",
         "week": "weeks", "month": "months", "year": "years"}  # fmt: skip


@dataclass(frozen=True)
class Clock:
    """The user message's own time, in the user's time zone."""

    now: datetime

    @classmethod
    def at(cls, moment: datetime, zone: str = "UTC") -> "Clock":
        try:
            where = ZoneInfo(zone)
        except (ValueError, KeyError, OSError):
            where = ZoneInfo("UTC")
        return cls(moment.astimezone(where))

    @property
    def zone(self) -> ZoneInfo:
        # Clock.at and the quick-add reader give it a ZoneInfo; datetime types the abstract tzinfo.
        return self.now.tzinfo  # type: ignore[return-value]

    @property
    def today(self) -> date:
        return self.now.date()

    def local(self, day: date, hour: time) -> datetime:
        return datetime.combine(day, hour, self.zone)


@cache
def load_parser() -> Any:
    """dateparser, imported and warmed up once (its English data takes ~0.5 s to load)."""
    import dateparser

    dateparser.parse("tomorrow", languages=["en"])
    return dateparser


def _parse(words: str, clock: Clock) -> datetime | None:
    settings = {
        "RELATIVE_BASE": clock.now.replace(tzinfo=None),
        "PREFER_DATES_FROM": "future",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    # Naive local wall time in, naive out; the zone is attached after, so DST is right.
    parsed: datetime | None = load_parser().parse(words, languages=["en"], settings=settings)
    return parsed


@dataclass(frozen=True)
class Found:
    """Date words found in a text: the day and clock words, and the text without them."""

    rest: str
    day: str = ""
    clock: str = ""

    def __bool__(self) -> bool:
        return bool(self.day or self.clock)

    @property
    def words(self) -> str:
        return " ".join(part for part in (self.day, self.clock) if part)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,;-")


def _cut(text: str, match: re.Match[str]) -> str:
    return _squash(text[: match.start()] + " " + text[match.end() :])


def find(text: str) -> Found:
    """The first date (with its time) or time (with its date) in `text`, cut out of it."""
    match = DATE.search(text) or TIME_ONLY.search(text)
    if not match:
        loose = LOOSE_CLOCK.search(text)  # "remind me at 5 to ...": the words are only a time
        if loose and not _cut(text, loose).strip(" ,.") and not re.match(r"0?[67]\b", loose[1]):
            return Found("", "", loose["clock"])
        return Found(text)
    rest, day, clock = _cut(text, match), match["day"] or "", match["clock"] or ""
    if day and not clock:
        more = TIME_ONLY.search(rest) or LOOSE_CLOCK.search(rest)  # "at 8 tomorrow morning"
        either = more and re.match(r"0?[67]\b", more["clock"]) and not re.search(PART, day, re.I)
        if more and not more.groupdict().get("day") and not either:
            rest, clock = _cut(rest, more), more["clock"]
    return Found(rest, _squash(day), _squash(clock))


def _ordinal_day(words: str, clock: Clock) -> date | None:
    """ "the 3rd": the next 3rd of a month, today included."""
    match = re.fullmatch(
        r"(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)(?:\s+of\s+(the|this|next)\s+month)?", words
    )
    if not match:
        return None
    day = int(match[1])
    start = clock.today + relativedelta(months=1 if match[2] == "next" else 0)
    for months in range(0, 3):
        try:
            candidate = (start + relativedelta(months=months)).replace(day=day)
        except ValueError:
            continue
        if candidate >= clock.today or match[2] == "next":
            return candidate
    return None


def _flip(dotted: re.Match[str]) -> str:
    return "/".join(part for part in dotted.groups() if part)


def _numeric(match: re.Match[str] | None, clock: Clock, day_first: bool = False) -> date | None:
    """ "3/18" month first in the Americas, "12/4" day first elsewhere; the next such day."""
    if match is None:
        return None
    first, second = int(match[1]), int(match[2])
    american = not day_first and str(clock.zone).startswith(("America/", "US/"))
    orders = [(first, second), (second, first)] if american else [(second, first), (first, second)]
    year = int(match[3]) if match[3] else clock.today.year
    year = year + 2000 if year < 100 else year
    for month, day in orders:  # "3/18" is March 18th anywhere: there is no 18th month
        try:
            found = date(year, month, day)
            if not match[3] and found < clock.today:
                found = date(year + 1, month, day)
        except ValueError:
            continue
        return found
    return None


WEEKDAY_FIRST = re.compile(rf"^(?P<weekday>{DAY}|{SHORT})\.?,?\s+(?=(?:the\s+)?\d|{MONTH})")


def _day(words: str, clock: Clock) -> date | None:
    """The day `words` name; a weekday said with a date must be that date's ("tue nov 3")."""
    low = re.sub(r"\s+", " ", typos.canon(words.lower())).strip(" .")
    low = re.sub(r"\b(?:on|by|until|till|before)\s+", "", low)
    said = WEEKDAY_FIRST.match(low)
    if not said:
        return _day_of(low, clock)
    found = _day_of(low[said.end() :], clock)
    weekday = SHORT_DAYS.get(said["weekday"], said["weekday"])
    return found if found and WEEKDAYS[found.weekday()] == weekday else None


def _holiday(name: str, today: date) -> date:
    """The next day (today included) of a holiday."""
    for year in (today.year, today.year + 1):
        if name in HOLIDAYS:
            found = date(year, *HOLIDAYS[name])
        else:
            month, weekday = MOVING_HOLIDAYS[name]
            found = date(year, month, 1) + relativedelta(weekday=weekday)
        if found >= today:
            return found
    return found


def _day_of(low: str, clock: Clock) -> date | None:
    low = re.sub(r"^(?:this coming|coming)\s+", "next ", low)
    low = re.sub(r"^(?:in\s+)?(?:a\s+)?fortnight(?:\s+from\s+(?:today|now))?$", "in 2 weeks", low)
    low = re.sub(r"^(?:(?:on|at) )?the weekend$", "this weekend", low)
    for short, full in SHORT_DAYS.items():
        low = re.sub(rf"\b{short}\b\.?", full, low)
    low = re.sub(rf"\s*\b{PART}$", "", low).strip()
    low = "today" if low in ("", "this") else low
    low = re.sub(r"\b(?:wk)$", "week", re.sub(r"\b(?:yr)$", "year", re.sub(r"\bmo$", "month", low)))
    numeric = re.fullmatch(r"(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?", low)
    if numeric:
        return _numeric(numeric, clock)
    dotted = re.fullmatch(r"(\d{1,2})\.(\d{1,2})(?:\.(\d{2,4}))?", low)  # its end dot is cut
    if dotted:  # day first
        return _numeric(re.fullmatch(r"(\d+)/(\d+)(?:/(\d+))?", _flip(dotted)), clock, True)
    if low in ("eom", "end of month", "end of the month"):
        return clock.today + relativedelta(day=31)
    if low in ("eow", "end of week", "end of the week"):
        return clock.today + relativedelta(weekday=4)
    if low in HOLIDAYS or low in MOVING_HOLIDAYS:
        return _holiday(low, clock.today)
    low = re.sub(rf"\b{TOMORROW}\b", "tomorrow", low)
    low = {"tonight": "today", "tonite": "today"}.get(low, low)
    if low in ("weekend", "this weekend"):
        return clock.today + relativedelta(weekday=5)
    if low == "next weekend":
        return clock.today + relativedelta(weekday=5, weeks=1)
    if low in ("week", "month", "year"):
        return None
    if low == "next week":
        return clock.today + relativedelta(days=1, weekday=0)  # next Monday
    ordinal = _ordinal_day(low, clock)
    if ordinal or (low.startswith("the ") and re.match(r"the \d", low)):
        return ordinal
    parsed = _parse(low, clock)
    return parsed.date() if parsed else None


MOST_AMOUNT = 100_000
"""The largest count in "in N hours" or "N minutes before" (past it, a date overflows)."""


def resolve(found: Found, clock: Clock) -> date | datetime | None:
    """A day, or a local date-time in the user's zone, for the words `find` found."""
    if not found:
        return None
    found = Found(found.rest, typos.canon(found.day), typos.canon(found.clock))
    span = re.fullmatch(
        r"in\s+(?:(.+?)\s+(minutes?|mins?|hours?|hrs?)|(\d+)\s*([hm]|mins?|hrs?))",
        found.day.lower(),
    )
    if span:
        count, unit = (span[1], span[2]) if span[1] else (span[3], span[4])
        amount = 0.5 if "half" in count else COUNTS.get(count)
        amount = amount or (int(count) if count.isdigit() else 1)
        if amount > MOST_AMOUNT:
            return None
        unit = UNITS[unit.rstrip("s")]
        later = clock.now.astimezone(UTC) + timedelta(**{unit: amount})
        return later.astimezone(clock.zone).replace(second=0, microsecond=0)
    evening = bool(re.search(r"tonight|evening|night|afternoon|pm", found.words, re.I))
    morning = bool(re.search(r"morning", found.day, re.I))  # "at 7 tomorrow morning"
    part = re.search(rf"\b{PART}$|tonight|tonite", found.day, re.I)
    hour = hour_of(found.clock, evening, morning) or (
        hour_of(part.group(), evening) if part else None
    )
    if not found.day:
        if hour is None:
            return None
        moment = clock.local(clock.today, hour)
        return moment if moment > clock.now else clock.local(clock.today + timedelta(days=1), hour)
    day = _day(found.day, clock)
    if day is None:
        return None
    return clock.local(day, hour) if hour is not None else day


def iso(value: date | datetime) -> str:
    """A day as 2026-10-30, a date-time with its offset."""
    return value.isoformat()
