"""Which reader and writer each import and export format uses."""

from collections.abc import Iterator
from datetime import date
from typing import IO, Any
from zoneinfo import ZoneInfo

from tasklive.tasks.transfer import backup, ics, taskwarrior, todoist
from tasklive.tasks.transfer.items import UnreadableFileError


def read(
    format: str, stream: IO[bytes], filename: str | None, zone: ZoneInfo, today: date
) -> Iterator[Any]:
    """The records of a file: Items, Problems and Skipped (json: (kind, record) pairs)."""
    if format == "todoist":
        return todoist.read(stream, filename, zone, today)
    if format == "taskwarrior":
        return taskwarrior.read(stream, zone)
    if format == "json":
        return backup.read(stream)
    if format == "ics":
        return ics.read(stream, zone)
    raise UnreadableFileError(f"There is no {format} import.")
