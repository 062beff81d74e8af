"""Prints what importing 10,000 Todoist rows and exporting 10,000 tasks cost a `tasklive serve`
process: wall time and the server's peak resident memory above its idle size (VmHWM, reset before
each step), with the upload streamed from disk and each export streamed to disk.
`--rows 80000 --pad 600` makes a 50 MB file."""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HEADER = "TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE\n"
DATES = ["", "", "every monday", "2026-12-20", "every 2 weeks", "Dec 24 at 17:00", ""]


def todoist_file(path: Path, rows: int, padding: int = 0) -> None:
    """`rows` task rows with sections, notes and dates; `padding` characters of description each."""
    pad = "x" * padding
    with path.open("w") as out:
        out.write(HEADER)
        for n in range(rows):
            if n % 500 == 0:
                out.write(f"section,Section {n // 500},,,,,,,,\n")
            date = DATES[n % len(DATES)]
            content = f"Task {n} @bulk @l{n % 7}"
            out.write(f"task,{content},Details of task {n}{pad},{n % 4 + 1},1,,,{date},en,UTC\n")
            if n % 10 == 0:
                out.write(f"note,A comment on task {n},,,,,,,,\n")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def memory_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM starts again from the current RSS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp dir")
    parser.add_argument(
        "--pad",
        type=int,
        default=0,
        help="description characters per row (600: ~50 MB at 80k rows)",
    )
    args = parser.parse_args()
    tasklive = shutil.which("tasklive") or str(Path(sys.executable).parent / "tasklive")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = work / "Bench.csv"
        todoist_file(source, args.rows, args.pad)
        port = free_port()
        env = {
            **os.environ,
            "TASKLIVE_DATA_DIR": str(work / "data"),
            "TASKLIVE_LOG_LEVEL": "warning",
        }
        if args.database_url:
            env["TASKLIVE_DATABASE_URL"] = args.database_url
        server = subprocess.Popen(
            [tasklive, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL
        )
        url = f"http://127.0.0.1:{port}"
        try:
            with httpx.Client(base_url=url, timeout=900) as http:
                for _ in range(300):
                    try:
                        if http.get("/readyz").status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    time.sleep(0.1)
                email = f"bench-{os.getpid()}@example.com"
                signed = http.post(
                    "/api/auth/sign-up", json={"email": email, "password": "bench password"}
                ).json()
                http.cookies.clear()
                headers = {"Authorization": f"Bearer {signed['access_token']}"}
                idle = memory_kib(server.pid, "VmRSS")
                size = source.stat().st_size
                print(
                    f"server idle RSS {idle / 1024:.1f} MiB; "
                    f"file {size / 2**20:.1f} MiB, {args.rows:,} rows"
                )
                for dry_run in (True, False):
                    reset_peak(server.pid)
                    started = time.perf_counter()
                    with source.open("rb") as handle:
                        answer = http.post(
                            "/api/import",
                            params={"format": "todoist", "dry_run": str(dry_run).lower()},
                            files={"file": (source.name, handle)},
                            headers=headers,
                        )
                    took = time.perf_counter() - started
                    report = answer.json()
                    peak = memory_kib(server.pid, "VmHWM") - idle
                    kind = "import (dry run)" if dry_run else "import"
                    print(
                        f"{kind:<22}{took:>8.2f} s  {args.rows / took:>8,.0f} rows/s  "
                        f"peak +{peak / 1024:.1f} MiB  created {report['created']:,} "
                        f"errors {len(report['errors'])}"
                    )
                for format in ("json", "csv", "ics", "taskwarrior"):
                    reset_peak(server.pid)
                    started = time.perf_counter()
                    written = 0
                    with (
                        (work / f"out.{format}").open("wb") as out,
                        http.stream(
                            "GET", "/api/export", params={"format": format}, headers=headers
                        ) as response,
                    ):
                        for chunk in response.iter_bytes():
                            written += out.write(chunk)
                    took = time.perf_counter() - started
                    peak = memory_kib(server.pid, "VmHWM") - idle
                    print(
                        f"export {format:<15}{took:>8.2f} s  {args.rows / took:>8,.0f} tasks/s  "
                        f"peak +{peak / 1024:.1f} MiB  {written / 2**20:.1f} MiB"
                    )
        finally:
            server.terminate()
            server.wait(30)


if __name__ == "__main__":
    main()
