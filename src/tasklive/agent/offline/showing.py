"""How a task's details read in a reply: "due Fri 30 Oct 17:00, p1, #work, on groceries"."""

from datetime import date, datetime
from typing import Any

Task = dict[str, Any]
REPEATS = {"DAILY": "daily", "WEEKLY": "weekly", "MONTHLY": "monthly", "YEARLY": "yearly"}


def due_of(task: Task) -> date | datetime | None:
    """A task's due day or date-time, from the tool's JSON."""
    value = task.get("due")
    if not value:
        return None
    return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)


def day_text(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def moment_text(value: date | datetime) -> str:
    """ "Fri 30 Oct" for a day, "Fri 30 Oct 17:00" for a date-time (at its own offset)."""
    if isinstance(value, datetime):
        return f"{day_text(value.date())} {value:%H:%M}"
    return day_text(value)


DAY_NAMES = {"MO": "Mon", "TU": "Tue", "WE": "Wed", "TH": "Thu", "FR": "Fri", "SA": "Sat",
             "SU": "Sun"}  # fmt: skip


def _days(codes: str) -> str:
    return ", ".join(DAY_NAMES.get(code[-2:], code) for code in codes.split(","))


def repeat_text(rule: str) -> str:
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    every = REPEATS.get(parts.get("FREQ", ""), "")
    interval = parts.get("INTERVAL")
    if interval and interval != "1":
        every = f"every {interval} {parts.get('FREQ', '').lower().removesuffix('ly')}s"
    if "BYDAY" in parts:
        days = parts["BYDAY"]
        every += " on weekdays" if days == "MO,TU,WE,TH,FR" else f" on {_days(days)}"
    if "BYMONTHDAY" in parts:
        day = parts["BYMONTHDAY"]
        every += " on the last day" if day == "-1" else f" on day {day}"
    return f"repeats {every.replace('dais', 'days')}"


def details_text(task: Task) -> str:
    """The details a task has, or ""."""
    shown = []
    due = due_of(task)
    if due is not None:
        shown.append(f"due {moment_text(due)}")
    if task.get("priority"):
        shown.append(f"p{task['priority']}")
    shown += [f"#{label}" for label in task.get("labels") or []]
    if task.get("list"):
        shown.append(f"on {task['list']}")
    if task.get("recurrence"):
        shown.append(repeat_text(task["recurrence"]))
    if task.get("remind_at"):
        reminder = datetime.fromisoformat(task["remind_at"])
        shown.append(f"reminder {moment_text(reminder)}")
    return ", ".join(shown)
