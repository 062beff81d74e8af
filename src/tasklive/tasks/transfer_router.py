"""`POST /api/import` and `GET /api/export`, the edge of tasks/transfer/: files in, data out."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from itertools import islice
from typing import IO, Any, Literal

from fastapi import APIRouter, BackgroundTasks, File, Query, UploadFile
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from tasklive.auth.zones import zone_named
from tasklive.chat.backup import conversation_pages, restore_conversations
from tasklive.deps import CurrentUser, ServicesDep
from tasklive.openapi import errors
from tasklive.tasks.transfer import exporter, formats, ics
from tasklive.tasks.transfer.backup_activity import restore_activity
from tasklive.tasks.transfer.store import TaskImport

router = APIRouter(tags=["import and export"])
BATCH = 500
ImportFormat = Literal["todoist", "taskwarrior", "ics", "json"]
ExportFormat = Literal["json", "ics", "csv", "taskwarrior"]
MEDIA = {
    "json": ("application/json", "json"),
    "ics": ("text/calendar", "ics"),
    "csv": ("text/csv", "csv"),
    "taskwarrior": ("application/json", "taskwarrior.json"),
}


class ImportProblem(BaseModel):
    item: str
    reason: str


class ImportReport(BaseModel):
    """What an import did, or in a dry run would do."""

    created: int
    updated: int
    skipped: int
    errors: list[ImportProblem]
    errors_not_shown: int = 0


async def _batches(records: Iterator[Any]) -> AsyncIterator[list[Any]]:
    """The parser's records a batch at a time, read on a worker thread (parsing is CPU work)."""
    while True:
        batch = await asyncio.to_thread(lambda: list(islice(records, BATCH)))
        if not batch:
            return
        yield batch


@router.post("/api/import", responses=errors(401, 422))
async def import_file(
    user: CurrentUser,
    services: ServicesDep,
    background: BackgroundTasks,
    format: ImportFormat = Query(description="What the file is."),
    dry_run: bool = Query(default=False, description="Report what would happen; change nothing."),
    file: UploadFile = File(description="The file to import."),
) -> ImportReport:
    """Import tasks; the same file again creates nothing new. Unreadable files are a 422."""
    zone = zone_named(user.timezone)
    today = datetime.now(zone).date()
    stream: IO[bytes] = file.file

    def records() -> Iterator[Any]:
        stream.seek(0)
        return formats.read(format, stream, file.filename, zone, today)

    async with services.sessionmaker() as session:  # one transaction: all of the file or none
        tasks = TaskImport(session, user.id, zone, dry_run=dry_run, notify=services.task_notifier)
        async for batch in _batches(records()):
            if dry_run:  # it writes nothing: hold no connection (SQLite's only one) while reading
                await session.rollback()
            if format != "json":
                await tasks.add(batch)
                continue
            for kind, value in batch:
                if kind == "last_number":
                    await tasks.reserve(value)
            await tasks.add([value for kind, value in batch if kind in ("task", "problem")])
            talks = [value for kind, value in batch if kind == "conversation"]
            if talks:
                await restore_conversations(session, user.id, talks, dry_run=dry_run)
            done = [value for kind, value in batch if kind == "activity"]
            if done:
                await restore_activity(
                    session,
                    user.id,
                    done,
                    dry_run=dry_run,
                    moved=tasks.moved,
                    problem=tasks.report.error,
                )
        report = await tasks.finish(format)
    # Other tabs hear of each change after the answer: 80,000 events take half a minute.
    background.add_task(tasks.announce, services.sessionmaker)
    return ImportReport.model_validate(report.body())


@router.get(
    "/api/export",
    responses={200: {"content": {m: {} for m, _ in MEDIA.values()}}, **errors(401)},
    response_class=StreamingResponse,
)
async def export_file(
    user: CurrentUser,
    services: ServicesDep,
    format: ExportFormat = Query(default="json", description="The file's format."),
) -> StreamingResponse:
    """All the user's tasks as a download (completed too); `json` is the whole account."""
    zone = zone_named(user.timezone)
    maker = services.sessionmaker
    pages = exporter.task_pages(maker, user.id)
    body: AsyncIterator[str]
    if format == "json":
        head = await exporter.account(maker, user)
        sections = {
            "tasks": pages,
            "conversations": conversation_pages(maker, user.id),
            "activity": exporter.activity_pages(maker, user.id),
        }
        body = exporter.json_document(head, sections)
    elif format == "csv":
        body = exporter.csv_document(pages, zone)
    elif format == "taskwarrior":
        body = exporter.taskwarrior_document(pages, zone)
    else:
        body = ics.document(exporter.task_rows(maker, user.id), zone)
    media, suffix = MEDIA[format]
    name = f"tasklive-{datetime.now(UTC):%Y-%m-%d}.{suffix}"
    return StreamingResponse(
        _encoded(body),
        media_type=f"{media}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def _encoded(body: AsyncIterator[str]) -> AsyncIterator[bytes]:
    async for text in body:
        yield text.encode()
