"""Dates, times and repeats in a sentence: found by a small grammar, parsed by dateparser/dateutil.

Finding the words is clock-free (the grammar); turning them into a date needs the `Clock`: the
user message's own time in the user's time zone, so the same history gives the same dates.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
CODES = dict(zip(WEEKDAYS, ("MO", "TU", "WE", "TH", "FR", "SA", "SU"), strict=True))
SHORT_DAYS = {"mon": "monday", "tue": "tuesday", "tues": "tuesday", "wed": "wednesday",
              "thu": "thursday", "thur": "thursday", "thurs": "thursday", "fri": "friday",
              "sat": "saturday", "sun": "sunday"}  # fmt: skip
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
          "jul", "aug", "sep", "sept", "oct", "nov", "dec")  # fmt: skip
COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a couple of": 2, "a few": 3,
          "other": 2}  # fmt: skip


def _any(words: tuple[str, ...] | list[str]) -> str:
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


DAY = _any(WEEKDAYS)
SHORT = _any(list(SHORT_DAYS))
MONTH = _any(MONTHS)
COUNT_WORDS = _any([w.replace(" ", r"\s+") for w in COUNTS])
COUNT = rf"(?:\d+|{COUNT_WORDS})"
ORD = r"\d{1,2}(?:st|nd|rd|th)"
PART = r"(?:morning|afternoon|evening|night)"
# A time said on its own needs am/pm or minutes ("wake up at 6" keeps its words); after a day,
# "tomorrow at 5" is enough.
STRICT_CLOCK = (
    r"(?:(?:at|@|by|around|before)\s+)?(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2}|noon|"
    rf"midday|midnight|end of (?:the )?day|eod)|in\s+the\s+{PART}"
)
CLOCK = rf"{STRICT_CLOCK}|(?:at|@|around)\s+\d{{1,2}}(?!\s*(?:st|nd|rd|th)\b)"
DAY_WORDS = (
    rf"(?:(?:this|tomorrow|{DAY})\s+){PART}|"
    r"(?:the\s+)?day\s+after\s+tomorrow|today|tomorrow|tmrw|tmr|yesterday|"
    rf"(?:(?:next|this|coming|this\s+coming)\s+)?{DAY}|"
    r"(?:next|this|coming)\s+(?:weekend|week|month|year)|(?:on|at)\s+the\s+weekend|"
    rf"(?:next|this|coming|on|by|until|till|before)\s+{SHORT}\.?|"
    rf"{MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|"
    rf"(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}(?:,?\s+\d{{4}})?|"
    rf"the\s+{ORD}(?:\s+of\s+(?:the|this|next)\s+month)?|\d{{4}}-\d{{2}}-\d{{2}}|"
    rf"in\s+{COUNT}\s+(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)|"
    r"in\s+(?:a|an|half an)\s+(?:hour|day|week|month|year)|"
    r"tonight"
)
LEAD = r"(?:(?:due|by|on|before|until|till|for|from|starting|no later than)\s+)*"
DATE = re.compile(
    rf"(?<![\w#])(?:{LEAD})(?P<day>{DAY_WORDS})"
    rf"(?:\s*,?\s*(?:at\s+)?(?P<clock>{CLOCK}))?(?![\w])",
    re.I,
)
TIME_ONLY = re.compile(
    rf"(?<![\w#])(?:{LEAD})(?P<clock>{STRICT_CLOCK})(?:\s+(?:on\s+)?(?P<day>{DAY_WORDS}))?(?![\w])",
    re.I,
)
# Days of the week and parts of the day people use on their own ("pay rent friday").
UNITS = {"minute": "minutes", "min": "minutes", "hour": "hours", "hr": "hours", "day": "days",
         "week": "weeks", "month": "months", "year": "years"}  # fmt: skip
HOURS_OF = {"morning": 9, "afternoon": 15, "evening": 18, "night": 20, "tonight": 20}


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
    return load_parser().parse(words, languages=["en"], settings=settings)


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
    text = re.sub(r"(?<=\d)\s*([ap])\.m\.?(?!\w)", r"\1m", text, flags=re.I)  # "5 p.m." -> "5pm"
    match = DATE.search(text) or TIME_ONLY.search(text)
    if not match:
        return Found(text)
    rest, day, clock = _cut(text, match), match["day"] or "", match["clock"] or ""
    if day and not clock:
        more = TIME_ONLY.search(rest)
        if more and not more["day"]:
            rest, clock = _cut(rest, more), more["clock"]
    return Found(rest, _squash(day), _squash(clock))


def hour_of(words: str, evening: bool) -> time | None:
    """The time of day in "5pm", "at 17:30", "noon", "in the morning"; None when there is none."""
    low = words.lower()
    if re.search(r"noon|midday", low):
        return time(12)
    if "midnight" in low:
        return time(23, 59)
    if re.search(r"end of (?:the )?day|eod", low):
        return time(17)
    clock = re.search(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", low)
    if clock:
        hour, minute, half = int(clock[1]), int(clock[2] or 0), clock[3]
        if (half == "pm" and hour < 12) or (not half and hour < 12 and (evening or hour <= 7)):
            hour += 12
        if half == "am" and hour == 12:
            hour = 0
        return time(hour % 24, minute) if minute < 60 else None
    part = re.search(rf"{PART}|tonight", low)
    return time(HOURS_OF[part.group()]) if part else None


def _ordinal_day(words: str, clock: Clock) -> date | None:
    """ "the 3rd": the next 3rd of a month, today included."""
    match = re.fullmatch(
        r"the\s+(\d{1,2})(?:st|nd|rd|th)(?:\s+of\s+(the|this|next)\s+month)?", words
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


def _day(words: str, clock: Clock) -> date | None:
    low = re.sub(r"\s+", " ", words.lower()).strip(" .")
    low = re.sub(r"^(?:this coming|coming)\s+", "next ", low)
    low = re.sub(r"^(?:on|at) the weekend$", "this weekend", low)
    low = re.sub(r"\b(?:on|by|until|till|before)\s+", "", low)
    for short, full in SHORT_DAYS.items():
        low = re.sub(rf"\b{short}\b\.?", full, low)
    low = re.sub(rf"\s*\b{PART}$", "", low).strip()
    low = "today" if low in ("", "this") else low
    low = {"tonight": "today", "tmrw": "tomorrow", "tmr": "tomorrow"}.get(low, low)
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


def resolve(found: Found, clock: Clock) -> date | datetime | None:
    """A day, or a local date-time in the user's zone, for the words `find` found."""
    if not found:
        return None
    span = re.fullmatch(r"in\s+(.+?)\s+(minutes?|mins?|hours?|hrs?)", found.day.lower())
    if span:
        amount = 0.5 if "half" in span[1] else COUNTS.get(span[1])
        amount = amount or (int(span[1]) if span[1].isdigit() else 1)
        unit = UNITS[span[2].rstrip("s")]
        return (clock.now + timedelta(**{unit: amount})).replace(second=0, microsecond=0)
    evening = bool(re.search(r"tonight|evening|night|afternoon|pm", found.words, re.I))
    part = re.search(rf"\b{PART}$|tonight", found.day, re.I)
    hour = hour_of(found.clock, evening) or (hour_of(part.group(), evening) if part else None)
    if not found.day:
        if hour is None:
            return None
        moment = clock.local(clock.today, hour)
        return moment if moment > clock.now else clock.local(clock.today + timedelta(days=1), hour)
    day = _day(found.day, clock)
    if day is None:
        return None
    return clock.local(day, hour) if hour is not None else day


