"""`tasklive add "TEXT"`: one line read by the service's quick-add reader into a new task."""

import re
from typing import Any

from rich.console import Console
from rich.text import Text

from tasklive.terminal.service import ServiceClient
from tasklive.terminal.table import PRIORITY_STYLES

KIND_STYLES = {
    "due": "green",
    "priority": "red",
    "label": "magenta",
    "list": "blue",
    "recurrence": "yellow",
    "reminder": "cyan",
    "description": "dim",
}
KIND_NAMES = {
    "due": "due",
    "priority": "priority",
    "label": "label",
    "list": "list",
    "recurrence": "repeats",
    "reminder": "reminder",
    "description": "note",
}


def marked_text(text: str, spans: list[dict[str, Any]]) -> Text:
    """The line as typed, each recognised span in its kind's colour."""
    shown = Text(text)
    for span in spans:
        shown.stylize(
            f"underline {KIND_STYLES.get(span['kind'], 'bold')}", span["start"], span["end"]
        )
    return shown


def recognised_lines(text: str, spans: list[dict[str, Any]]) -> list[Text]:
    """One line per recognised span: what it is, the words, and what they were read as."""
    width = max((len(KIND_NAMES.get(span["kind"], span["kind"])) for span in spans), default=0)
    lines = []
    for span in spans:
        kind = span["kind"]
        line = Text("  ")
        line.append(KIND_NAMES.get(kind, kind).ljust(width), style=KIND_STYLES.get(kind, "bold"))
        line.append(f"  “{text[span['start'] : span['end']]}” → ")
        line.append(_value_text(span["value"]))
        lines.append(line)
    return lines


def _value_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, str) and re.match(r"\d{4}-\d{2}-\d{2}", value):
        return _when(value)
    return str(value)


def task_line(task: dict[str, Any]) -> Text:
    """ "Created #4: call the landlord", then its details."""
    line = Text("Created ", style="green")
    line.append(f"#{task['number']}", style="bold")
    line.append(": ")
    line.append(task["title"])
    details = [
        (f"due {_when(task['due'])}", "") if task.get("due") else None,
        (f"P{task['priority']}", PRIORITY_STYLES.get(task["priority"], ""))
        if task.get("priority")
        else None,
        (f"list {task['list']}", "blue") if task.get("list") else None,
        *[(f"#{label}", "magenta") for label in task.get("labels") or []],
        (f"repeats {task['recurrence']}", "yellow") if task.get("recurrence") else None,
        (f"reminder {_when(task['remind_at'])}", "cyan") if task.get("remind_at") else None,
    ]
    for detail in filter(None, details):
        line.append(" · ", style="dim")
        line.append(detail[0], style=detail[1])
    return line


def _when(value: str) -> str:
    """A date as it is; a date-time (in the user's zone) as "2026-12-08 17:00"."""
    return value if len(value) <= 10 else f"{value[:10]} {value[11:16]}"


async def quick_add(url: str, token: str, text: str, console: Console) -> None:
    """Create the task the service reads in `text`; print it and what was recognised."""
    async with ServiceClient(url, token) as service:
        answer = await service.quick_add(text)
    spans = sorted(answer.get("spans") or [], key=lambda span: span["start"])
    console.print(task_line(answer["task"]))
    if spans:
        console.print(Text("  ").append(marked_text(text, spans)))
        for line in recognised_lines(text, spans):
            console.print(line)
    else:
        console.print("  Nothing but the title was recognised.", style="dim")
