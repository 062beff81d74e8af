"""Todoist's DATE words ("every monday", "Dec 20 at 5pm") to a due value and RRULE, and back."""

import re
from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

import dateparser
from dateutil.rrule import rrulestr

DAYS = {
    "mo": "MO", "mon": "MO", "monday": "MO",
    "tu": "TU", "tue": "TU", "tues": "TU", "tuesday": "TU",
    "we": "WE", "wed": "WE", "wednesday": "WE",
    "th": "TH", "thu": "TH", "thur": "TH", "thurs": "TH", "thursday": "TH",
    "fr": "FR", "fri": "FR", "friday": "FR",
    "sa": "SA", "sat": "SA", "saturday": "SA",
    "su": "SU", "sun": "SU", "sunday": "SU",
}  # fmt: skip
DAY_NAMES = {"MO": "monday", "TU": "tuesday", "WE": "wednesday", "TH": "thursday",
             "FR": "friday", "SA": "saturday", "SU": "sunday"}  # fmt: skip
WEEKDAYS = "MO,TU,WE,TH,FR"
UNITS = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}
UNIT_OF = {freq: unit for unit, freq in UNITS.items()}
SIMPLE = {"daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY", "yearly": "YEARLY",
          "annually": "YEARLY"}  # fmt: skip
_TIME = re.compile(r"\s*(?:at\s+)?(\d{1,2})(?::(\d\d))?\s*(am|pm)?\s*$", re.I)
_STARTING = re.compile(r"\s+(?:starting|from|starts)\s+(.+)$", re.I)


def _time_of(text: str) -> tuple[str, time | None]:
    """The words without a trailing time ("at 9am", "17:30"), and that time."""
    match = _TIME.search(text)
    if match is None or not (match.group(2) or match.group(3) or "at" in match.group(0).lower()):
        return text, None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    meridiem = (match.group(3) or "").lower()
    if meridiem == "pm" and hour < 12:
        hour += 12
    if meridiem == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return text, None
    return text[: match.start()].strip(), time(hour, minute)


def _rule_of(words: str) -> str | None:
    """The RRULE of Todoist's words after "every" ("other week", "2 days", "mon, fri", "15th")."""
    words = words.strip().lower().replace(" and ", ", ")
    interval = 1
    if words.startswith("other "):
        interval, words = 2, words[6:]
    count = re.match(r"(\d+)\s+(.*)$", words)
    if count and not re.fullmatch(r"\d+(st|nd|rd|th)?", words):
        interval, words = int(count.group(1)), count.group(2)
    unit = words.rstrip("s") if words.rstrip("s") in UNITS else None
    suffix = f";INTERVAL={interval}" if interval > 1 else ""
    if unit:
        return f"FREQ={UNITS[unit]}{suffix}"
    if words in ("weekday", "workday", "weekdays", "workdays"):
        return f"FREQ=WEEKLY;BYDAY={WEEKDAYS}"
    if words in ("weekend", "weekends"):
        return "FREQ=WEEKLY;BYDAY=SA,SU"
    days = [DAYS.get(part.strip().rstrip("s")) for part in re.split(r"[,\s]+", words) if part]
    if days and all(days):
        return f"FREQ=WEEKLY{suffix};BYDAY={','.join(dict.fromkeys(d for d in days if d))}"
    monthday = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", words)
    if monthday and 1 <= int(monthday.group(1)) <= 31:
        return f"FREQ=MONTHLY{suffix};BYMONTHDAY={int(monthday.group(1))}"
    if words in ("last day", "last day of the month"):
        return f"FREQ=MONTHLY{suffix};BYMONTHDAY=-1"
    return None


def _first(rule: str, start: date, at: time | None, zone: ZoneInfo) -> date | datetime:
    """The rule's first occurrence on or after `start`."""
    begin = datetime.combine(start, at or time())
    first = rrulestr(rule, dtstart=begin).after(begin, inc=True) or begin
    return first.replace(tzinfo=zone) if at else first.date()


def _has_time(text: str) -> bool:
    return bool(re.search(r"\d:\d\d|\d\s*(am|pm)\b|\bat\s+\d|noon|midnight", text, re.I))


@lru_cache(maxsize=4096)
def _one_off(text: str, lang: str, zone_name: str, today: date) -> date | datetime | None:
    """A single date ("2026-12-20", "Dec 20 at 5pm", "tomorrow"); None when unreadable."""
    zone = ZoneInfo(zone_name)
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return moment if moment.tzinfo else moment.replace(tzinfo=zone)
    except ValueError:
        pass
    settings = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": datetime.combine(today, time(12)),
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(text, languages=[lang or "en"], settings=settings)
    if parsed is None:
        return None
    return parsed.replace(tzinfo=zone) if _has_time(text) else parsed.date()


def read_date(
    text: str, lang: str, zone: ZoneInfo, today: date
) -> tuple[date | datetime | None, str | None]:
    """The due value and RRULE Todoist's DATE words mean; a ValueError when they can't be read."""
    text = " ".join(text.split())
    if not text:
        return None, None
    lowered = text.lower()
    if lowered.startswith(("every", "ev ")) or lowered in SIMPLE:
        words = re.sub(r"^(every!?|ev!?)\s*", "", lowered)
        start = today
        starting = _STARTING.search(words)
        if starting:
            begun = _one_off(starting.group(1), lang, zone.key, today)
            if begun is None:
                raise ValueError(f'cannot read the start in "{text}"')
            start = begun if not isinstance(begun, datetime) else begun.date()
            words = words[: starting.start()]
        words, at = _time_of(words)
        rule = SIMPLE.get(lowered) or _rule_of(words)
        if rule is None:
            raise ValueError(f'cannot read the repeating date "{text}"')
        return _first(rule, start, at, zone), rule
    due = _one_off(text, lang, zone.key, today)
    if due is None:
        raise ValueError(f'cannot read the date "{text}"')
    return due, None


def date_words(due: date | datetime | None, rule: str | None, zone: ZoneInfo) -> str:
    """Todoist's words for a due value and rule: "every monday at 09:00", "2026-12-20 17:00"."""
    at = ""
    if isinstance(due, datetime):
        local = due.astimezone(zone)
        at = f" at {local:%H:%M}"
    if rule:
        words = _rule_words(rule)
        if words:
            return words + at
    if isinstance(due, datetime):
        return f"{due.astimezone(zone):%Y-%m-%d %H:%M}"
    return due.isoformat() if isinstance(due, date) else ""


def _rule_words(rule: str) -> str | None:
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    freq, interval = parts.pop("FREQ", ""), int(parts.pop("INTERVAL", "1"))
    byday, monthday = parts.pop("BYDAY", None), parts.pop("BYMONTHDAY", None)
    if parts or freq not in UNIT_OF:
        return None
    if freq == "WEEKLY" and byday and interval == 1:
        if byday == WEEKDAYS:
            return "every weekday"
        codes = byday.split(",")
        days = [DAY_NAMES[day] for day in codes if day in DAY_NAMES]
        return "every " + ", ".join(days) if len(days) == len(codes) else None
    if freq == "MONTHLY" and monthday and interval == 1:
        if monthday == "-1":
            return "every last day"
        return f"every {int(monthday)}{_ordinal(int(monthday))}"
    if byday or monthday:
        return None
    unit = UNIT_OF[freq]
    return f"every {unit}" if interval == 1 else f"every {interval} {unit}s"


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