# Repeats -----------------------------------------------------------------------------------

DAYS_LIST = rf"{DAY}s?(?:\s*(?:,|and|&|or)\s*{DAY}s?)*"
REPEAT = re.compile(
    rf"(?<!\w)(?:(?:repeat(?:ing|s)?|recurring|recur(?:s|ring)?)\s+)?(?:"
    rf"(?:every|each)\s+(?P<count>{COUNT}\s+|other\s+)?"
    rf"(?P<unit>days?|weeks?|months?|years?|weekdays?|weekends?|work\s*days?|{DAYS_LIST}|"
    rf"morning|evening|night|fortnight)(?:\s+(?:in\s+the\s+)?(?P<part>{PART}))?"
    rf"(?:\s+(?:on\s+)?(?:the\s+)?(?P<monthday>\d{{1,2}})(?:st|nd|rd|th))?|"
    rf"(?:on\s+)?(?P<plural>(?:{DAY}s)(?:\s*(?:,|and|&|or)\s*{DAY}s)*)|"
    rf"(?:on\s+)?(?P<weekdays>weekdays|weekends|workdays)|"
    rf"(?P<adverb>daily|weekly|monthly|yearly|annually|fortnightly|biweekly|nightly)|"
    rf"(?:on\s+)?the\s+(?P<monthday2>\d{{1,2}})(?:st|nd|rd|th)\s+of\s+(?:every|each)\s+month"
    rf")(?!\w)",
    re.I,
)
ADVERBS = {"daily": "DAILY", "nightly": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY",
           "yearly": "YEARLY", "annually": "YEARLY", "fortnightly": "WEEKLY;INTERVAL=2",
           "biweekly": "WEEKLY;INTERVAL=2"}  # fmt: skip
