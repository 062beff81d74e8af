"""Turning a scan's words into values at the message's own time in the user's zone."""

import re
from datetime import UTC, date, datetime, time, timedelta

from tasklive.tasks.quickadd import dates, hours, repeats
from tasklive.tasks.quickadd.dates import Clock, Found
from tasklive.tasks.quickadd.tokens import UNIT_DELTA

REMIND_HOUR = time(9)  # a reminder for a task due on a day, not at a time


def due(
    when: str, clock_words: str, repeat: str, part: str, clock: Clock, *, new: bool = True
) -> date | datetime | None:
    """The due day or local date-time; a repeat without a day starts at its first occurrence.

    `new`: for a task being created; a task made to repeat keeps the due date it has.
    """
    if repeat and not when and not clock_words and not new:
        return None
    if repeat and not when:
        evening = part in ("afternoon", "evening", "night")  # "every night at 10"
        hour = hours.hour_of(clock_words, evening) if clock_words else None
        if hour is not None and part == "morning" and hour.hour >= 12 and "pm" not in clock_words:
            hour = hour.replace(hour=hour.hour - 12)
        if hour is None and part:
            hour = time(hours.HOURS_OF[part])
        return repeats.first_due(repeat, hour, clock)
    return dates.resolve(Found("", when, clock_words), clock)


def moment(value: date | datetime, clock: Clock) -> datetime:
    """A due value as an instant: itself, or 9:00 on its day."""
    return value if isinstance(value, datetime) else clock.local(value, REMIND_HOUR)


def offset(words: str) -> timedelta | None:
    """ "15 minutes" as a timedelta."""
    count, _, unit = words.partition(" ")
    key = unit.lower().rstrip("s") or "minute"
    if key not in UNIT_DELTA:
        return None
    amount = int(count) if count.isdigit() else dates.COUNTS.get(count.lower(), 1)
    if amount > dates.MOST_AMOUNT:
        return None
    return timedelta(**{UNIT_DELTA[key]: amount})


def reminder(remind: str, due_value: date | datetime | None, clock: Clock) -> datetime | None:
    """When to remind: "due", "before:<amount>", "eve:<time>", "at:<words>" or "lead:<words>"."""
    kind, _, words = remind.partition(":")
    if kind == "due":
        return moment(due_value, clock) if due_value is not None else None
    if kind == "before":
        delta = offset(words)
        if due_value is None or not delta:
            return None
        due_at = moment(due_value, clock).astimezone(clock.zone)
        if delta.days and not delta.seconds:  # "a day before": the same hour, across a DST change
            return clock.local(due_at.date() - delta, due_at.time().replace(tzinfo=None))
        return (due_at.astimezone(UTC) - delta).astimezone(clock.zone)
    if kind == "eve":  # the day before the due day, at a time
        hour = hours.hour_of(words, False)
        if due_value is None or hour is None:
            return None
        day = due_value.date() if isinstance(due_value, datetime) else due_value
        return clock.local(day - timedelta(days=1), hour)
    if kind in ("at", "lead"):
        found = dates.find(re.sub(r"^for\s+", "", words.strip(), flags=re.I))
        if found.clock and not found.day and due_value is not None:
            hour = hours.hour_of(found.clock, False)
            day = due_value.date() if isinstance(due_value, datetime) else due_value
            return _before_due(clock.local(day, hour), found.clock, due_value) if hour else None
        value = dates.resolve(found, clock)
        return moment(value, clock) if value is not None else None
    return None


def _before_due(at: datetime, words: str, due_value: date | datetime) -> datetime:
    """A guessed afternoon hour that falls after the due is its morning one ("due 4:30am,
    remind me at 4")."""
    guessed = at.hour >= 12 and not re.search(r"[ap]\.?m|noon", words, re.I)
    if guessed and isinstance(due_value, datetime) and at > due_value >= at - timedelta(hours=12):
        return at - timedelta(hours=12)
    return at
