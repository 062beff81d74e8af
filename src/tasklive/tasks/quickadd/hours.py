"""The time of day in words: "5pm", "16h", "9ish", "quarter to 6", "noon", "in the morning"."""

import re
from datetime import time

from tasklive.tasks.quickadd import typos
from tasklive.tasks.quickadd.typos import spelled

PART = rf"(?:{spelled('morning', 'afternoon', 'evening')}|night)"
HOURS_OF = {"morning": 9, "afternoon": 15, "evening": 18, "night": 20, "tonight": 20, "tonite": 20}

__all__ = ["HOURS_OF", "PART", "hour_of"]


def _quarter(said: re.Match[str]) -> str:
    """ "quarter to 6" as "5:45", "half past 4" as "4:30"."""
    minutes = 15 if said[1] == "quarter" else 30
    hour = int(said[3])
    if said[2] == "to":
        return f"{(hour - 1) or 12}:{60 - minutes}"
    return f"{hour}:{minutes}"


def hour_of(words: str, evening: bool, morning: bool = False) -> time | None:
    """The time of day in "5pm", "at 17:30", "noon", "in the morning"; None when there is none.

    An hour alone is a guess: in the evening when `evening`, in the morning when `morning`.
    """
    low = re.sub(r"([ap])\.m\.?", r"\1m", typos.canon(words.lower()))
    low = re.sub(r"(\d)([ap])(?![\w.])", r"\1\2m", low)  # "5p"
    low = re.sub(r"\b(\d{1,2})h\b", lambda m: f"{int(m[1]):02d}:00", low)  # "9h": 24-hour
    low = re.sub(r"\s*-?ish\b", "", low)
    low = re.sub(r"(?:a\s+)?(quarter|half)\s+(past|after|to)\s+(\d{1,2})", _quarter, low)
    low = re.sub(r"(\d)\.(\d\d)", r"\1:\2", low)  # "5.30pm"
    if re.search(r"(?<!after)noon|midday", low):  # "afternoon" is 3pm, not noon
        return time(12)
    if "midnight" in low:
        return time(23, 59)
    if re.search(r"end of (?:the )?day|eod", low):
        return time(17)
    if "first thing" in low:
        return time(9)
    clock = re.search(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", low)
    if clock:
        hour, minute, half = int(clock[1]), int(clock[2] or 0), clock[3]
        if hour > 23:
            return None
        guess = not half and hour < 12 and not clock[1].startswith("0")  # "07:00" is a 24h time
        if (half == "pm" and hour < 12) or (guess and not morning and (evening or hour <= 7)):
            hour += 12
        if half == "am" and hour == 12:
            hour = 0
        return time(hour % 24, minute) if minute < 60 else None
    part = re.search(rf"{PART}|tonight", low)
    return time(HOURS_OF[part.group()]) if part else None
