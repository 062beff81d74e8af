"""Which kind of file an import was given, so a file of the wrong kind gets one clear sentence."""

import re
from typing import IO

from tasklive.tasks.transfer.items import UnreadableFileError

NAMES = {
    "todoist": "a Todoist CSV",
    "taskwarrior": "a Taskwarrior export",
    "ics": "an iCalendar file",
    "json": "a tasklive export",
}
FIRST = {"todoist": "line 1", "ics": "line 1", "taskwarrior": "item 1", "json": "item 1"}
HEAD = 4096
_STARTS = (
    ("todoist", re.compile(rb"[^\n]*\bTYPE\b[^\n]*\bCONTENT\b", re.IGNORECASE)),
    ("ics", re.compile(rb"BEGIN:VCALENDAR\b", re.IGNORECASE)),
    ("json", re.compile(rb'\{\s*"format"\s*:\s*"tasklive"')),
    ("taskwarrior", re.compile(rb'\[?\s*\{[^{}]*"(uuid|description)"\s*:')),
)


def kind_of(head: bytes) -> str | None:
    """The import format the start of a file looks like; None when it looks like none of them."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return next((kind for kind, start in _STARTS if start.match(text)), None)


def not_a(format: str, detail: str) -> UnreadableFileError:
    """The answer to a file that is not `format`: "This is not a Taskwarrior export (...)"."""
    return UnreadableFileError(f"This is not {NAMES[format]} ({detail}).")


def refuse_other_kinds(format: str, stream: IO[bytes]) -> None:
    """Refuse a file that looks like another import format, naming the one to choose."""
    kind = kind_of(stream.read(HEAD))
    stream.seek(0)
    if kind is not None and kind != format:
        raise not_a(format, f"{FIRST[format]} looks like {NAMES[kind]}; import the file as {kind}")
