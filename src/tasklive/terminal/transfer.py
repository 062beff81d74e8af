"""`tasklive import` and `tasklive export`: files in and out through the HTTP API."""

import sys
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.markup import escape

from tasklive.terminal.service import ServiceClient


def _tasks(count: int) -> str:
    return f"{count:,} task" if count == 1 else f"{count:,} tasks"


def import_summary(report: dict[str, Any], dry_run: bool) -> str:
    """What an import did or would do: "Would create 3 tasks and update 1; 2 unchanged."."""
    created, updated, unchanged = report["created"], report["updated"], report["skipped"]
    create, update = ("Would create", "update") if dry_run else ("Created", "updated")
    if created and updated:
        done = f"{create} {_tasks(created)} and {update} {updated:,}"
    elif created:
        done = f"{create} {_tasks(created)}"
    elif updated:
        done = f"{'Would update' if dry_run else 'Updated'} {_tasks(updated)}"
    else:
        done = "Nothing would change" if dry_run else "Nothing changed"
        if unchanged:
            return f"{done}: {_tasks(unchanged)} {'is' if unchanged == 1 else 'are'} unchanged."
    return f"{done}; {unchanged:,} unchanged." if unchanged else f"{done}."


async def run_import(
    url: str, token: str, path: Path, format: str, dry_run: bool, console: Console
) -> int:
    """Import a file and print its report; 1 when some items could not be imported."""
    async with ServiceClient(url, token, timeout=600) as client:
        report = await client.import_file(path, format, dry_run)
    console.print(import_summary(report, dry_run), highlight=False)
    for error in report["errors"]:
        # A reason may quote the file ("due '[/x]'"): printed as text, never as markup.
        console.print(
            f"[yellow]{escape(error['item'])}[/]: {escape(error['reason'])}", highlight=False
        )
    hidden = report.get("errors_not_shown", 0)
    if hidden:
        console.print(f"… and {hidden} more problems.")
    return 1 if report["errors"] else 0


async def run_export(
    url: str, token: str, format: str, output: Path | None, console: Console
) -> int:
    """Download an export to a file, or to standard output."""
    async with ServiceClient(url, token, timeout=600) as client:
        if output is None:
            out: IO[bytes] = sys.stdout.buffer
            await client.export(format, out)
            out.flush()
            return 0
        with output.open("wb") as handle:
            size = await client.export(format, handle)
    console.print(f"Wrote {size:,} bytes to {output}.", highlight=False)
    return 0
