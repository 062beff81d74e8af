"""`BENCH_PROBE=1`: what a server did during each burst (GC pauses, SQL, per-event time)."""

import gc
import time
from typing import Any


class Probe:
    """Timestamps (perf_counter) of GC pauses, SQL statements and each published event."""

    def __init__(self) -> None:
        self.pauses: list[tuple[float, float, int]] = []
        self.queries: list[tuple[float, float, str]] = []
        self.events: list[tuple[float, float]] = []
        self._gc_started = 0.0
        self._query_started: dict[int, float] = {}
        self.engine: Any = None
        gc.callbacks.append(self._gc)

    def _gc(self, phase: str, info: dict[str, Any]) -> None:
        now = time.perf_counter()
        if phase == "start":
            self._gc_started = now
        else:
            self.pauses.append((self._gc_started, now - self._gc_started, info["generation"]))

    def watch_engine(self, engine: Any) -> None:
        """Record every SQL statement the app runs (its start and how long it took)."""
        from sqlalchemy import event

        if self.engine is engine:
            return
        self.engine = engine

        def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            self._query_started[id(cursor)] = time.perf_counter()

        def after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            started = self._query_started.pop(id(cursor), time.perf_counter())
            self.queries.append((started, time.perf_counter() - started, statement[:60]))

        event.listen(engine.sync_engine, "before_cursor_execute", before)
        event.listen(engine.sync_engine, "after_cursor_execute", after)

    def event(self, created: float) -> None:
        self.events.append((created, time.perf_counter()))

    def report(self) -> dict[str, Any]:
        """What happened since the last report, within the window of the published events."""
        events, self.events = self.events, []
        pauses, self.pauses = self.pauses, []
        queries, self.queries = self.queries, []
        if not events:
            return {}
        start, end = events[0][0], events[-1][1]
        during = [p for p in pauses if p[0] + p[1] >= start and p[0] <= end]
        statements = [q for q in queries if q[0] + q[1] >= start and q[0] <= end]
        spent = sorted((done - created) * 1000 for created, done in events)
        return {
            "window_ms": (end - start) * 1000,
            "event_ms_p50": spent[len(spent) // 2],
            "event_ms_max": spent[-1],
            "slowest_event": max(range(len(events)), key=lambda i: events[i][1] - events[i][0]),
            "gc": {gen: sum(1 for p in during if p[2] == gen) for gen in (0, 1, 2)},
            "gc_ms_total": sum(p[1] for p in during) * 1000,
            "gc_ms_max": max((p[1] for p in during), default=0) * 1000,
            "event_ms": [round((done - created) * 1000, 2) for created, done in events],
            "event_at_ms": [round((created - start) * 1000, 1) for created, _ in events],
            "gc_at_ms": [(round((p[0] - start) * 1000, 1), round(p[1] * 1000, 2)) for p in during],
            "queries": [
                (round((q[0] - start) * 1000, 1), round(q[1] * 1000, 2), q[2]) for q in statements
            ],
        }
