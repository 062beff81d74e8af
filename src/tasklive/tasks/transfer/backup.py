"""tasklive's own JSON export (a whole account, versioned), written and read incrementally.

The document is one object: `format` ("tasklive"), `version`, `exported_at`, `user`, `lists`,
`labels`, then the arrays `tasks`, `conversations` (each with its `messages`) and `activity`.
"""

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import IO, Any

import ijson
from ijson.common import ObjectBuilder

from tasklive.tasks.schemas import parse_due
from tasklive.tasks.transfer.backup_checks import NUMBER_MAX, Checks, fitted_id, task_number
from tasklive.tasks.transfer.items import Item, Problem, UnreadableFileError
from tasklive.tasks.transfer.kinds import not_a

FORMAT = "tasklive"
VERSION = 1
SECTIONS = ("tasks", "conversations", "activity")
NO_FORMAT = 'item 1 has no "format": "tasklive" at the top'


def task_json(item: Item) -> dict[str, Any]:
    """One task as the export holds it."""

    def iso(value: date | datetime | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "id": item.id,
        "uid": item.uid,
        "number": item.number,
        "title": item.title,
        "description": item.description,
        "completed": item.completed,
        "completed_at": iso(item.completed_at),
        "due": iso(item.due),
        "priority": item.priority,
        "labels": item.labels,
        "list": item.list_name,
        "recurrence": item.recurrence,
        "remind_at": iso(item.remind_at),
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at),
    }


def _moment(value: Any, name: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{name} {value!r} is not a date-time") from None
    if moment.tzinfo is None:
        raise ValueError(f"{name} {value!r} has no UTC offset")
    _in_range(moment, name)
    return moment


def _in_range(moment: datetime, name: str) -> None:
    try:
        moment.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"{name} {moment.isoformat()!r} is out of range") from None


def task_item(value: dict[str, Any], ref: str) -> Item:
    """A task of the export as an Item; a bad value is a ValueError."""
    due = value.get("due")
    try:
        parsed_due = parse_due(due) if due not in (None, "") else None
    except ValueError:
        raise ValueError(f"due {due!r} is not a date or date-time") from None
    if isinstance(parsed_due, datetime):
        if parsed_due.tzinfo is None:
            raise ValueError(f"due {due!r} has no UTC offset")
        _in_range(parsed_due, "due")
    number = value.get("number")
    labels = value.get("labels") or []
    if not isinstance(labels, list):
        raise ValueError("labels is not a list")
    notes = []
    if number is not None and task_number(number) is None:
        notes.append(f"number {number!r} is not 1 to {NUMBER_MAX:,}; it gets the next number")
    return Item(
        ref=ref,
        uid=str(value.get("uid") or value.get("id") or ""),
        id=fitted_id(value.get("id")),
        number=task_number(number),
        notes=notes,
        title=str(value.get("title") or ""),
        description=str(value.get("description") or ""),
        completed=bool(value.get("completed")),
        completed_at=_moment(value.get("completed_at"), "completed_at"),
        due=parsed_due,
        priority=value.get("priority") if isinstance(value.get("priority"), int) else None,
        labels=[str(label) for label in labels],
        list_name=str(value["list"]) if value.get("list") else None,
        recurrence=str(value["recurrence"]) if value.get("recurrence") else None,
        remind_at=_moment(value.get("remind_at"), "remind_at"),
        created_at=_moment(value.get("created_at"), "created_at"),
        updated_at=_moment(value.get("updated_at"), "updated_at"),
    )


Record = tuple[str, Any]


def read(stream: IO[bytes]) -> Iterator[Record]:
    """("task", Item), ("conversation", Entry), ("activity", Entry), ("problem", Problem) and
    the account's ("last_number", int), in file order."""
    events = ijson.parse(stream, use_float=True)
    counts = dict.fromkeys(SECTIONS, 0)
    checks = Checks()
    seen_format = False
    try:
        for prefix, event, value in events:
            if prefix == "format" and event == "string":
                seen_format = value == FORMAT
            elif prefix == "user.last_task_number" and event == "number":
                if task_number(value) is not None:
                    yield "last_number", value
                elif value != 0:
                    reason = f"last_task_number {value!r} is not 1 to {NUMBER_MAX:,}; left out"
                    yield "problem", Problem("user", reason)
            elif prefix == "version" and event == "number" and value != VERSION:
                raise UnreadableFileError(f"This is a version {value} export; expected {VERSION}.")
            section = prefix.removesuffix(".item")
            if event == "start_map" and section in SECTIONS and prefix.endswith(".item"):
                if not seen_format:
                    raise not_a("json", NO_FORMAT)
                counts[section] += 1
                ref = f"{section} item {counts[section]}"
                built = _build(events, prefix)
                if section == "tasks":
                    try:
                        yield "task", task_item(built, ref)
                    except ValueError as exc:
                        yield "problem", Problem(ref, str(exc))
                    continue
                if section == "conversations":
                    kind, (entry, problems) = "conversation", checks.conversation(ref, built)
                else:
                    kind, (entry, problems) = "activity", checks.record(ref, built)
                yield from (("problem", problem) for problem in problems)
                if entry is not None:
                    yield kind, entry
        if not seen_format:
            raise not_a("json", NO_FORMAT)
    except ijson.JSONError:
        where = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
        if not (where or seen_format):
            raise not_a("json", "item 1 is not valid JSON") from None
        raise UnreadableFileError(
            f"The file is not valid JSON after {where or 'its start'}; "
            "it may be cut short or damaged."
        ) from None
    except UnicodeDecodeError:
        raise UnreadableFileError("The file is not UTF-8 text.") from None


def _build(events: Iterator[tuple[str, str, Any]], prefix: str) -> dict[str, Any]:
    builder = ObjectBuilder()
    builder.event("start_map", None)
    depth = 1
    for _, event, value in events:
        if event in ("start_map", "start_array"):
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
        builder.event(event, value)
        if depth == 0:
            break
    document: dict[str, Any] = builder.value
    return document


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_default)


def _default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if hasattr(value, "__float__"):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON")
