"""Run several `tasklive serve` instances behind HAProxy on one PostgreSQL and Redis.

    python deploy/run.py --database-url postgresql://postgres@127.0.0.1:5432/tasklive \
        --broker-url redis://127.0.0.1:6379/0 [--port 8080] [--instance-ports 8001,8002,8003]

Once everything answers, one JSON line on stdout names the load balancer and each instance
(port, pid). SIGTERM or Ctrl-C stops HAProxy and drains every instance.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from string import Template

HERE = Path(__file__).resolve().parent
READY_SECONDS = 60.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="PostgreSQL URL shared by all.")
    parser.add_argument("--broker-url", required=True, help="redis://host:port/db[?prefix=name]")
    parser.add_argument("--host", default="127.0.0.1", help="Where the load balancer listens.")
    parser.add_argument("--port", type=int, default=8080, help="Load balancer port.")
    parser.add_argument("--instance-ports", default="8001,8002,8003", help="One port each.")
    parser.add_argument("--data-dir", type=Path, default=Path(".tasklive-deploy"))
    parser.add_argument("--log-format", choices=["text", "json"], default="json")
    parser.add_argument("--haproxy", default=shutil.which("haproxy") or "/usr/sbin/haproxy")
    return parser.parse_args(argv)


def haproxy_config(bind: str, ports: list[int]) -> str:
    """deploy/haproxy.cfg with the frontend address and one server line per instance."""
    servers = "\n".join(
        f"    server tasklive{n} 127.0.0.1:{port} check" for n, port in enumerate(ports, 1)
    )
    template = Template((HERE / "haproxy.cfg").read_text())
    return template.substitute(bind=bind, servers=servers)


def shared_secret(data_dir: Path) -> str:
    """One signing key for every instance, kept in the data dir, so any of them takes any token."""
    from tasklive.config import Settings

    return os.environ.get("TASKLIVE_SECRET_KEY") or Settings(data_dir=data_dir).resolved_secret_key


def wait_ready(url: str, processes: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:  # a starting process gives no event to await
        if any(process.poll() is not None for process in processes):
            raise SystemExit(f"a process exited before {url} was ready")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} was not ready in {READY_SECONDS:.0f} s")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    ports = [int(port) for port in args.instance_ports.split(",")]
    args.data_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "TASKLIVE_DATABASE_URL": args.database_url,
        "TASKLIVE_BROKER_URL": args.broker_url,
        "TASKLIVE_SECRET_KEY": shared_secret(args.data_dir),
        "TASKLIVE_LOG_FORMAT": args.log_format,
        "PYTHONUNBUFFERED": "1",
    }
    tasklive = [sys.executable, "-m", "tasklive"]
    # One schema upgrade before any instance starts, so they never race to migrate.
    subprocess.run([*tasklive, "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL)

    running: list[subprocess.Popen[bytes]] = []
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        for n, port in enumerate(ports, 1):
            log = open(args.data_dir / f"tasklive{n}.log", "ab")  # noqa: SIM115
            instance_env = {**env, "TASKLIVE_DATA_DIR": str(args.data_dir / f"tasklive{n}")}
            command = [*tasklive, "serve", "--host", "127.0.0.1", "--port", str(port)]
            running.append(
                subprocess.Popen(command, env=instance_env, stdout=log, stderr=subprocess.STDOUT)
            )
        for port in ports:
            wait_ready(f"http://127.0.0.1:{port}/readyz", running)
        config = args.data_dir / "haproxy.cfg"
        config.write_text(haproxy_config(f"{args.host}:{args.port}", ports))
        balancer = subprocess.Popen([args.haproxy, "-f", str(config), "-db"])
        running.append(balancer)
        wait_ready(f"http://{args.host}:{args.port}/readyz", [balancer])
        ready = {
            "load_balancer": f"http://{args.host}:{args.port}",
            "haproxy_pid": balancer.pid,
            "instances": [
                {"name": f"tasklive{n}", "port": port, "pid": process.pid}
                for n, (port, process) in enumerate(zip(ports, running, strict=False), 1)
            ],
        }
        print(json.dumps(ready), flush=True)
        while not stopping and balancer.poll() is None:
            time.sleep(0.5)  # a signal ends the sleep and sets `stopping`
    finally:
        for process in reversed(running):
            if process.poll() is None:
                process.terminate()
        for process in running:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
