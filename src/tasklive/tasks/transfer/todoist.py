"""Todoist's CSV template (one file, or a backup ZIP of one CSV per project), read and written."""

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import PurePath
from typing import IO
from zoneinfo import ZoneInfo

from tasklive.tasks.transfer.items import Item, Problem, UnreadableFileError
from tasklive.tasks.transfer.kinds import not_a
from tasklive.tasks.transfer.todoist_dates import date_words, read_date

TEMPLATE = ["TYPE", "CONTENT", "DESCRIPTION", "PRIORITY", "INDENT", "AUTHOR", "RESPONSIBLE",
            "DATE", "DATE_LANG", "TIMEZONE"]  # fmt: skip
# tasklive's own columns after the template's, so its export re-imports exactly.
# A file with them is read by them alone: an empty LIST is no list, whatever the file's name.
OURS = ["LIST", "COMPLETED", "DUE", "RRULE", "UID", "REMIND_AT", "TASK_PRIORITY", "LABELS"]
FORMULA_START = ("=", "+", "-", "@")
_LABEL = re.compile(r"(?<!\S)@([^\s@]+)")
_PROJECT_ID = re.compile(r"\s*\[\d+\]$")
INBOX = "inbox"


def _decoded(lines: Iterable[bytes], where: str) -> Iterator[str]:
    for number, raw in enumerate(lines, 1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UnreadableFileError(
                f"{where}line {number} is not UTF-8 text; save the CSV as UTF-8 and try again."
            ) from None
        yield text.removeprefix("\ufeff") if number == 1 else text


def unescaped(text: str) -> str:
    """A cell as written before spreadsheet escaping ("'=1+1" is "=1+1")."""
    return text[1:] if text.startswith("'") and text[1:2] in FORMULA_START else text


def escaped(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def project_name(filename: str | None) -> str | None:
    """The project a Todoist CSV's file name says ("Shopping [123].csv" is Shopping)."""
    if not filename:
        return None
    name = _PROJECT_ID.sub("", PurePath(filename).stem).strip()
    return None if not name or name.lower() == INBOX else name


def read(
    stream: IO[bytes], filename: str | None, zone: ZoneInfo, today: date
) -> Iterator[Item | Problem]:
    """The tasks of a Todoist CSV, or of each CSV in a Todoist backup ZIP (one list per file)."""
    if stream.read(4) == b"PK\x03\x04":
        stream.seek(0)
        yield from _read_zip(stream, zone, today)
        return
    stream.seek(0)
    yield from read_csv(stream, project_name(filename), zone, today)


def _read_zip(stream: IO[bytes], zone: ZoneInfo, today: date) -> Iterator[Item | Problem]:
    try:
        archive = zipfile.ZipFile(stream)
        members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
    except (zipfile.BadZipFile, OSError):
        raise UnreadableFileError("The ZIP file is damaged or incomplete.") from None
    if not members:
        raise UnreadableFileError("The ZIP file holds no CSV files.")
    for member in members:
        try:
            with archive.open(member) as part:
                yield from read_csv(
                    part, project_name(member.filename), zone, today, member.filename
                )
        except (zipfile.BadZipFile, EOFError, OSError):
            raise UnreadableFileError(f"{member.filename} in the ZIP is damaged.") from None


def read_csv(
    stream: Iterable[bytes],
    project: str | None,
    zone: ZoneInfo,
    today: date,
    source: str | None = None,
) -> Iterator[Item | Problem]:
    """Each task row as an Item: sections set the list, notes add to the task before them."""
    where = f"{source}: " if source else ""
    reader = csv.reader(_decoded(stream, where), strict=True)
    try:
        header = [name.strip().upper() for name in next(reader, [])]
        if "TYPE" not in header or "CONTENT" not in header:
            raise not_a("todoist", f"{where}line 1 is not a header with TYPE and CONTENT columns")
        section: str | None = None
        held: Item | None = None
        position = 0
        for row in reader:
            ref = f"{where}line {reader.line_num}"

            cell = dict(zip(header, (value.strip() for value in row), strict=False)).get
            kind = cell("TYPE", "").lower()
            if kind == "note":
                if held is None:
                    yield Problem(ref, "a note with no task before it")
                else:
                    held.description = "\n\n".join(
                        p for p in (held.description, unescaped(cell("CONTENT", ""))) if p
                    )
                continue
            if held is not None:
                yield held
                held = None
            if kind == "section":
                section = unescaped(cell("CONTENT", "")) or None
            elif kind == "task":
                position += 1
                held = _task(cell, ref, project, section, position, zone, today)
            elif kind not in ("meta", "") or (not kind and any(row)):
                yield Problem(ref, f'unknown row TYPE "{cell("TYPE", "")}"')
        if held is not None:
            yield held
    except csv.Error as exc:
        raise UnreadableFileError(
            f"{where}line {reader.line_num} cannot be read as CSV ({exc}); "
            "the file may be cut short."
        ) from None


def _task(
    get: Callable[[str], str | None],
    ref: str,
    project: str | None,
    section: str | None,
    position: int,
    zone: ZoneInfo,
    today: date,
) -> Item:
    def cell(name: str) -> str:
        return get(name) or ""

    content = unescaped(cell("CONTENT"))
    labels = _LABEL.findall(content)
    title = _LABEL.sub("", content)
    if get("LABELS") is not None:  # ours: CONTENT is the title, then " @label" for each of them
        labels = [label for label in cell("LABELS").split(",") if label]
        title = content.removesuffix(_tagged(labels))
    listed = cell("LIST") or (f"{project} / {section}" if project and section else None)
    ours = get("UID") is not None  # tasklive's own export
    item = Item(
        ref=ref,
        uid=cell("UID") or _derived_uid(project, position, content),
        title=title,
        description=unescaped(cell("DESCRIPTION")),
        labels=labels,
        list_name=(cell("LIST") or None) if ours else listed or section or project,
        completed=cell("COMPLETED").lower() in ("1", "true", "yes"),
    )
    own = get("TASK_PRIORITY")
    priority = cell("PRIORITY") if own is None else own
    if priority:
        if priority not in ("1", "2", "3", "4"):
            item.notes.append(f'priority "{priority}" is not 1-4; left out')
        elif priority != "4" or own is not None:  # Todoist's p4 is "no priority"
            item.priority = int(priority)
    zone = _zone(cell("TIMEZONE"), zone)
    _dates(item, cell, zone, today)
    return item


def _dates(item: Item, cell: Callable[[str], str], zone: ZoneInfo, today: date) -> None:
    """The row's due date and repeat: tasklive's own DUE and RRULE, else Todoist's words."""
    words = cell("DATE")
    try:
        if cell("DUE"):
            item.due, _ = read_date(cell("DUE"), "en", zone, today)
            item.recurrence = cell("RRULE") or None
        elif words:
            item.due, item.recurrence = read_date(words, cell("DATE_LANG") or "en", zone, today)
    except ValueError as exc:
        item.notes.append(f"{exc}; imported without a date")
    if cell("REMIND_AT"):
        try:
            item.remind_at = datetime.fromisoformat(cell("REMIND_AT"))
        except ValueError:
            item.notes.append(f'reminder "{cell("REMIND_AT")}" is not a date-time; left out')


def _zone(name: str, fallback: ZoneInfo) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else fallback
    except (ValueError, KeyError, OSError):
        return fallback


def _derived_uid(project: str | None, position: int, content: str) -> str:
    """A stable id for a row of a format without ids: its project, place and text."""
    digest = hashlib.sha256(f"{project or ''}\n{position}\n{content}".encode()).hexdigest()
    return f"todoist-{digest[:40]}"


def _tagged(labels: list[str]) -> str:
    return "".join(f" @{label}" for label in labels)


def header() -> str:
    return _line(TEMPLATE + OURS)


def row(item: Item, zone: ZoneInfo) -> str:
    """One task as a Todoist template row, with tasklive's own columns after it."""
    labels = _tagged(item.labels)
    due = item.due.isoformat() if item.due is not None else ""
    cells = [
        "task",
        item.title + labels,
        item.description,
        str(item.priority or 4),
        "1",
        "",
        "",
        date_words(item.due, item.recurrence, zone),
        "en",
        zone.key,
        item.list_name or "",
        "1" if item.completed else "",
        due,
        item.recurrence or "",
        item.uid,
        item.remind_at.isoformat() if item.remind_at else "",
        str(item.priority or ""),
        ",".join(item.labels),
    ]
    return _line(cells)


def _line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([escaped(cell) for cell in cells])
    return out.getvalue()
