"""Repeats in plain words ("every other tuesday", "on weekdays") as RFC 5545 RRULEs."""

import re
from datetime import date, datetime, time
from typing import Any

from dateutil.rrule import rrulestr

from tasklive.tasks.quickadd.dates import (
    CODES,
    COUNT,
    COUNTS,
    DAY,
    SHORT,
    WEEKDAYS,
    WEEKEND,
    Clock,
    _cut,
)
from tasklive.tasks.quickadd.hours import HOURS_OF, PART
from tasklive.tasks.quickadd.typos import canon, spelled

EVERY = rf"(?:{spelled('every')}|each)"
DAYS_LIST = rf"(?:{DAY}|{SHORT})s?(?:(?:\s*(?:,|and|&|or)\s*|\s+)(?:{DAY}|{SHORT})s?\b)*"
NTH = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
       "last": -1}  # fmt: skip
REPEAT = re.compile(
    rf"(?<!\w)(?:(?:repeat(?:ing|s)?|recurring|recur(?:s|ring)?)\s+)?(?:"
    rf"{EVERY}\s+(?P<count>{COUNT}\s+|other\s+|second\s+|2nd\s+)?"
    rf"(?P<unit>days?|weeks?|months?(?![-\s]?end\b)|years?|weekdays?|{WEEKEND}s?|work\s*days?|{DAYS_LIST}|"
    rf"{spelled('morning', 'evening')}|night|fortnight|quarters?)"
    rf"(?:\s+(?:in\s+the\s+)?(?P<part>{PART}))?"
    rf"(?:\s+(?:on\s+)?(?:the\s+)?(?P<monthday>\d{{1,2}})(?:st|nd|rd|th))?|"
    rf"(?:{spelled('weekly')}\s+)?(?:on\s+)?(?P<plural>(?:{DAY}s)(?:\s*(?:,|and|&|or)\s*{DAY}s)*)|"
    rf"(?:on\s+)?(?P<span>(?:{DAY}|{SHORT})\s*-\s*(?:{DAY}|{SHORT}))|"
    rf"(?:on\s+)?(?P<bare>(?:{DAY}|{SHORT})(?:\s*(?:/|&|,|and)\s*(?:{DAY}|{SHORT}))+)|"
    r"(?P<letters>(?-i:MWF|TTh|TuTh))|"  # class-schedule letters: "gym MWF 6am"
    rf"(?:on\s+)?(?P<weekdays>weekdays|{WEEKEND}s|workdays)|"
    rf"(?P<adverb>{spelled('daily', 'weekly', 'monthly')}|yearly|annually|fortnightly|biweekly|"
    rf"nightly|quarterly)|(?P<monthend>(?:at\s+|on\s+)?the\s+(?:end|last\s+day)\s+of\s+{EVERY}\s+"
    rf"month|{EVERY}\s+month[-\s]?end)|"
    rf"(?:on\s+)?(?:the\s+)?(?P<monthday2>\d{{1,2}})(?:st|nd|rd|th)\s+of\s+{EVERY}\s+month|"
    rf"{EVERY}\s+(?:the\s+)?(?P<monthday3>\d{{1,2}})(?:st|nd|rd|th)"
    rf"(?:\s+(?:day\s+)?of\s+(?:the|{EVERY})\s+month)?|"
    rf"(?:{EVERY}\s+(?P<nth>first|1st|third|3rd|fourth|4th|last)|(?:on\s+)?(?:the\s+)?"
    rf"(?P<nth2>{'|'.join(NTH)}))\s+(?P<nthday>{DAY}|{SHORT})"
    rf"(?(nth2)\s+of\s+{EVERY}\s+month|(?:\s+of\s+(?:the|{EVERY})\s+month)?)"
    rf")(?!\w)",
    re.I,
)
ADVERBS = {"daily": "DAILY", "nightly": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY",
           "yearly": "YEARLY", "annually": "YEARLY", "fortnightly": "WEEKLY;INTERVAL=2",
           "biweekly": "WEEKLY;INTERVAL=2", "quarterly": "MONTHLY;INTERVAL=3"}  # fmt: skip
FREQ = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY", "hour": "HOURLY"}
WORKDAYS = "MO,TU,WE,TH,FR"
# What follows an adverb that says a repeat: an end, a detail, a time ("daily 9pm write").
ADVERB_END = re.compile(
    rf"\s*(?:$|[,.;:!?)]|(?:at|on|by|from|starting|until|till|for|in|and|due|p[1-4]|{EVERY}|"
    r"before|after|around|\d{1,2}(?::\d{2})?\s*[ap]\.?m\b\.?)(?!\w)|[#@!])",
    re.I,
)


def _days(words: str) -> str:
    words = canon(words)
    return ",".join(CODES[d] for d in WEEKDAYS if re.search(rf"\b{d[:3]}", words, re.I))


