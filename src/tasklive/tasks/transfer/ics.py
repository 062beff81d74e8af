"""iCalendar VTODOs in (tasks/vtodo.py) and out (tasks/ical.py), a few VTODOs at a time."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import IO, Any
from zoneinfo import ZoneInfo

from tasklive.tasks import ical, vtodo
from tasklive.tasks.transfer.items import Item, Problem, UnreadableFileError, task_values
from tasklive.tasks.transfer.kinds import not_a

CHUNK = 200  # VTODOs parsed together
BLOCK_MAX = 1 << 22  # bytes of one VTODO or VTIMEZONE (and so of one line): 4 MiB
HELD_MAX = 1 << 24  # bytes of VTODOs held at once (one task's overrides stay together)
RUN_MAX = 2_000  # VTODOs of one UID
HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:" + vtodo.PRODID + "\r\n"
TAIL = "END:VCALENDAR\r\n"
NOT_EVENTS = "calendar events are not imported."


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, str]]:
    number = 0
    while raw := stream.readline(BLOCK_MAX + 1):
        number += 1
        if len(raw) > BLOCK_MAX:
            raise UnreadableFileError(f"line {number} is over {BLOCK_MAX:,} bytes long.")
        try:
            yield number, raw.decode("utf-8").removeprefix("\ufeff").rstrip("\r\n")
        except UnicodeDecodeError:
            raise UnreadableFileError(f"line {number} is not UTF-8 text.") from None


def read(stream: IO[bytes], zone: ZoneInfo) -> Iterator[Item | Problem]:
    """Each VTODO of a calendar file (its overrides with it), as an Item keeping its text."""
    zones: list[str] = []
    block: list[str] = []
    todos: list[list[str]] = []
    inside: str | None = None
    started = False
    count = size = held = run = events = 0  # run: how many of the last VTODOs share one UID
    for number, line in _lines(stream):
        upper = line.upper()
        if not started:
            if not line.strip():
                continue
            if upper != "BEGIN:VCALENDAR":
                raise not_a("ics", f"line {number} is not BEGIN:VCALENDAR")
            started = True
            continue
        if inside is None and upper in ("BEGIN:VTODO", "BEGIN:VTIMEZONE"):
            inside, block, size = upper[6:], [line], len(line)
            continue
        if inside is None:
            events += upper == "BEGIN:VEVENT"
            continue
        block.append(line)
        size += len(line) + 2
        if size > BLOCK_MAX:
            where = f"item {count + 1}" if inside == "VTODO" else f"line {number}"
            raise UnreadableFileError(
                f"{where}: a {inside} over {BLOCK_MAX:,} bytes long (is END:{inside} missing?)."
            )
        if upper == f"END:{inside}":
            if inside == "VTIMEZONE":
                zones.append("\r\n".join(block))
                if sum(map(len, zones)) > HELD_MAX:
                    raise UnreadableFileError(f"line {number}: too many time zones (VTIMEZONE).")
            else:
                run = run + 1 if todos and _uid(todos[-1]) == _uid(block) else 1
                todos.append(block)
                count += 1
                held += size
            inside = None
            if len(todos) >= CHUNK or held >= HELD_MAX:
                start = len(todos) - run  # a task's overrides follow it: keep them together
                if start:
                    yield from _parsed(todos[:start], zones, zone, count - len(todos))
                    todos = todos[start:]
                    held = sum(len(line) + 2 for block in todos for line in block)
                if len(todos) >= RUN_MAX or held >= HELD_MAX:
                    raise UnreadableFileError(
                        f"items {count - len(todos) + 1}-{count}: more VTODOs share the UID "
                        f"{_uid(todos[-1])[:100]!r} than one task can hold."
                    )
    if not started:
        raise UnreadableFileError("line 1: the file is empty; expected an iCalendar file.")
    if inside is not None:
        where = f"item {count + 1}" if inside == "VTODO" else "the end"
        raise UnreadableFileError(f"{where}: the file ends early; it may be cut short.")
    if todos:
        yield from _parsed(todos, zones, zone, count - len(todos))
    if count == 0:
        yield Problem("the file", _no_tasks(events))


def _no_tasks(events: int) -> str:
    if not events:
        return "No tasks were found: the calendar holds no tasks (VTODO)."
    held = "1 event" if events == 1 else f"{events:,} events"
    return f"No tasks were found: the calendar holds {held} and no tasks; {NOT_EVENTS}"


def _uid(block: list[str]) -> str:
    return next((line[4:].strip() for line in block if line.upper().startswith("UID:")), "")


def _parsed(todos: list[list[str]], zones: list[str], zone: ZoneInfo, before: int) -> list[Item]:
    text = HEAD + "".join(z + "\r\n" for z in zones)
    text += "".join("\r\n".join(block) + "\r\n" for block in todos) + TAIL
    first = f"item {before + 1}"
    try:
        parsed = vtodo.read_todos(text, zone)
    except vtodo.CalendarDataError as exc:
        where = first if len(todos) == 1 else f"items {before + 1}-{before + len(todos)}"
        raise UnreadableFileError(f"{where}: {exc.message}") from None
    refs: dict[str, str] = {}
    for index, block in enumerate(todos, before + 1):
        refs.setdefault(_uid(block), f"item {index}")
    items = []
    for todo in parsed:
        ref = refs.get(todo.uid, first)
        item = Item(ref, todo.uid, ical=todo.text, carries_list=False, **task_values(todo.fields))
        items.append(item)
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
