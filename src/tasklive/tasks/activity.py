"""The user's changes from every source, newest first, and undoing the latest one."""

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from tasklive.db import new_id, utcnow
from tasklive.errors import ConflictError
from tasklive.tasks.events import TaskChange, change_of
from tasklive.tasks.journal import apply, damage, restored, snapshot
from tasklive.tasks.models import Task, ToolCallRecord
from tasklive.tasks.service import TaskService

logger = logging.getLogger(__name__)
UNDO_TOOL = "undo_last_change"
SCAN = 200


class NothingToUndoError(ConflictError):
    code = "nothing_to_undo"


def _changed_something(record: ToolCallRecord) -> bool:
    return bool(record.ok and record.changes)


async def recent(
    tasks: TaskService, limit: int = 50, before: str | None = None
) -> list[ToolCallRecord]:
    """The user's changes, newest first; `before` is the id of the last one already seen."""
    query = select(ToolCallRecord).where(ToolCallRecord.user_id == tasks.user_id)
    if before:
        cursor = await tasks.session.scalar(
            select(ToolCallRecord.created_at).where(
                ToolCallRecord.id == before, ToolCallRecord.user_id == tasks.user_id
            )
        )
        if cursor is not None:
            query = query.where(ToolCallRecord.created_at < cursor)
    found: list[ToolCallRecord] = []
    offset = 0
    while len(found) < limit:
        page = list(
            await tasks.session.scalars(
                query.order_by(ToolCallRecord.created_at.desc()).limit(SCAN).offset(offset)
            )
        )
        found += [record for record in page if _changed_something(record)]
        if len(page) < SCAN:
            break
        offset += SCAN
    return found[:limit]


async def _latest_undoable(tasks: TaskService) -> list[ToolCallRecord]:
    """The latest change not undone yet (a list, so a group of records could be undone as one)."""
    query = (
        select(ToolCallRecord)
        .where(
            ToolCallRecord.user_id == tasks.user_id,
            ToolCallRecord.undone_at.is_(None),
            ToolCallRecord.ok.is_(True),
            ToolCallRecord.tool != UNDO_TOOL,
        )
        .order_by(ToolCallRecord.created_at.desc())
        .with_for_update()
    )
    passed: str | None = None
    for record in await tasks.session.scalars(query.limit(SCAN)):
        if not record.changes:
            continue
        problem = damage(record.changes) if isinstance(record.changes, list) else "not a list"
        if problem is None:  # one record per call: the offline model undoes a call at a time
            return [record]
        logger.warning("Undo passed over activity record %s: %s", record.id, problem)
        passed = passed or problem
    if passed:
        raise NothingToUndoError(
            f"There is nothing to undo: the latest change's record is damaged ({passed})."
        )
    raise NothingToUndoError("There is nothing to undo.")


@dataclass(frozen=True)
class Undone:
    """What an undo reverted: the newest record's id, a summary, and the tasks it restored."""

    id: str
    summary: str
    tasks: list[Task]


async def _revert(tasks: TaskService, record: ToolCallRecord) -> list[Task]:
    changes: list[TaskChange] = []
    entries: list[dict[str, Any]] = []
    touched: list[Task] = []
    for entry in reversed(record.changes):
        before, after = entry.get("before"), entry.get("after")
        task_id = (after or before or {}).get("id")
        current = await tasks.session.scalar(tasks.mine().where(Task.id == task_id))
        if before is None:
            if current is not None:
                entries.append({"before": snapshot(current), "after": None})
                changes.append(change_of("deleted", current))
                await tasks.session.delete(current)
            continue
        if current is None:
            current = Task(**await _recreated(tasks, before))
            tasks.session.add(current)
            await tasks.session.flush()
            entries.append({"before": None, "after": snapshot(current)})
            changes.append(change_of("created", current))
        else:
            was = snapshot(current)
            apply(current, before)
            current.updated_at = utcnow()
            entries.append({"before": was, "after": snapshot(current)})
            changes.append(change_of("updated", current))
        touched.append(current)
    record.undone_at = utcnow()
    tasks.stage(changes, entries)
    await tasks.session.flush()
    return touched


async def _recreated(tasks: TaskService, before: dict[str, Any]) -> dict[str, Any]:
    """A deleted task's row to add back: its id and number, unless something took them since
    (a restored backup's journal may name them)."""
    row = {**restored(before), "user_id": tasks.user_id}
    if await tasks.session.get(Task, row["id"]) is not None:
        row["id"] = new_id()
    if await tasks.session.scalar(tasks.mine().where(Task.number == row["number"])) is not None:
        row["number"] = await tasks.next_number()
    return row


async def undo_latest(tasks: TaskService) -> Undone:
    """Revert the user's latest change not yet undone, as one change: a deleted task comes
    back with its number, an edit goes back to what it was, a bulk change reverts whole."""
    records = await _latest_undoable(tasks)
    touched: dict[str, Task] = {}
    for record in records:
        for task in await _revert(tasks, record):
            touched[task.id] = task
    restored_tasks = [t for t in touched.values() if t in tasks.session]
    summary = "; ".join(record.outcome for record in reversed(records))
    if not tasks.deferred:
        tasks.record(UNDO_TOOL, {}, ok=True, outcome=f"Undid: {summary}")
        await tasks.finish()
    return Undone(records[0].id, summary, sorted(restored_tasks, key=lambda t: t.number))


def activity_item(record: ToolCallRecord) -> dict[str, Any]:
    """An activity entry as clients see it."""
    created: datetime = record.created_at
    return {
        "id": record.id,
        "source": record.source,
        "tool": record.tool,
        "summary": record.outcome,
        "created_at": created,
        "undone": record.undone_at is not None,
    }
