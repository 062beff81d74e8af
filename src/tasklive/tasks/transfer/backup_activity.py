"""A backup's activity records, restored so that undoing one of them works in this account."""

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.db import new_id, utcnow
from tasklive.tasks.models import ToolCallRecord


def _moment(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
    return moment if moment is None or moment.tzinfo else None


def _renamed(changes: list[Any], user_id: str, moved: dict[str, dict[str, Any]]) -> list[Any]:
    """A record's journal with its task rows as this account holds them (owner, id, number)."""
    renamed = []
    for entry in changes:
        if not isinstance(entry, dict):
            continue
        entry = dict(entry)
        for side in ("before", "after"):
            row = entry.get(side)
            if isinstance(row, dict):
                entry[side] = {**row, "user_id": user_id, **moved.get(str(row.get("id")), {})}
        renamed.append(entry)
    return renamed


async def restore_activity(
    sessionmaker: async_sessionmaker[AsyncSession],
    user_id: str,
    records: list[dict[str, Any]],
    *,
    dry_run: bool,
    moved: dict[str, dict[str, Any]] | None = None,
) -> int:
    """Add the activity records this account does not have yet (by id); returns how many.
    Their journals name the tasks as restored here, so undoing one of them works."""
    ids = [str(r.get("id") or "") for r in records]
    async with sessionmaker() as session:
        taken = dict(
            (
                await session.execute(
                    select(ToolCallRecord.id, ToolCallRecord.user_id).where(
                        ToolCallRecord.id.in_(ids)
                    )
                )
            ).all()
        )
        fresh = [r for r in records if taken.get(str(r.get("id") or "")) != user_id]
        if dry_run or not fresh:
            return len(fresh)
        rows: list[dict[str, Any]] = []
        for record in fresh:
            rid = str(record.get("id") or "")
            changes = record.get("changes")
            rows.append(
                {
                    "id": rid if rid and rid not in taken else new_id(),
                    "user_id": user_id,
                    "source": str(record.get("source") or "import")[:16],
                    "tool": str(record.get("tool") or "")[:64],
                    "args": record.get("args") if isinstance(record.get("args"), dict) else {},
                    "ok": bool(record.get("ok")),
                    "outcome": str(record.get("outcome") or ""),
                    "run_id": record.get("run_id"),
                    "changes": _renamed(changes, user_id, moved or {})
                    if isinstance(changes, list)
                    else [],
                    "undone_at": _moment(record.get("undone_at")),
                    "created_at": _moment(record.get("created_at")) or utcnow(),
                }
            )
        await session.execute(insert(ToolCallRecord.__table__), rows)
        await session.commit()
        return len(fresh)
