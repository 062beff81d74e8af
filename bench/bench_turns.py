"""Concurrent chat turns against a real `tasklive serve` process (offline model); prints figures.

    .venv/bin/python bench/bench_turns.py --concurrency 100 500 --backend sqlite postgres

N conversations run at once, each sending `--turns` messages one after another. The server is
pinned to core 0 and this load generator to core 1 (taskset), when taskset is available.
Prints turns/s, latency p50/p95/max, errors, p95 against concurrency / throughput, and the
server's CPU time per turn (from /proc, steadier than wall time on a busy machine), the garbage
collector's share of it, and how busy the load generator's own core was (near 100%: the figures
are the load generator's limit, not the server's).
`--profile PREFIX` records the server with py-spy while the load runs (raw collapsed stacks).
`--compare ENV... --rounds N` runs servers with other settings too, interleaved, and prints the
ratios; e.g. `--compare TASKLIVE_GC_TUNING=false --rounds 3`. The last server's log is kept in
the temp directory as bench-turns-<backend>-server.log.
"""

import argparse
import asyncio
import os
import shutil
import signal
import ssl
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.service import free_port  # noqa: E402
from turns_server import (  # noqa: E402
    cpu_seconds,
    drop_postgres,
    gc_seconds,
    postgres_cpu_seconds,
    scratch_postgres,
    server_seconds_per_turn,
    start_profile,
    start_server,
    wait_healthy,
)

USERS = 20
TLS = ssl.create_default_context()  # unused on http://, but each client would load its own


async def conversation(
    url: str,
    user: tuple[str, dict[str, str]],
    turns: int,
    out: list,
    errors: Counter,
) -> None:
    # A client (and connection pool) of its own: httpx's pool does work in proportion to its
    # connections on every request, and one pool of 500 made this load generator the limit.
    user_id, headers = user
    conversation_id = None
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=url, timeout=300, limits=limits, verify=TLS) as http:
        for turn in range(turns):
            body = {
                "message": f"add a task to check item {turn}",
                "conversation_id": conversation_id,
            }
            began = time.perf_counter()
            try:
                response = await http.post(f"/api/{user_id}/chat", json=body, headers=headers)
            except httpx.HTTPError as exc:
                errors[type(exc).__name__] += 1
                continue
            if response.status_code != 200:
                errors[str(response.status_code)] += 1
                continue
            out.append((turn, time.perf_counter() - began))
            conversation_id = response.json()["conversation_id"]


User = tuple[str, dict[str, str]]


async def sign_up_users(http: httpx.AsyncClient, users: list[User], count: int) -> None:
    """Accounts for the load, made once per database (sign-ups are throttled)."""
    for index in range(len(users), count):
        body = {"email": f"u{index}-{uuid.uuid4().hex[:6]}@example.com", "password": "bench pw!"}
        signed = (await http.post("/api/auth/sign-up", json=body)).json()
        users.append((signed["user"]["id"], {"Authorization": f"Bearer {signed['access_token']}"}))
        http.cookies.clear()


async def measure(
    url: str,
    concurrency: int,
    turns: int,
    pid: int,
    users: list[User],
    users_wanted: int,
    profile: str | None = None,
) -> dict[str, float]:
    async with httpx.AsyncClient(base_url=url, timeout=300) as http:
        await sign_up_users(http, users, min(users_wanted, concurrency))
        latencies: list[tuple[int, float]] = []
        errors: Counter[str] = Counter()
        spy = start_profile(pid, profile) if profile else None
        gc_before = await gc_seconds(http)
        answering_before = await server_seconds_per_turn(http)
        cpu_before = cpu_seconds(pid)
        database_before = postgres_cpu_seconds()
        client_before = time.process_time()
        began = time.perf_counter()
        await asyncio.gather(
            *(
                conversation(url, users[i % len(users)], turns, latencies, errors)
                for i in range(concurrency)
            )
        )
        elapsed = time.perf_counter() - began
        cpu = cpu_seconds(pid) - cpu_before
        database = postgres_cpu_seconds() - database_before
        client = time.process_time() - client_before
        collecting = await gc_seconds(http) - gc_before
        answering = [
            a - b
            for a, b in zip(await server_seconds_per_turn(http), answering_before, strict=True)
        ]
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(60)
    done = len(latencies)
    ordered = sorted(latency for _, latency in latencies) or [0.0]
    throughput = done / elapsed if elapsed else 0.0
    return {
        "turns": done,
        "turns_per_s": throughput,
        "p50": statistics.median(ordered),
        "p95": ordered[int(0.95 * (len(ordered) - 1))],
        "max": ordered[-1],
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "cpu_ms_per_turn": 1000 * cpu / done if done else float("inf"),
        "database_ms_per_turn": 1000 * database / done if done else float("inf"),
        "gc_share": collecting / cpu if cpu else 0.0,
        "client_busy": client / elapsed if elapsed else 0.0,
        "fair_p95": concurrency / throughput if throughput else float("inf"),
        "mean": statistics.mean(ordered),
        "server_mean": answering[0] / answering[1] if answering[1] else 0.0,
        "p95_by_turn": p95_by_turn(latencies, turns),
    }


