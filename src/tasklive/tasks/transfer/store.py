"""Writing imported items as tasks, a batch per short transaction, and the import's report."""

from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.db import insert_row, new_id, utcnow
from tasklive.tasks.changelog import log_changes
from tasklive.tasks.events import Kind, TaskNotifier, change_of
from tasklive.tasks.fields import FIELDS, place_fields
from tasklive.tasks.models import Task, ToolCallRecord, our_uid
from tasklive.tasks.numbers import reserve_numbers, take_numbers
from tasklive.tasks.transfer.items import Item, Problem, Skipped, checked, compared

ERRORS_SHOWN = 200
EVENT_PAGE = 200  # tasks read back at a time to announce an import's changes
_tasks = Task.__table__
_COLUMNS = {attr.key: attr.columns[0].key for attr in Task.__mapper__.column_attrs}
# What place_fields sets, starting from an empty task.
_PLACED = ("due_date", "due_at", "due_offset", "due_sort", "remind_time", "remind_offset",
           "reminder_sent", "reminder_claim", "reminder_claimed_until", "priority", "labels",
           "list_name", "recurrence")  # fmt: skip
_BLANK = dict.fromkeys(_PLACED) | {"labels": []}


@dataclass
class Report:
    """What an import did (or, in a dry run, would do)."""

    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)
    more_errors: int = 0

    def error(self, ref: str, reason: str) -> None:
        if len(self.errors) < ERRORS_SHOWN:
            self.errors.append({"item": ref, "reason": reason})
        else:
            self.more_errors += 1

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "errors": self.errors,
        }
        if self.more_errors:
            body["errors_not_shown"] = self.more_errors
        return body


def _logged(task_id: str, list_name: str | None, href: str | None) -> dict[str, Any]:
    return {"id": task_id, "list_name": list_name, "href": href}


def _fields(item: Item) -> dict[str, Any]:
    values = compared(item)
    return {name: values[name] for name in FIELDS}


