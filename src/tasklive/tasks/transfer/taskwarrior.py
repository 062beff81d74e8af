"""Taskwarrior's `task export` JSON, read incrementally, and written as `task import` takes it."""

import json
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import IO, Any
from zoneinfo import ZoneInfo

import ijson

from tasklive.tasks.transfer.items import Item, Problem, Skipped, UnreadableFileError
from tasklive.tasks.transfer.kinds import not_a

PRIORITY = {"H": 1, "M": 2, "L": 3}
PRIORITY_OF = {1: "H", 2: "M", 3: "L", 4: "L"}
STAMP = "%Y%m%dT%H%M%SZ"
OUR_UID = "tasklive_uid"  # a task's own uid when it is not a UUID, so it imports back onto itself
# An annotation kept in the description: "2026-12-07 02:14:08Z the text".
_NOTE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ) (.*)$")
WORDS = {
    "daily": "FREQ=DAILY", "day": "FREQ=DAILY",
    "weekdays": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "weekly": "FREQ=WEEKLY", "week": "FREQ=WEEKLY", "sennight": "FREQ=WEEKLY",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2", "fortnight": "FREQ=WEEKLY;INTERVAL=2",
    "monthly": "FREQ=MONTHLY", "month": "FREQ=MONTHLY",
    "bimonthly": "FREQ=MONTHLY;INTERVAL=2",
    "quarterly": "FREQ=MONTHLY;INTERVAL=3",
    "semiannual": "FREQ=MONTHLY;INTERVAL=6",
    "yearly": "FREQ=YEARLY", "annual": "FREQ=YEARLY", "year": "FREQ=YEARLY",
    "biannual": "FREQ=YEARLY;INTERVAL=2", "biyearly": "FREQ=YEARLY;INTERVAL=2",
}  # fmt: skip
WORD_OF = {
    "FREQ=DAILY": "daily", "FREQ=WEEKLY": "weekly", "FREQ=WEEKLY;INTERVAL=2": "biweekly",
    "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR": "weekdays", "FREQ=MONTHLY": "monthly",
    "FREQ=MONTHLY;INTERVAL=2": "bimonthly", "FREQ=MONTHLY;INTERVAL=3": "quarterly",
    "FREQ=MONTHLY;INTERVAL=6": "semiannual", "FREQ=YEARLY": "yearly",
    "FREQ=YEARLY;INTERVAL=2": "biannual",
}  # fmt: skip
_UNITS = {
    "d": "DAILY", "day": "DAILY", "days": "DAILY",
    "w": "WEEKLY", "wk": "WEEKLY", "wks": "WEEKLY", "week": "WEEKLY", "weeks": "WEEKLY",
    "mo": "MONTHLY", "mos": "MONTHLY", "mth": "MONTHLY", "month": "MONTHLY", "months": "MONTHLY",
    "q": "QUARTERLY", "qtr": "QUARTERLY", "quarter": "QUARTERLY", "quarters": "QUARTERLY",
    "y": "YEARLY", "yr": "YEARLY", "yrs": "YEARLY", "year": "YEARLY", "years": "YEARLY",
}  # fmt: skip
_FREQ_UNIT = {"DAILY": "d", "WEEKLY": "w", "MONTHLY": "mo", "YEARLY": "y"}


def rule_of(words: str) -> str | None:
    """The RRULE of Taskwarrior's recurrence words ("weekly", "2w", "3 days"); None if unknown."""
    words = words.strip().lower()
    if words in WORDS:
        return WORDS[words]
    match = re.fullmatch(r"(\d+)\s*([a-z]+)", words)
    if match is None or match.group(2) not in _UNITS:
        return None
    count, freq = int(match.group(1)), _UNITS[match.group(2)]
    if freq == "QUARTERLY":
        count, freq = count * 3, "MONTHLY"
    if count < 1:
        return None
    return f"FREQ={freq}" + (f";INTERVAL={count}" if count > 1 else "")


def words_of(rule: str) -> str:
    """Taskwarrior's words for an RRULE; rules it cannot say repeat at their frequency."""
    if rule in WORD_OF:
        return WORD_OF[rule]
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    unit = _FREQ_UNIT.get(parts.get("FREQ", ""), "w")
    return f"{int(parts.get('INTERVAL', '1'))}{unit}"