def p95_by_turn(latencies: list[tuple[int, float]], turns: int) -> list[float]:
    """Each turn number's p95 across the conversations: is the tail one turn's, or every turn's?"""
    by_turn = [sorted(t for index, t in latencies if index == turn) for turn in range(turns)]
    return [ordered[int(0.95 * (len(ordered) - 1))] if ordered else 0.0 for ordered in by_turn]


def report(backend: str, concurrency: int, variant: str, figures: dict[str, Any]) -> None:
    database = ""
    if backend == "postgres":
        database = f"PostgreSQL CPU {figures['database_ms_per_turn']:.1f} ms/turn, "
    print(
        f"{backend:8} c={concurrency:<4} {variant + ' ' if variant else ''}"
        f"turns={figures['turns']:<5} "
        f"{figures['turns_per_s']:7.1f} turns/s  p50 {figures['p50'] * 1000:7.0f} ms  "
        f"p95 {figures['p95'] * 1000:7.0f} ms  max {figures['max'] * 1000:7.0f} ms  "
        f"errors {figures['errors']} {figures['error_kinds'] or ''}  "
        f"p95/(c/throughput) {figures['p95'] / figures['fair_p95']:.2f}  "
        f"server CPU {figures['cpu_ms_per_turn']:.1f} ms/turn "
        f"(garbage collector {100 * figures['gc_share']:.0f}%), "
        f"{database}load generator busy {100 * figures['client_busy']:.0f}%, "
        f"mean answer {figures['mean'] * 1000:.0f} ms of which in the server "
        f"{figures['server_mean'] * 1000:.0f} ms; p95 by turn number "
        + " ".join(f"{p95 * 1000:.0f}" for p95 in figures["p95_by_turn"])
        + " ms",
        flush=True,
    )


@dataclass
class Load:
    """One backend's database, the load to run against it, and what was measured so far."""

    backend: str
    database: str
    data_dir: str
    concurrencies: list[int]
    turns: int
    profile: str | None
    users_wanted: int = USERS
    users: list[User] = field(default_factory=list)
    results: dict[tuple[int, str], list[dict[str, Any]]] = field(default_factory=dict)


async def run_backend(
    backend: str,
    concurrencies: list[int],
    turns: int,
    profile: str | None,
    variants: list[str],
    rounds: int,
    users_wanted: int = USERS,
) -> None:
    """Each variant (extra server environment; "" is as shipped) gets its own server, in turn."""
    with tempfile.TemporaryDirectory() as data_dir:
        database = (
            await scratch_postgres()
            if backend == "postgres"
            else f"sqlite+aiosqlite:///{data_dir}/bench.db"
        )
        load = Load(backend, database, data_dir, concurrencies, turns, profile, users_wanted)
        try:
            for _ in range(rounds):
                for variant in variants:
                    await serve_and_measure(load, variant)
        finally:
            if backend == "postgres":
                await drop_postgres(database)
        print_ratios(load, variants)


def print_ratios(load: Load, variants: list[str]) -> None:
    """Each variant against the first, round by round, as medians of the ratios."""
    for concurrency in load.concurrencies:
        base = load.results[(concurrency, variants[0])]
        for variant in variants[1:]:
            pairs = list(zip(load.results[(concurrency, variant)], base, strict=True))
            speed = statistics.median(r["turns_per_s"] / b["turns_per_s"] for r, b in pairs)
            cpu = statistics.median(r["cpu_ms_per_turn"] / b["cpu_ms_per_turn"] for r, b in pairs)
            print(
                f"{load.backend:8} c={concurrency:<4} {variant!r} against the shipped settings: "
                f"turns/s x{speed:.2f}, CPU/turn x{cpu:.2f} (median of {len(pairs)} rounds)"
            )


async def serve_and_measure(load: Load, variant: str) -> None:
    extra = dict(item.split("=", 1) for item in variant.split())
    port = free_port()
    server = start_server(load.database, load.data_dir, port, extra)
    try:
        await wait_healthy(f"http://127.0.0.1:{port}")
        for concurrency in load.concurrencies:
            path = f"{load.profile}-{load.backend}-{concurrency}.txt" if load.profile else None
            url = f"http://127.0.0.1:{port}"
            figures = await measure(
                url, concurrency, load.turns, server.pid, load.users, load.users_wanted, path
            )
            load.results.setdefault((concurrency, variant), []).append(figures)
            report(load.backend, concurrency, variant, figures)
    finally:
        server.terminate()
        server.wait(30)
        kept = Path(tempfile.gettempdir()) / f"bench-turns-{load.backend}-server.log"
        shutil.copy(Path(load.data_dir) / "server.log", kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[100, 500])
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--backend", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--profile", help="py-spy raw output prefix, e.g. /tmp/turns")
    parser.add_argument(
        "--compare",
        nargs="+",
        default=[],
        metavar="ENV",
        help='server settings to compare with the shipped ones, e.g. "TASKLIVE_GC_TUNING=false"',
    )
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds of each")
    parser.add_argument(
        "--users", type=int, default=USERS, help="accounts the conversations are spread over"
    )
    args = parser.parse_args()
    if shutil.which("taskset"):
        os.sched_setaffinity(0, {1})
    for backend in args.backend:
        variants = ["", *args.compare]
        asyncio.run(
            run_backend(backend, args.concurrency, args.turns, args.profile, variants, args.rounds)
        )


if __name__ == "__main__":
    main()
