"""iCalendar VTODOs in and out through tasks/ical.py, a few VTODOs at a time."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import IO, Any
from zoneinfo import ZoneInfo

from tasklive.tasks import ical
from tasklive.tasks.transfer.items import Item, UnreadableFileError

CHUNK = 200  # VTODOs parsed together
HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:" + ical.PRODID + "\r\n"
TAIL = "END:VCALENDAR\r\n"


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, str]]:
    for number, raw in enumerate(stream, 1):
        try:
            yield number, raw.decode("utf-8").removeprefix("\ufeff").rstrip("\r\n")
        except UnicodeDecodeError:
            raise UnreadableFileError(f"line {number} is not UTF-8 text.") from None


def read(stream: IO[bytes], zone: ZoneInfo) -> Iterator[Item]:
    """Each VTODO of a calendar file (its overrides with it), as an Item keeping its text."""
    zones: list[str] = []
    block: list[str] = []
    todos: list[list[str]] = []
    inside: str | None = None
    started = False
    count = 0
    for number, line in _lines(stream):
        upper = line.upper()
        if not started:
            if not line.strip():
                continue
            if upper != "BEGIN:VCALENDAR":
                raise UnreadableFileError(f"line {number} is not iCalendar (no BEGIN:VCALENDAR).")
            started = True
            continue
        if inside is None and upper in ("BEGIN:VTODO", "BEGIN:VTIMEZONE"):
            inside, block = upper[6:], [line]
            continue
        if inside is None:
            continue
        block.append(line)
        if upper == f"END:{inside}":
            if inside == "VTIMEZONE":
                zones.append("\r\n".join(block))
            else:
                todos.append(block)
                count += 1
            inside = None
            if len(todos) >= CHUNK and not _continues(todos):
                yield from _parsed(todos, zones, zone, count - len(todos))
                todos = []
    if not started:
        raise UnreadableFileError("line 1: the file is empty; expected an iCalendar file.")
    if inside is not None:
        where = f"item {count + 1}" if inside == "VTODO" else "the end"
        raise UnreadableFileError(f"{where}: the file ends early; it may be cut short.")
    if todos:
        yield from _parsed(todos, zones, zone, count - len(todos))


def _uid(block: list[str]) -> str:
    return next((line[4:].strip() for line in block if line.upper().startswith("UID:")), "")


def _continues(todos: list[list[str]]) -> bool:
    """Whether the last VTODOs share a UID (an override follows its master): keep them together."""
    return len(todos) > 1 and _uid(todos[-1]) == _uid(todos[-2])


def _parsed(todos: list[list[str]], zones: list[str], zone: ZoneInfo, before: int) -> list[Item]:
    text = HEAD + "".join(z + "\r\n" for z in zones)
    text += "".join("\r\n".join(block) + "\r\n" for block in todos) + TAIL
    first = f"item {before + 1}"
    try:
        parsed = ical.read_todos(text, zone)
    except ical.CalendarDataError as exc:
        where = first if len(todos) == 1 else f"items {before + 1}-{before + len(todos)}"
        raise UnreadableFileError(f"{where}: {exc.message}") from None
    refs: dict[str, str] = {}
    for index, block in enumerate(todos, before + 1):
        refs.setdefault(_uid(block), f"item {index}")
    items = []
    for todo in parsed:
        fields = todo.fields
        items.append(
            Item(
                ref=refs.get(todo.uid, first),
                uid=todo.uid,
                title=fields.title,
                description=fields.description,
                completed=fields.completed,
                completed_at=fields.completed_at,
                due=fields.due,
                priority=fields.priority,
                labels=list(fields.labels),
                recurrence=fields.recurrence,
                remind_at=fields.remind_at,
                ical=todo.text,
            )
        )
    return items


def _components(text: str) -> Iterator[tuple[str, str]]:
    """The VTIMEZONE and VTODO blocks of one task's VCALENDAR text, as (TZID or "", text)."""
    block: list[str] = []
    depth = 0
    for line in text.splitlines():
        if line.startswith("BEGIN:") and line != "BEGIN:VCALENDAR":
            depth += 1
        if depth:
            block.append(line)
        if line.startswith("END:") and line != "END:VCALENDAR":
            depth -= 1
            if depth == 0:
                tzid = next((b[5:] for b in block if b.startswith("TZID:")), "")
                yield (tzid if block[0] == "BEGIN:VTIMEZONE" else ""), "\r\n".join(block) + "\r\n"
                block = []


def _page(tasks: list[Any], zone: ZoneInfo, seen: set[str]) -> str:
    parts = []
    for task in tasks:
        for tzid, text in _components(ical.todo_object(task, zone)):
            if tzid:
                if tzid in seen:
                    continue
                seen.add(tzid)
            parts.append(text)
    return "".join(parts)


async def document(pages: AsyncIterator[list[Any]], zone: ZoneInfo) -> AsyncIterator[str]:
    """One VCALENDAR of every task's VTODO (its stored client text where it has one), each time
    zone once; each page is written on a worker thread (the iCalendar library is slow)."""
    yield HEAD
    seen: set[str] = set()
    async for page in pages:
        yield await asyncio.to_thread(_page, page, zone, seen)
    yield TAIL
