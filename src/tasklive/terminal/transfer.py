"""`tasklive import` and `tasklive export`: files in and out through the HTTP API."""

import sys
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.markup import escape

from tasklive.terminal.service import ServiceClient


async def run_import(
    url: str, token: str, path: Path, format: str, dry_run: bool, console: Console
) -> int:
    """Import a file and print its report; 1 when some items could not be imported."""
    async with ServiceClient(url, token, timeout=600) as client:
        report = await client.import_file(path, format, dry_run)
    verb = "Would create" if dry_run else "Created"
    console.print(
        f"{verb} {report['created']}, updated {report['updated']}, "
        f"{report['skipped']} unchanged or left out."
    )
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
