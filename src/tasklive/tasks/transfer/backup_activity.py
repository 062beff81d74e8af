"""A backup's activity records, restored so that undoing one of them works in this account."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tasklive.db import new_id, utcnow
from tasklive.tasks.journal import damage
from tasklive.tasks.models import ToolCallRecord
from tasklive.tasks.transfer.backup_checks import past_moment, unrestored
from tasklive.text import mended, mended_json


def _renamed(changes: list[Any], user_id: str, moved: dict[str, dict[str, Any]]) -> list[Any]:
    """A record's journal with its task rows as this account holds them (owner, id, number)."""
    renamed = []
    for entry in changes:
        if not isinstance(entry, dict):
            renamed.append(entry)  # damage() names it
            continue
        entry = dict(entry)
        for side in ("before", "after"):
            row = entry.get(side)
            if isinstance(row, dict):
                entry[side] = {**row, "user_id": user_id, **moved.get(str(row.get("id")), {})}
        renamed.append(entry)
    return renamed


async def restore_activity(
    session: AsyncSession,
    user_id: str,
    records: list[tuple[str, dict[str, Any]]],
    *,
    dry_run: bool,
    moved: dict[str, dict[str, Any]] | None = None,
    problem: Callable[[str, str], None],
) -> int:
    """Add the activity records this account does not have yet (by id), in the caller's
    transaction; returns how many. Their journals name the tasks as restored here, so undoing
    one of them works; a record whose journal could not be undone is a `problem`, left out."""
    values = []
    for ref, record in records:
        changes = record.get("changes")
        journal = _renamed(changes, user_id, moved or {}) if isinstance(changes, list) else []
        if reason := damage(journal):
            problem(ref, f"its change cannot be undone ({reason}); left out")
        else:
            values.append({**record, "changes": journal})
    taken, fresh = await unrestored(session, ToolCallRecord, user_id, values)
    if dry_run or not fresh:
        return len(fresh)
    rows: list[dict[str, Any]] = []
    for record in fresh:
        args = record.get("args")
        rows.append(
            {
                "id": record["id"] if record["id"] and record["id"] not in taken else new_id(),
                "user_id": user_id,
                "source": mended(record.get("source") or "import")[:16],
                "tool": mended(record.get("tool") or "")[:64],
                "args": mended_json(args) if isinstance(args, dict) else {},
                "ok": record.get("ok") is True,
                "outcome": mended(record.get("outcome") or ""),
                "run_id": record["run_id"],
                "changes": mended_json(record["changes"]),
                "undone_at": past_moment(record.get("undone_at")),
                "created_at": past_moment(record.get("created_at")) or utcnow(),
            }
        )
    await session.execute(insert(ToolCallRecord.__table__), rows)
    return len(fresh)
