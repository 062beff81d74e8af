"""Prints what a CalDAV client's first sync of 5,000 tasks and an incremental sync after 10 changes
cost: time, response bytes, SQL statements and task rows loaded, per request (in-process app)."""

import argparse
import asyncio
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import httpx
from _setup import signed_in
from sqlalchemy import event

from tasklive.services import services_of
from tasklive.tasks.models import Task
from tasklive.tasks.service import TaskService

DAV = "{DAV:}"
GETETAG = "<d:prop><d:getetag/></d:prop>"
SYNC = (
    '<d:sync-collection xmlns:d="DAV:"><d:sync-token>{token}</d:sync-token>'
    "<d:sync-level>1</d:sync-level>" + GETETAG + "</d:sync-collection>"
)
MULTIGET = (
    '<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
    "<d:prop><d:getetag/><c:calendar-data/></d:prop>{hrefs}</c:calendar-multiget>"
)
CTAG = (
    '<d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"><d:prop>'
    "<cs:getctag/><d:sync-token/></d:prop></d:propfind>"
)


@dataclass
class Meter:
    """SQL statements and ORM task loads while a request runs."""

    statements: int = 0
    loads: int = 0
    rows: dict[str, list[tuple[float, int, int, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def attach(self, engine) -> None:  # type: ignore[no-untyped-def]
        event.listen(engine.sync_engine, "before_cursor_execute", self._statement)
        event.listen(Task, "load", self._load)

    def _statement(self, *_: object) -> None:
        self.statements += 1

    def _load(self, *_: object) -> None:
        self.loads += 1

    async def measure(self, kind: str, request) -> httpx.Response:  # type: ignore[no-untyped-def]
        statements, loads = self.statements, self.loads
        started = time.perf_counter()
        response = await request
        elapsed = time.perf_counter() - started
        self.rows[kind].append(
            (elapsed, len(response.content), self.statements - statements, self.loads - loads)
        )
        return response

    def report(self, title: str) -> None:
        print(title)
        print(
            f"  {'request':<28}{'n':>5}{'ms each':>10}{'KiB each':>10}{'SQL each':>10}{'tasks':>8}"
        )
        total = [0.0, 0, 0, 0]
        for kind, rows in self.rows.items():
            n = len(rows)
            ms = sum(r[0] for r in rows) / n * 1000
            kib = sum(r[1] for r in rows) / n / 1024
            sql = sum(r[2] for r in rows) / n
            loads = sum(r[3] for r in rows)
            print(f"  {kind:<28}{n:>5}{ms:>10.1f}{kib:>10.1f}{sql:>10.1f}{loads:>8}")
            for i, value in enumerate((sum(r[0] for r in rows), sum(r[1] for r in rows))):
                total[i] += value
            total[2] += sum(r[2] for r in rows)
            total[3] += loads
        print(
            f"  total: {total[0]:.2f} s, {total[1] / 1024:.0f} KiB, {total[2]} SQL statements, "
            f"{total[3]} task rows loaded"
        )
        self.rows.clear()


def _hrefs_etags(body: bytes) -> tuple[list[str], str]:
    root = ET.fromstring(body)
    hrefs = [r.findtext(f"{DAV}href") or "" for r in root.iter(f"{DAV}response")]
    return hrefs, root.findtext(f"{DAV}sync-token") or ""


async def _seed(app, user_id: str, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    """`count` tasks through the task service, 500 per unit of work (an import's way)."""
    ids: list[str] = []
    for first in range(0, count, 500):
        async with services_of(app).sessionmaker() as session:
            tasks = TaskService(session, user_id, deferred=True)
            for i in range(first, min(count, first + 500)):
                due = date(2026, 12, 1 + i % 28) if i % 3 == 0 else None
                task = await tasks.create(
                    f"task {i}", labels=["bench"], priority=1 + i % 4, due=due
                )
                ids.append(task.id)
            tasks.record("bench_seed", {}, ok=True, outcome="Seeded")
            await tasks.finish()
    return ids


async def _sync(http, meter: Meter, collection: str, token: str, page: int) -> str:  # type: ignore[no-untyped-def]
    await meter.measure(
        "PROPFIND ctag (depth 0)",
        http.request("PROPFIND", collection, content=CTAG, headers={"Depth": "0"}),
    )
    listed = await meter.measure(
        "REPORT sync-collection",
        http.request("REPORT", collection, content=SYNC.format(token=token)),
    )
    hrefs, new_token = _hrefs_etags(listed.content)
    hrefs = [h for h in hrefs if h.endswith(".ics")]
    for start in range(0, len(hrefs), page):
        chunk = "".join(f"<d:href>{h}</d:href>" for h in hrefs[start : start + page])
        await meter.measure(
            f"REPORT multiget ({page}/page)",
            http.request("REPORT", collection, content=MULTIGET.format(hrefs=chunk)),
        )
    return new_token


async def main(database_url: str | None, count: int, page: int) -> None:
    async with signed_in(database_url) as bench:
        http, headers = bench.http, bench.headers
        started = time.perf_counter()
        ids = await _seed(bench.app, bench.user_id, count)
        seconds = time.perf_counter() - started
        print(f"seeded {count} tasks through the task service in {seconds:.1f} s")
        token = (
            await http.post("/api/auth/tokens", json={"name": "bench"}, headers=headers)
        ).json()
        me = (await http.get("/api/auth/me", headers=headers)).json()
        dav = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=bench.app),
            base_url="http://bench",
            auth=httpx.BasicAuth(me["email"], token["token"]),
        )
        collection = f"/caldav/{bench.user_id}/tasks/"
        meter = Meter()
        meter.attach(services_of(bench.app).engine)

        sync_token = await _sync(dav, meter, collection, "", page)
        meter.report(f"first sync of {count} tasks (sync-collection, then multiget in pages):")

        for task_id in ids[:8]:
            await http.patch(f"/api/tasks/{task_id}", json={"title": "changed"}, headers=headers)
        await http.delete(f"/api/tasks/{ids[8]}", headers=headers)
        await http.post("/api/tasks", json={"title": "new one"}, headers=headers)
        await _sync(dav, meter, collection, sync_token, page)
        meter.report("incremental sync after 10 changes (8 edits, 1 delete, 1 new):")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--page", type=int, default=100)
    args = parser.parse_args()
    asyncio.run(main(args.database_url, args.count, args.page))
