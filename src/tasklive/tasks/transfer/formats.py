"""Which reader and writer each import and export format uses."""

from collections.abc import Iterator
from datetime import date
from typing import IO, Any
from zoneinfo import ZoneInfo

from tasklive.tasks.transfer import backup, ics, taskwarrior, todoist
from tasklive.tasks.transfer.items import UnreadableFileError
from tasklive.tasks.transfer.kinds import refuse_other_kinds


def read(
    format: str, stream: IO[bytes], filename: str | None, zone: ZoneInfo, today: date
) -> Iterator[Any]:
    """The records of a file: Items, Problems and Skipped (json: (kind, record) pairs).

    A file that looks like another format is refused before it is parsed."""
    refuse_other_kinds(format, stream)
    if format == "todoist":
        yield from todoist.read(stream, filename, zone, today)
    elif format == "taskwarrior":
        yield from taskwarrior.read(stream, zone)
    elif format == "json":
        yield from backup.read(stream)
    elif format == "ics":
        yield from ics.read(stream, zone)
    else:
        raise UnreadableFileError(f"There is no {format} import.")
