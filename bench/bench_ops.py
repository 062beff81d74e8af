"""Per-line and per-request costs of the operations layer: redaction, JSON lines, metrics.

.venv/bin/python bench/bench_ops.py
"""

import logging
import timeit
from collections.abc import Callable

from tasklive.logs import JsonFormatter, RedactionFilter, redact
from tasklive.metrics import Metrics

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl"
PLAIN = '127.0.0.1:52166 - "GET /api/tasks?status=pending&limit=5&q=milk HTTP/1.1" 200'
SECRET = f'127.0.0.1:52166 - "GET /ws/u1/chat?token={TOKEN}&last_seq=4 HTTP/1.1" 101'
ROUNDS = 20_000


def per_call(work: Callable[[], object], rounds: int = ROUNDS) -> float:
    """Microseconds per call, best of three runs."""
    return min(timeit.repeat(work, number=rounds, repeat=3)) / rounds * 1e6


def access_record() -> logging.LogRecord:
    return logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/ws/u1/chat?token={TOKEN}", "1.1", 101), None,
    )  # fmt: skip


def main() -> None:
    metrics, redactor, formatter = Metrics(), RedactionFilter(), JsonFormatter()
    figures = {
        "redact, a line without credentials": per_call(lambda: redact(PLAIN)),
        "redact, an access line with ?token=": per_call(lambda: redact(SECRET)),
        "filter + JSON format, one access record": per_call(
            lambda: formatter.format(r) if redactor.filter(r := access_record()) else None
        ),
        "metrics.http_request (count + histogram)": per_call(
            lambda: metrics.http_request("GET", "/api/tasks", 200, 0.003)
        ),
        "metrics.event_published (agent_message_delta)": per_call(
            lambda: metrics.event_published({"event_type": "agent_message_delta", "run_id": "r"})
        ),
    }
    for name, micros in figures.items():
        print(f"{name:48} {micros:7.1f} us")


if __name__ == "__main__":
    main()
