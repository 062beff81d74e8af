"""The server process bench_turns.py measures, and readings of its CPU, GC and answer times."""

import asyncio
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg
import httpx
from prometheus_client.parser import text_string_to_metric_families

POSTGRES = os.environ.get("TASKLIVE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


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


def start_server(
    database_url: str, data_dir: str, port: int, extra_env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        **(extra_env or {}),
        "TASKLIVE_DATA_DIR": data_dir,
        "TASKLIVE_DATABASE_URL": database_url,
        "TASKLIVE_SECRET_KEY": "bench-" + "x" * 40,
        "TASKLIVE_DAILY_MESSAGE_LIMIT": "1000000",
        "TASKLIVE_CHAT_WAIT_SECONDS": "300",
        "TASKLIVE_TURN_DEADLINE_SECONDS": "300",
        "TASKLIVE_AUTH_ATTEMPTS_PER_ADDRESS": "100000",
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


async def server_seconds_per_turn(http: httpx.AsyncClient) -> tuple[float, float]:
    """The server's own time answering chat POSTs so far (sum, count), from /metrics."""
    page = (await http.get("/metrics")).text
    found = {"_sum": 0.0, "_count": 0.0}
    for family in text_string_to_metric_families(page):
        for sample in family.samples:
            if sample.name.startswith("tasklive_http_request_duration_seconds") and (
                sample.labels.get("route") == "/api/{user_id}/chat"
            ):
                for suffix in found:
                    if sample.name.endswith(suffix):
                        found[suffix] += sample.value
    return found["_sum"], found["_count"]


async def gc_seconds(http: httpx.AsyncClient) -> float:
    """Seconds the server has stood still for its garbage collector, from /metrics."""
    page = (await http.get("/metrics")).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(page)
        for sample in family.samples
        if sample.name == "tasklive_gc_pause_seconds_sum"
    )


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds() -> float:
    """CPU time used so far by the machine's PostgreSQL processes (its backends are ours)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if "(postgres)" in text[:64]:
            fields = text.rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


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
