"""`tasklive tasks`: the user's task list as a table."""

from datetime import date, datetime
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tasklive.terminal.service import ServiceClient

PRIORITY_STYLES = {1: "bold red", 2: "yellow", 3: "cyan", 4: "dim"}


def due_text(task: dict[str, Any], today: date) -> Text:
    """The due date (and time), red when it has passed and the task is still open."""
    due = task.get("due")
    if not due:
        return Text("")
    when = datetime.fromisoformat(due)
    shown = due if len(due) <= 10 else when.strftime("%Y-%m-%d %H:%M")
    overdue = not task["completed"] and when.date() < today
    return Text(shown, style="bold red" if overdue else "")


def task_table(tasks: list[dict[str, Any]], today: date | None = None) -> Table:
    """Number, state, title, due date, priority, list, labels and description of each task."""
    today = today or date.today()
    table = Table(title=f"Tasks ({len(tasks)})", title_justify="left")
    table.add_column("#", justify="right", style="bold")
    table.add_column("Done", justify="center")
    table.add_column("Title")
    table.add_column("Due", no_wrap=True)
    table.add_column("Pri", justify="center")
    table.add_column("List")
    table.add_column("Labels", style="magenta")
    table.add_column("Description", style="dim", overflow="fold")
    for task in tasks:
        done = "[green]✓[/]" if task["completed"] else "·"
        priority = task.get("priority")
        table.add_row(
            str(task["number"]),
            done,
            Text(task["title"]),
            due_text(task, today),
            Text(f"P{priority}", style=PRIORITY_STYLES[priority]) if priority else "",
            Text(task.get("list") or ""),
            Text(" ".join(f"#{label}" for label in task.get("labels") or [])),
            Text(task["description"] or ""),
        )
    return table


async def show_tasks(url: str, token: str, status: str, console: Console) -> None:
    """Print the token user's tasks with the given status."""
    async with ServiceClient(url, token) as service:
        tasks = await service.tasks(status)
    if tasks:
        console.print(task_table(tasks))
    else:
        console.print("No tasks." if status == "all" else f"No {status} tasks.")