def _rule(match: re.Match[str]) -> str:
    """The RRULE, its parts in one order: FREQ, INTERVAL, BYDAY, BYMONTHDAY."""
    if match["adverb"]:
        return "FREQ=" + ADVERBS[canon(match["adverb"].lower())]
    if match["letters"]:
        return "FREQ=WEEKLY;BYDAY=" + ("MO,WE,FR" if match["letters"] == "MWF" else "TU,TH")
    if match["plural"] or match["bare"]:
        return f"FREQ=WEEKLY;BYDAY={_days(match['plural'] or match['bare'])}"
    if match["span"]:  # "mon-fri": every day from one to the other
        first, last = (_days(day) for day in re.split(r"\s*-\s*", match["span"]))
        order = list(CODES.values())
        start, end = order.index(first), order.index(last)
        run = order[start : end + 1] if start <= end else order[start:] + order[: end + 1]
        return f"FREQ=WEEKLY;BYDAY={','.join(run)}"
    if match["weekdays"]:
        end = canon(match["weekdays"].lower()) == "weekends"
        return f"FREQ=WEEKLY;BYDAY={'SA,SU' if end else WORKDAYS}"
    if match["nthday"]:
        nth = NTH[(match["nth"] or match["nth2"]).lower()]
        return f"FREQ=MONTHLY;BYDAY={nth}{_days(match['nthday'])}"
    if match["monthend"]:
        return "FREQ=MONTHLY;BYMONTHDAY=-1"
    if match["monthday2"] or match["monthday3"]:
        return f"FREQ=MONTHLY;BYMONTHDAY={int(match['monthday2'] or match['monthday3'])}"
    unit = canon(re.sub(r"\s+", "", match["unit"].lower())).rstrip("s")
    count = (match["count"] or "").strip().lower()
    count = "2" if count in ("second", "2nd") else count  # "every second saturday": every other
    interval = int(count) if count.isdigit() else COUNTS.get(re.sub(r"\s+", " ", count), 1)
    days = ""
    if unit in ("weekday", "workday"):
        freq, days = "WEEKLY", WORKDAYS
    elif unit == "weekend":
        freq, days = "WEEKLY", "SA,SU"
    elif unit == "fortnight":
        freq, interval = "WEEKLY", interval * 2
    elif unit == "quarter":
        freq, interval = "MONTHLY", interval * 3
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


def _adjective(match: re.Match[str], text: str) -> bool:
    """ "the weekly report": an adverb right before a word it describes is not a repeat."""
    return bool(match["adverb"]) and not ADVERB_END.match(text[match.end() :])


def pick(text: str) -> re.Match[str] | None:
    found = [m for m in REPEAT.finditer(text) if not _adjective(m, text)]
    return next((m for m in found if not m["adverb"]), found[0] if found else None)


def find_repeat(text: str) -> tuple[str, str, str]:
    """(RRULE, the text without the repeat, the part of day it named); ("", text, "") if none.

    "every friday" wins over an adverb elsewhere: "weekly review every friday" keeps "weekly".
    """
    match = pick(text)
    if not match:
        return "", text, ""
    return _rule(match), _cut(text, match), _part(match)


def _part(match: re.Match[str]) -> str:
    part = canon((match["part"] or match["unit"] or "").lower())
    return part if part in HOURS_OF else ""


TWICE_OVER = re.compile(rf"(?<!\w)(?:biweekly|fortnightly|{EVERY}\s+other\s+week)(?!\w)", re.I)


WEEKLY_AGAIN = re.compile(rf"(?<!\w){EVERY}\s+week(?!\w)", re.I)


def take(work: Any) -> tuple[str, str]:
    """The repeat in a scan's working text, taken out of it: (RRULE, part of day).

    "biweekly 1:1 thursdays": every other week, on thursdays.
    """
    match = pick(work.now)
    if not match:
        return "", ""
    rule = _rule(match)
    work.take(match.start(), match.end(), "recurrence", rule)
    twice = TWICE_OVER.search(work.now)
    if twice and rule.startswith("FREQ=WEEKLY;BYDAY="):
        rule = rule.replace("FREQ=WEEKLY;", "FREQ=WEEKLY;INTERVAL=2;")
        work.take(twice.start(), twice.end(), "recurrence", rule)
    again = WEEKLY_AGAIN.search(work.now)
    if again and rule.startswith("FREQ=WEEKLY;BYDAY="):  # "tues & thurs 5:30pm every week"
        work.take(again.start(), again.end(), "recurrence", rule)
    return rule, _part(match)


def first_due(rule: str, hour: time | None, clock: Clock) -> date | datetime:
    """The first occurrence of a repeat, from now on: a day, or a local time when one was said."""
    start = datetime.combine(clock.today, hour or time())
    floor = clock.now.replace(tzinfo=None) if hour else start
    # "every other tuesday" starts on the next tuesday, not the next one of the series' weeks
    plain = re.sub(r";?INTERVAL=\d+", "", rule).lstrip(";")
    following = rrulestr(plain, dtstart=start).after(floor, inc=True) or start
    return following.replace(tzinfo=clock.zone) if hour else following.date()
