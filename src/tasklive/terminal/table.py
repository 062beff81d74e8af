"""`tasklive tasks`: the user's task list as a table."""

from typing import Any

from rich.console import Console
from rich.table import Table

from tasklive.terminal.service import ServiceClient


def task_table(tasks: list[dict[str, Any]]) -> Table:
    """Number, state, title and description of each task."""
    table = Table(title=f"Tasks ({len(tasks)})", title_justify="left")
    table.add_column("#", justify="right", style="bold")
    table.add_column("Done", justify="center")
    table.add_column("Title")
    table.add_column("Description", style="dim", overflow="fold")
    for task in tasks:
        done = "[green]✓[/]" if task["completed"] else "·"
        table.add_row(str(task["number"]), done, task["title"], task["description"] or "")
    return table


async def show_tasks(url: str, token: str, status: str, console: Console) -> None:
    """Print the token user's tasks with the given status."""
    async with ServiceClient(url, token) as service:
        tasks = await service.tasks(status)
    if tasks:
        console.print(task_table(tasks))
    else:
        console.print("No tasks." if status == "all" else f"No {status} tasks.")