def _stamp(value: Any, ref: str, name: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return datetime.strptime(str(value), STAMP).replace(tzinfo=UTC)
    except ValueError:
        raise ValueError(f"{name} {value!r} is not a date like 20261207T170000Z") from None


def _due(moment: datetime | None, zone: ZoneInfo) -> date | datetime | None:
    """A due instant; local midnight (how Taskwarrior stores a plain date) is the whole day."""
    if moment is None:
        return None
    local = moment.astimezone(zone)
    return local.date() if local.time() == time() else moment


def read(stream: IO[bytes], zone: ZoneInfo) -> Iterator[Item | Problem | Skipped]:
    """Each task of a `task export` (a JSON array, or one object per line)."""
    first = b""
    while not first.strip():
        first = stream.read(1)
        if not first:
            raise UnreadableFileError("The file is empty; expected the output of `task export`.")
    stream.seek(0)
    if first not in (b"[", b"{"):
        raise not_a("taskwarrior", "item 1 is not JSON; expected the output of `task export`")
    prefix, many = ("item", False) if first == b"[" else ("", True)
    number = 0
    try:
        for number, value in enumerate(
            ijson.items(stream, prefix, multiple_values=many, use_float=True), 1
        ):
            ref = f"item {number}"
            if number == 1 and not _task_like(value):
                raise not_a("taskwarrior", "item 1 is not a task with a uuid and a description")
            if not isinstance(value, dict):
                yield Problem(ref, "not a task object")
                continue
            try:
                yield from _item(value, ref, zone)
            except ValueError as exc:
                yield Problem(ref, str(exc))
    except ijson.JSONError:
        raise UnreadableFileError(
            f"item {number + 1} is not valid JSON; the file may be cut short or damaged."
        ) from None
    except UnicodeDecodeError:
        raise UnreadableFileError(f"item {number + 1} is not UTF-8 text.") from None


def _task_like(value: Any) -> bool:
    return isinstance(value, dict) and bool({"uuid", "description"} & set(value))


def _item(task: dict[str, Any], ref: str, zone: ZoneInfo) -> Iterator[Item | Skipped]:
    status = str(task.get("status", "pending"))
    if status == "deleted" or task.get("parent"):
        yield Skipped(ref)  # a recurring task's generated instance comes from its parent
        return
    uid = str(task.get(OUR_UID) or task.get("uuid") or "")
    if not uid:
        raise ValueError("it has no uuid")
    recur = str(task.get("recur") or "")
    rule = rule_of(recur) if recur else None
    item = Item(
        ref=ref,
        uid=uid,
        title=str(task.get("description") or ""),
        completed=status == "completed",
        completed_at=_stamp(task.get("end"), ref, "end"),
        due=_due(_stamp(task.get("due"), ref, "due"), zone),
        remind_at=_stamp(task.get("scheduled"), ref, "scheduled"),
        priority=PRIORITY.get(str(task.get("priority") or "")),
        labels=[str(tag) for tag in task.get("tags") or []],
        list_name=str(task["project"]) if task.get("project") else None,
        recurrence=rule,
        created_at=_stamp(task.get("entry"), ref, "entry"),
        updated_at=_stamp(task.get("modified"), ref, "modified"),
    )
    if recur and rule is None:
        item.notes.append(f'recurrence "{recur}" is not understood; imported as a one-off')
    lines = []
    for note in task.get("annotations") or []:
        when = (
            _stamp(note.get("entry"), ref, "annotation entry") if isinstance(note, dict) else None
        )
        text = str(note.get("description", "")) if isinstance(note, dict) else str(note)
        lines.append(f"{when:%Y-%m-%d %H:%M:%S}Z {text}" if when else text)
    item.description = "\n".join(lines)
    yield item


def _uuid(uid: str) -> str:
    try:
        return str(uuid.UUID(uid))
    except ValueError:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"tasklive:{uid}"))


def _instant(due: date | datetime, zone: ZoneInfo) -> datetime:
    if isinstance(due, datetime):
        return due
    return datetime.combine(due, time(), zone)


def _annotations(item: Item) -> list[dict[str, str]]:
    notes: list[dict[str, str]] = []
    for line in item.description.splitlines():
        match = _NOTE.match(line)
        if match:
            when = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%SZ")
            notes.append({"entry": f"{when:{STAMP}}", "description": match.group(2)})
        elif notes:
            notes[-1]["description"] += "\n" + line
        elif line.strip():
            entry = item.created_at or datetime.now(UTC)
            notes.append({"entry": f"{entry.astimezone(UTC):{STAMP}}", "description": line})
    return notes


def line(item: Item, zone: ZoneInfo) -> str:
    """One task as a `task import` object."""
    out: dict[str, Any] = {"uuid": _uuid(item.uid), "description": item.title}
    if out["uuid"] != item.uid:  # Taskwarrior keeps an attribute it does not know
        out[OUR_UID] = item.uid
    recurring = bool(item.recurrence and item.due is not None and not item.completed)
    out["status"] = "completed" if item.completed else "recurring" if recurring else "pending"

    def stamp(moment: datetime | None) -> str | None:
        return f"{moment.astimezone(UTC):{STAMP}}" if moment else None

    fields = {
        "entry": stamp(item.created_at),
        "modified": stamp(item.updated_at),
        "end": stamp(item.completed_at) if item.completed else None,
        "due": stamp(_instant(item.due, zone)) if item.due is not None else None,
        "scheduled": stamp(item.remind_at),
        "priority": PRIORITY_OF.get(item.priority or 0),
        "project": item.list_name,
        "recur": words_of(item.recurrence) if recurring and item.recurrence else None,
    }
    out.update({key: value for key, value in fields.items() if value})
    if item.labels:
        out["tags"] = list(item.labels)
    notes = _annotations(item)
    if notes:
        out["annotations"] = notes
    return json.dumps(out, ensure_ascii=False)
