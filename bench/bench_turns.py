"""Concurrent chat turns against a real `tasklive serve` process (offline model); prints figures.

    .venv/bin/python bench/bench_turns.py --concurrency 100 500 --backend sqlite postgres

N conversations run at once, each sending `--turns` messages one after another. The server is
pinned to core 0 and this load generator to core 1 (taskset), when taskset is available.
Prints turns/s, latency p50/p95/max, errors, p95 against concurrency / throughput, and the
server's CPU time per turn (from /proc, steadier than wall time on a busy machine).
`--profile PREFIX` records the server with py-spy while the load runs (raw collapsed stacks).
"""

import argparse
import asyncio
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.service import free_port  # noqa: E402

POSTGRES = os.environ.get("TASKLIVE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
USERS = 20


def pinned(command: list[str], core: int) -> list[str]:
    return ["taskset", "-c", str(core), *command] if shutil.which("taskset") else command


async def scratch_postgres() -> str:
    name = f"tasklive_bench_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(POSTGRES)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    return POSTGRES.rsplit("/", 1)[0] + f"/{name}"


async def drop_postgres(url: str) -> None:
    admin = await asyncpg.connect(POSTGRES)
    await admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    await admin.close()


def start_server(database_url: str, data_dir: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TASKLIVE_DATA_DIR": data_dir,
        "TASKLIVE_DATABASE_URL": database_url,
        "TASKLIVE_SECRET_KEY": "bench-" + "x" * 40,
        "TASKLIVE_DAILY_MESSAGE_LIMIT": "1000000",
        "TASKLIVE_CHAT_WAIT_SECONDS": "300",
        "TASKLIVE_TURN_DEADLINE_SECONDS": "300",
    }
    command = [sys.executable, "-m", "tasklive", "serve", "--port", str(port)]
    log = open(Path(data_dir) / "server.log", "wb")  # noqa: SIM115
    return subprocess.Popen(pinned(command, 0), env=env, stdout=log, stderr=subprocess.STDOUT)


async def wait_healthy(url: str) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(600):
            try:
                if (await http.get(f"{url}/healthz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("server did not start")


async def conversation(
    http: httpx.AsyncClient,
    user: tuple[str, dict[str, str]],
    turns: int,
    out: list,
    errors: Counter,
) -> None:
    user_id, headers = user
    conversation_id = None
    for turn in range(turns):
        body = {"message": f"add a task to check item {turn}", "conversation_id": conversation_id}
        began = time.perf_counter()
        try:
            response = await http.post(f"/api/{user_id}/chat", json=body, headers=headers)
        except httpx.HTTPError as exc:
            errors[type(exc).__name__] += 1
            continue
        if response.status_code != 200:
            errors[str(response.status_code)] += 1
            continue
        out.append(time.perf_counter() - began)
        conversation_id = response.json()["conversation_id"]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_profile(pid: int, path: str) -> subprocess.Popen[bytes] | None:
    """py-spy sampling the server while the load runs, when py-spy is installed."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        print("py-spy is not installed; pip install py-spy", file=sys.stderr)
        return None
    command = [
        spy,
        "record",
        "--pid",
        str(pid),
        "-r",
        "250",
        "-f",
        "raw",
        "--nonblocking",
        "-o",
        path,
    ]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def measure(
    url: str, concurrency: int, turns: int, pid: int, profile: str | None = None
) -> dict[str, float]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=300, limits=limits) as http:
        users = []
        for index in range(min(USERS, concurrency)):
            body = {
                "email": f"u{index}-{uuid.uuid4().hex[:6]}@example.com",
                "password": "bench pw!",
            }
            signed = (await http.post("/api/auth/sign-up", json=body)).json()
            users.append(
                (signed["user"]["id"], {"Authorization": f"Bearer {signed['access_token']}"})
            )
            http.cookies.clear()
        latencies: list[float] = []
        errors: Counter[str] = Counter()
        spy = start_profile(pid, profile) if profile else None
        cpu_before = cpu_seconds(pid)
        began = time.perf_counter()
        await asyncio.gather(
            *(
                conversation(http, users[i % len(users)], turns, latencies, errors)
                for i in range(concurrency)
            )
        )
        elapsed = time.perf_counter() - began
        cpu = cpu_seconds(pid) - cpu_before
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(60)
    done = len(latencies)
    ordered = sorted(latencies) or [0.0]
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
        "fair_p95": concurrency / throughput if throughput else float("inf"),
    }


async def run_backend(
    backend: str, concurrencies: list[int], turns: int, profile: str | None
) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        database = (
            await scratch_postgres()
            if backend == "postgres"
            else f"sqlite+aiosqlite:///{data_dir}/bench.db"
        )
        port = free_port()
        server = start_server(database, data_dir, port)
        try:
            await wait_healthy(f"http://127.0.0.1:{port}")
            for concurrency in concurrencies:
                path = f"{profile}-{backend}-{concurrency}.txt" if profile else None
                figures = await measure(
                    f"http://127.0.0.1:{port}", concurrency, turns, server.pid, path
                )
                print(
                    f"{backend:8} c={concurrency:<4} turns={figures['turns']:<5} "
                    f"{figures['turns_per_s']:7.1f} turns/s  p50 {figures['p50'] * 1000:7.0f} ms  "
                    f"p95 {figures['p95'] * 1000:7.0f} ms  max {figures['max'] * 1000:7.0f} ms  "
                    f"errors {figures['errors']} {figures['error_kinds'] or ''}  "
                    f"p95/(c/throughput) {figures['p95'] / figures['fair_p95']:.2f}  "
                    f"server CPU {figures['cpu_ms_per_turn']:.1f} ms/turn",
                    flush=True,
                )
        finally:
            server.terminate()
            server.wait(30)
            kept = Path(tempfile.gettempdir()) / f"bench-turns-{backend}-server.log"
            shutil.copy(Path(data_dir) / "server.log", kept)
            print(f"server log: {kept}")
            if backend == "postgres":
                await drop_postgres(database)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[100, 500])
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--backend", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--profile", help="py-spy raw output prefix, e.g. /tmp/turns")
    args = parser.parse_args()
    if shutil.which("taskset"):
        os.sched_setaffinity(0, {1})
    for backend in args.backend:
        asyncio.run(run_backend(backend, args.concurrency, args.turns, args.profile))


if __name__ == "__main__":
    main()