FREQ = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY", "hour": "HOURLY"}
WORKDAYS = "MO,TU,WE,TH,FR"


def _days(words: str) -> str:
    return ",".join(CODES[d] for d in WEEKDAYS if re.search(rf"\b{d}", words, re.I))


def _rule(match: re.Match[str]) -> str:
    """The RRULE, its parts in one order: FREQ, INTERVAL, BYDAY, BYMONTHDAY."""
    if match["adverb"]:
        return "FREQ=" + ADVERBS[match["adverb"].lower()]
    if match["plural"]:
        return f"FREQ=WEEKLY;BYDAY={_days(match['plural'])}"
    if match["weekdays"]:
        end = match["weekdays"].lower() == "weekends"
        return f"FREQ=WEEKLY;BYDAY={'SA,SU' if end else WORKDAYS}"
    if match["monthday2"]:
        return f"FREQ=MONTHLY;BYMONTHDAY={int(match['monthday2'])}"
    unit = re.sub(r"\s+", "", match["unit"].lower()).rstrip("s")
    count = (match["count"] or "").strip().lower()
    interval = int(count) if count.isdigit() else COUNTS.get(re.sub(r"\s+", " ", count), 1)
    days = ""
    if unit in ("weekday", "workday"):
        freq, days = "WEEKLY", WORKDAYS
    elif unit == "weekend":
        freq, days = "WEEKLY", "SA,SU"
    elif unit == "fortnight":
        freq, interval = "WEEKLY", interval * 2
    elif unit in ("morning", "evening", "night"):
        freq = "DAILY"
    elif unit in FREQ:
        freq = FREQ[unit]
    else:
        freq, days = "WEEKLY", _days(match["unit"])
    parts = [f"FREQ={freq}"]
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if days:
        parts.append(f"BYDAY={days}")
    if match["monthday"] and freq == "MONTHLY":
        parts.append(f"BYMONTHDAY={int(match['monthday'])}")
    return ";".join(parts)


def find_repeat(text: str) -> tuple[str, str, str]:
    """(RRULE, the text without the repeat, the part of day it named); ("", text, "") if none.

    "every friday" wins over an adverb elsewhere: "weekly review every friday" keeps "weekly".
    """
    found = list(REPEAT.finditer(text))
    match = next((m for m in found if not m["adverb"]), found[0] if found else None)
    if not match:
        return "", text, ""
    part = (match["part"] or match["unit"] or "").lower()
    part = part if part in HOURS_OF else ""
    return _rule(match), _cut(text, match), part


def first_due(rule: str, hour: time | None, clock: Clock) -> date | datetime:
    """The first occurrence of a repeat, from now on: a day, or a local time when one was said."""
    start = datetime.combine(clock.today, hour or time())
    floor = clock.now.replace(tzinfo=None) if hour else start
    following = rrulestr(rule, dtstart=start).after(floor, inc=True) or start
    return following.replace(tzinfo=clock.zone) if hour else following.date()


def iso(value: date | datetime) -> str:
    """A day as 2026-10-30, a date-time with its offset."""
    return value.isoformat()
