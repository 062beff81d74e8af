"""Repeating tasks: the next occurrence of an RFC 5545 rule, in the user's time zone."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr


def next_due(
    rule: str, due: date | datetime, zone: ZoneInfo, now: datetime
) -> date | datetime | None:
    """The first occurrence after both `due` and now; None when the series has ended.

    Timed occurrences repeat at the same local time, across DST changes.
    """
    timed = isinstance(due, datetime)
    if isinstance(due, datetime):
        start = due.astimezone(zone).replace(tzinfo=None)
    else:
        start = datetime.combine(due, time())
    local_now = now.astimezone(zone).replace(tzinfo=None)
    floor = local_now if timed else datetime.combine(local_now.date(), time())
    following = rrulestr(rule, dtstart=start).after(max(start, floor))
    if following is None:
        return None
    return following.replace(tzinfo=zone) if timed else following.date()
