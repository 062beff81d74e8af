"""What a backup's records must be before they are stored: ids that fit, numbers in range, no
conversation, message or activity record twice. Checked as the file is read, dry run or not."""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tasklive.tasks.transfer.items import Problem
from tasklive.text import mended

ID_MAX = 32
NUMBER_MAX = 1_000_000_000  # a backup's task numbers; leaves room for the numbers after them

Entry = tuple[str, dict[str, Any]]  # (where in the file, the record)


def fitted_id(value: Any) -> str | None:
    """A backup's id as the database holds one: itself when it fits, else a digest of it (the same
    each time, so importing the file again finds what it made); None when it has none."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = mended(value)
    if len(text) <= ID_MAX:
        return text or None
    return hashlib.sha256(text.encode()).hexdigest()[:ID_MAX]


def past_moment(value: Any) -> datetime | None:
    """A backup's moment as stored: None when missing, unreadable or out of range, and never
    later than now (a record from the future would stay the latest for ever)."""
    try:
        moment = datetime.fromisoformat(str(value)) if value else None
        if moment is None or moment.tzinfo is None:
            return None
        return min(moment.astimezone(UTC), datetime.now(UTC))
    except (ValueError, OverflowError):
        return None


async def unrestored(
    session: AsyncSession, model: Any, user_id: str, values: list[dict[str, Any]]
) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """The owner of each record's id where the database has it, and the records this account
    does not have yet (`model` has `id` and `user_id`)."""
    ids = [value["id"] for value in values if value["id"]]
    query = select(model.id, model.user_id).where(model.id.in_(ids))
    taken: dict[str, str] = dict((await session.execute(query)).all())
    return taken, [v for v in values if not v["id"] or taken.get(v["id"]) != user_id]


def task_number(value: Any) -> int | None:
    """A task number the account can keep, or None."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= NUMBER_MAX:
        return value
    return None


@dataclass
class Checks:
    """The ids met so far in one file."""

    conversations: dict[str, str] = field(default_factory=dict)
    messages: set[str] = field(default_factory=set)
    activity: dict[str, str] = field(default_factory=dict)

    def conversation(self, ref: str, value: dict[str, Any]) -> tuple[Entry | None, list[Problem]]:
        """The conversation with ids that fit and its messages not seen before, and what was not."""
        cid = fitted_id(value.get("id"))
        if repeated := _repeat(self.conversations, cid, ref, "conversation"):
            return None, repeated
        messages = value.get("messages") or []
        problems = []
        if not isinstance(messages, list):
            problems.append(Problem(ref, "its messages are not a list; left out"))
            messages = []
        kept = []
        for number, message in enumerate(messages, 1):
            mid = fitted_id(message.get("id")) if isinstance(message, dict) else None
            if not isinstance(message, dict) or (mid is not None and mid in self.messages):
                what = "is not an object" if mid is None else "repeats an earlier message's id"
                problems.append(Problem(ref, f"message {number} {what}; left out"))
                continue
            if mid is not None:
                self.messages.add(mid)
            kept.append({**message, "id": mid, "run_id": fitted_id(message.get("run_id"))})
        return (ref, {**value, "id": cid, "messages": kept}), problems

    def record(self, ref: str, value: dict[str, Any]) -> tuple[Entry | None, list[Problem]]:
        """The activity record with ids that fit (its journal's too), unless it came before."""
        rid = fitted_id(value.get("id"))
        if repeated := _repeat(self.activity, rid, ref, "activity record"):
            return None, repeated
        changes = value.get("changes")
        if isinstance(changes, list):
            changes = [_fitted_entry(entry) for entry in changes]
        record = {**value, "id": rid, "run_id": fitted_id(value.get("run_id")), "changes": changes}
        return (ref, record), []


def _repeat(seen: dict[str, str], key: str | None, ref: str, what: str) -> list[Problem]:
    """A problem when `key` came earlier in the file; else it is remembered as `ref`'s."""
    if key is None:
        return []
    if key in seen:
        return [Problem(ref, f"the same {what} as {seen[key]}; left out")]
    seen[key] = ref
    return []


def _fitted_entry(entry: Any) -> Any:
    if not isinstance(entry, dict):
        return entry
    return {
        **entry,
        **{
            side: {**row, "id": fitted_id(row.get("id"))}
            for side in ("before", "after")
            if isinstance(row := entry.get(side), dict)
        },
    }