class TaskImport:
    """One import into one account, in the caller's one transaction (`finish` commits it, so a
    file that breaks half-way changes nothing); `dry_run` reads and compares but writes nothing."""

    def __init__(
        self,
        session: AsyncSession,
        user_id: str,
        zone: ZoneInfo,
        *,
        dry_run: bool,
        notify: TaskNotifier | None = None,
    ) -> None:
        self.session = session
        self.user_id = user_id
        self.zone = zone
        self.dry_run = dry_run
        self.notify = notify
        self.report = Report()
        self._seen: dict[str, str] = {}
        self._ids: set[str] = set()  # the ids this import gave out
        # A backup's tasks whose id or number was taken here: old id -> the ones they got.
        self.moved: dict[str, dict[str, Any]] = {}
        self._changed: list[tuple[Kind, str]] = []  # in file order, announced after the commit

    async def reserve(self, number: int) -> None:
        """Numbers up to `number` were given out already (a backup's account had them)."""
        if self.dry_run:
            return
        await reserve_numbers(self.session, self.user_id, number)

    async def add(self, batch: list[Item | Problem | Skipped]) -> None:
        """Count, and unless a dry run store, one batch of what the file holds."""
        items: list[Item] = []
        for entry in batch:
            if isinstance(entry, Skipped):
                self.report.skipped += 1
            elif isinstance(entry, Problem):
                self.report.error(entry.ref, entry.reason)
            else:
                item = self._usable(entry)
                if item is not None:
                    items.append(item)
        if items:
            await self._store(self.session, items)

    def _usable(self, item: Item) -> Item | None:
        try:
            item = checked(item)
        except ValueError as exc:
            self.report.error(item.ref, str(exc))
            return None
        first = self._seen.get(item.uid)
        if first is not None:
            self.report.error(item.ref, f"the same task as {first}; left out")
            return None
        self._seen[item.uid] = item.ref
        for name in ("due", "remind_at"):  # a calendar's floating time is the user's local time
            value = getattr(item, name)
            if isinstance(value, datetime) and value.tzinfo is None:
                setattr(item, name, value.replace(tzinfo=self.zone))
        for note in item.notes:
            self.report.error(item.ref, note)
        return item

    async def _store(self, session: AsyncSession, items: list[Item]) -> None:
        uids = [item.uid for item in items]
        existing = {
            task.uid: task
            for task in await session.scalars(
                select(Task).where(Task.user_id == self.user_id, Task.uid.in_(uids))
            )
        }
        new = [item for item in items if item.uid not in existing]
        entries: list[dict[str, Any]] = []
        for item in items:
            task = existing.get(item.uid)
            if task is None:
                continue
            if not item.carries_list:
                item.list_name = task.list_name
            if compared(task) == compared(item):
                self.report.skipped += 1
                continue
            self.report.updated += 1
            if not self.dry_run:
                before = _logged(task.id, task.list_name, task.href)
                self._update(task, item)
                entries.append(
                    {"before": before, "after": _logged(task.id, task.list_name, task.href)}
                )
        self.report.created += len(new)
        if self.dry_run:
            return
        rows = [row for _, row in await self._placed(session, new)]
        if rows:
            await session.execute(insert(_tasks), rows)
        entries += [{"before": None, "after": _logged(r["id"], r["list"], None)} for r in rows]
        await log_changes(session, self.user_id, entries)  # CalDAV clients see the import

    def _update(self, task: Task, item: Item) -> None:
        task.title, task.description = item.title, item.description
        if item.ical:
            task.ical = item.ical
        if task.completed != item.completed:
            task.completed = item.completed
            task.completed_at = item.completed_at if item.completed else None
        place_fields(task, _fields(item), self.zone)
        task.reminder_sent = _reminded(task.remind_time, task.completed)
        task.updated_at = utcnow()
        self._changed.append(("updated", task.id))

    async def _placed(
        self, session: AsyncSession, new: list[Item]
    ) -> list[tuple[Item, dict[str, Any]]]:
        """New tasks with their numbers and ids: a backup's own when free, else the next ones."""
        wanted = [item.number for item in new if item.number]
        taken: set[int] = set()
        if wanted:  # earlier batches are written, so the database knows their numbers
            taken = set(
                await session.scalars(
                    select(Task.number).where(Task.user_id == self.user_id, Task.number.in_(wanted))
                )
            )
        ids = [item.id for item in new if item.id]
        used_ids = (
            set(await session.scalars(select(Task.id).where(Task.id.in_(ids)))) if ids else set()
        )
        keep = [n for n in wanted if n not in taken]
        if keep:
            await reserve_numbers(session, self.user_id, max(keep))
        fresh = [item for item in new if not item.number or item.number in taken]
        next_numbers: list[int] = []
        if fresh:
            last = await take_numbers(session, self.user_id, len(fresh))
            assert last is not None
            next_numbers = list(range(last - len(fresh) + 1, last + 1))
        placed = []
        numbers = iter(next_numbers)
        kept: set[int] = set()
        for item in new:
            number = item.number if item.number and item.number not in taken else None
            if number is None or number in kept:
                number = next(numbers, None) or await self._one_more(session)
            kept.add(number)
            task_id = item.id or ""
            if not task_id or task_id in used_ids or task_id in self._ids:
                task_id = new_id()
            self._ids.add(task_id)
            if item.id and (task_id, number) != (item.id, item.number):
                self.moved[item.id] = {"id": task_id, "number": number}
            placed.append((item, self._task(item, number, task_id)))
        return placed

    async def _one_more(self, session: AsyncSession) -> int:
        number = await take_numbers(session, self.user_id)
        assert number is not None
        return number

    def _task(self, item: Item, number: int, task_id: str) -> dict[str, Any]:
        """The new task's row (a plain record: ORM objects cost more than the INSERT)."""
        now = utcnow()
        task: Any = SimpleNamespace(**_BLANK)
        place_fields(task, _fields(item), self.zone)
        row = {column: getattr(task, key) for key, column in _COLUMNS.items() if key in _PLACED}
        row.update(
            id=task_id,
            user_id=self.user_id,
            uid=item.uid or our_uid(task_id),
            ical=item.ical,
            number=number,
            title=item.title,
            description=item.description,
            completed=item.completed,
            completed_at=item.completed_at if item.completed else None,
            created_at=item.created_at or now,
            updated_at=item.updated_at or now,
        )
        row["reminder_sent"] = _reminded(row["remind_at"], item.completed)
        self._changed.append(("created", task_id))
        return row

    async def finish(self, source: str) -> Report:
        """Record the import on the activity log, commit, and announce its changes (not in a
        dry run)."""
        report = self.report
        if self.dry_run:
            await self.session.rollback()
            return report
        if report.created or report.updated:
            outcome = (
                f"Imported from {source}: {report.created} created, {report.updated} updated, "
                f"{report.skipped} unchanged"
            )
            await insert_row(
                self.session,
                ToolCallRecord(
                    id=new_id(),
                    user_id=self.user_id,
                    source="import",
                    tool="import_tasks",
                    args={"format": source},
                    ok=True,
                    outcome=outcome,
                    changes=[],
                    run_id=None,
                    created_at=utcnow(),
                ),
            )
        await self.session.commit()
        return report

    async def announce(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        """After the commit: a `task_*` event for every task the import created or changed, read
        back a page at a time (other tabs show them as they would any other change)."""
        if self.notify is None:
            return
        for start in range(0, len(self._changed), EVENT_PAGE):
            page = self._changed[start : start + EVENT_PAGE]
            async with sessionmaker() as session:
                query = select(Task).where(
                    Task.user_id == self.user_id, Task.id.in_([task_id for _, task_id in page])
                )
                tasks = {task.id: task for task in await session.scalars(query)}
            changes = [change_of(kind, tasks[i]) for kind, i in page if i in tasks]
            if changes:
                await self.notify(self.user_id, changes)


def _reminded(moment: datetime | None, completed: bool) -> bool:
    """An imported reminder in the past, or of a done task, is not sent now."""
    return moment is not None and (completed or moment <= utcnow())
