"""Live-event fan-out side by side: tasklive's hub, the naive loop, raw websockets broadcast().

Each server runs in its own process pinned to core 0, the Node `ws` clients in other processes on
core 1 (`ws` is installed with npm into ~/.cache/tasklive-bench on first use). Runs are interleaved
and repeated; the medians and ratios are printed. Then a stalled-tab run and idle memory per socket.

    .venv/bin/python bench/bench_fanout.py [--sockets 1000] [--events 20,200] [--rounds 2]
    .venv/bin/python bench/bench_fanout.py --redis-instances 3 --sockets 999 --events 200

`cpu us/msg` is the server process's own CPU time per delivered message: on a loaded machine it
is steadier than msgs/s and p99, which depend on how much of a core each process gets.
"""

import argparse
import asyncio
import json
import os
import select
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

HERE = Path(__file__).resolve().parent
NODE_MODULES = Path.home() / ".cache" / "tasklive-bench" / "node_modules"
MODES = ("tasklive", "naive", "raw")
STALL_PAD = 4096  # bytes per stalled-run event: enough to outgrow the kernel's socket buffers
REDIS_URL = os.environ.get("TASKLIVE_TEST_REDIS_URL", "redis://127.0.0.1:6379")
MESSAGE = "Searching your tasks..."


def bench_event(number: int) -> dict[str, Any]:
    """A typical progress event; `sent_at` lets clients measure latency."""
    return {
        "event_type": "tool_progress",
        "message": MESSAGE,
        "run_id": "run-0123456789abcdef",
        "conversation_id": "conversation-0123456789abcdef",
        "tool": "list_tasks",
        "tool_call_id": f"call-{number}",
        "sent_at": time.time(),
    }


# --- servers (each runs in its own process: `bench_fanout.py --serve MODE`) ---------------------


def listening_socket() -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(4096)
    print(f"PORT {sock.getsockname()[1]}", flush=True)
    return sock


def serve_tasklive() -> None:
    import uvicorn

    from tasklive.app import create_app
    from tasklive.config import Settings
    from tasklive.realtime.events import make_event
    from tasklive.server import Server, uvicorn_options
    from tasklive.services import services_of

    data_dir = Path(os.environ.get("BENCH_DATA_DIR") or tempfile.mkdtemp(prefix="bench-fanout-"))
    settings = Settings(
        _env_file=None,
        data_dir=data_dir,
        secret_key="b" * 40,
        max_connections_per_user=100_000,
        broker_url=os.environ.get("BENCH_BROKER_URL", "memory://"),
    )
    app = create_app(settings)

    async def publish(user_id: str, count: int, pad: int = 0, gap: float = 0) -> dict[str, float]:
        hub = services_of(app).hub
        started = time.perf_counter()
        for number in range(count):
            event = {**bench_event(number), "result": "x" * pad} if pad else bench_event(number)
            await hub.publish(user_id, make_event(event.pop("event_type"), **event))
            if gap:
                await asyncio.sleep(gap)
        return {"seconds": time.perf_counter() - started}

    app.add_api_route("/bench/publish", publish, methods=["GET"])
    if os.environ.get("BENCH_TRACEMALLOC"):
        add_allocation_report(app)
    options = {**uvicorn_options(settings), "log_config": None, "log_level": "warning"}
    sock = listening_socket()
    Server(uvicorn.Config(app, access_log=False, **options), app).run(sockets=[sock])


def add_allocation_report(app: Any) -> None:
    """`GET /bench/allocations`: where the memory held right now was allocated (tracemalloc)."""
    import tracemalloc

    depth = int(os.environ["BENCH_TRACEMALLOC"])
    tracemalloc.start(depth)

    async def allocations() -> list[str]:
        snapshot = tracemalloc.take_snapshot()
        lines = [str(stat) for stat in snapshot.statistics("lineno")[:40]]
        for stat in snapshot.statistics("traceback")[:8] if depth > 1 else ():
            lines.append(f"--- {stat.size // 1024} KiB in {stat.count} blocks")
            lines += stat.traceback.format()
        return lines

    app.add_api_route("/bench/allocations", allocations, methods=["GET"])


def serve_naive() -> None:
    """The seed's pattern: a per-user list of sockets and an awaited send_json loop."""
    import uvicorn
    from fastapi import FastAPI, WebSocket, WebSocketDisconnect

    app = FastAPI()
    sockets: dict[str, list[WebSocket]] = {}

    @app.websocket("/ws/{user_id}/chat")
    async def live(websocket: WebSocket, user_id: str) -> None:
        await websocket.accept()
        sockets.setdefault(user_id, []).append(websocket)
        try:
            while True:
                await websocket.receive_text()
        except WebSocketDisconnect:
            sockets[user_id].remove(websocket)

    @app.get("/bench/publish")
    async def publish(user_id: str, count: int, gap: float = 0) -> dict[str, float]:
        started = time.perf_counter()
        for number in range(count):
            event = bench_event(number)
            for websocket in list(sockets.get(user_id, [])):
                await websocket.send_json(event)
            if gap:
                await asyncio.sleep(gap)
        return {"seconds": time.perf_counter() - started}

    sock = listening_socket()
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, ws_per_message_deflate=False
    )
    uvicorn.Server(config).run(sockets=[sock])


def serve_raw() -> None:
    """python-websockets alone: one set of connections and broadcast()."""
    import uvloop
    from websockets.asyncio.server import ServerConnection, broadcast, serve
    from websockets.http11 import Request

    connections: set[ServerConnection] = set()

    async def handler(connection: ServerConnection) -> None:
        connections.add(connection)
        try:
            await connection.wait_closed()
        finally:
            connections.discard(connection)

    async def publish(count: int, gap: float) -> None:
        for number in range(count):
            broadcast(connections, json.dumps(bench_event(number)))
            await asyncio.sleep(gap)

    def process_request(connection: ServerConnection, request: Request) -> Any:
        if request.path.startswith("/bench/publish"):
            query = parse_qs(urlsplit(request.path).query)
            count, gap = int(query["count"][0]), float(query.get("gap", ["0"])[0])
            asyncio.get_running_loop().create_task(publish(count, gap))
            return connection.respond(200, "publishing\n")
        return None

    async def main() -> None:
        sock = listening_socket()
        async with serve(handler, sock=sock, compression=None, process_request=process_request):
            await asyncio.Future()

    uvloop.run(main())


# --- the orchestrator --------------------------------------------------------------------------


def pinned(core: int, command: list[str]) -> list[str]:
    return ["taskset", "-c", str(core), *command] if shutil.which("taskset") else command


class ServerProcess:
    """One server process on core 0."""

    def __init__(
        self, mode: str, env: dict[str, str] | None = None, account: tuple[str, str] | None = None
    ) -> None:
        self.mode = mode
        env = {
            **os.environ,
            **(env or {}),
            "PYTHONPATH": f"{HERE.parent}{os.pathsep}{HERE.parent / 'src'}",
        }
        command = pinned(0, [sys.executable, str(Path(__file__)), "--serve", mode])
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
        line = self.process.stdout.readline()
        self.port = int(line.split()[1])
        self.user_id, self.token = "bench", ""
        self._wait_until_serving()
        if mode == "tasklive":
            self.user_id, self.token = account or self.sign_up("bench@example.com")

    def _wait_until_serving(self) -> None:
        """The socket listens already, so the first request waits until the app is up."""
        if self.mode != "raw":
            httpx.get(f"http://127.0.0.1:{self.port}/", timeout=60)

    def sign_up(self, email: str) -> tuple[str, str]:
        body = {"email": email, "password": "bench password"}
        data = httpx.post(f"http://127.0.0.1:{self.port}/api/auth/sign-up", json=body).json()
        return data["user"]["id"], data["access_token"]

    def ws_url(self, user_id: str | None = None, token: str | None = None) -> str:
        if self.mode == "raw":
            return f"ws://127.0.0.1:{self.port}/"
        user_id, token = user_id or self.user_id, token or self.token
        return f"ws://127.0.0.1:{self.port}/ws/{user_id}/chat?token={token}"

    def publish(self, count: int, user_id: str | None = None, pad: int = 0, gap: float = 0) -> None:
        params = {"user_id": user_id or self.user_id, "count": count, "pad": pad, "gap": gap}
        url = f"http://127.0.0.1:{self.port}/bench/publish"
        httpx.get(url, params=params, timeout=300).raise_for_status()

    def rss_kib(self) -> int:
        pid = self.python_pid()
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def cpu_seconds(self) -> float:
        """User and system CPU time the server process used so far."""
        fields = Path(f"/proc/{self.python_pid()}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def python_pid(self) -> int:
        """The Python process itself (taskset execs it, so the pid is the same)."""
        return self.process.pid

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Clients:
    """One Node process holding `count` sockets on core 1."""

    def __init__(self, url: str, count: int) -> None:
        env = {**os.environ, "BENCH_NODE_MODULES": str(NODE_MODULES)}
        command = pinned(1, ["node", str(HERE / "fanout_client.mjs"), url, str(count)])
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )
        self._expect("ready", 120)

    def _line(self, timeout: float) -> str:
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            raise TimeoutError("clients did not answer")
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("clients exited")
        return line.strip()

    def _expect(self, word: str, timeout: float) -> None:
        line = self._line(timeout)
        if line != word:
            raise RuntimeError(f"clients said {line!r}, expected {word!r}")

    def arm(self, expected: int) -> None:
        self.process.stdin.write(f"arm {expected}\n")
        self.process.stdin.flush()
        self._expect("armed", 30)

    def result(self) -> dict[str, Any]:
        return json.loads(self._line(90))

    def close(self) -> None:
        with_stdin = self.process.stdin
        with_stdin.write("close\n")
        with_stdin.flush()
        self.process.wait(30)


def run_once(server: ServerProcess, clients: Clients, events: int, **publish: Any) -> dict:
    clients.arm(events)
    cpu = server.cpu_seconds()
    server.publish(events, **publish)
    result = clients.result()
    result["cpu_us_per_msg"] = (server.cpu_seconds() - cpu) * 1e6 / max(1, result["received"])
    result["msgs_per_s"] = result["received"] / result["seconds"] if result["seconds"] else 0
    result["complete"] = result["received"] == events * result["sockets"]
    return result


def stalled_tab(port: int, user_id: str, token: str) -> tuple[socket.socket, bytes]:
    """A client that completes the WebSocket handshake and then never reads."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    request = (
        f"GET /ws/{user_id}/chat?token={token} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    sock.sendall(request.encode())
    answer = b""
    while b"\r\n\r\n" not in answer:  # the 101 answer; from here on it never reads
        answer += sock.recv(1)
    return sock, answer


def stalled_outcome(sock: socket.socket) -> str:
    """Read everything the server sent the stalled tab: how the server ended it, if it did."""
    sock.settimeout(5)
    data, ending = bytearray(), "still open"
    try:
        while chunk := sock.recv(1 << 20):
            data += chunk
        ending = "closed without a close frame"
    except TimeoutError:
        pass
    except OSError:
        ending = "connection dropped by the server"
    code = close_code_of(data)
    return f"closed by the server with code {code}" if code else ending


def close_code_of(data: bytearray) -> int | None:
    """The code of the first close frame among a server's (unmasked) frames."""
    at = 0
    while at + 2 <= len(data):  # walk the server's (unmasked) frames
        opcode, length, at = data[at] & 0x0F, data[at + 1] & 0x7F, at + 2
        if length >= 126:
            size = 2 if length == 126 else 8
            length, at = int.from_bytes(data[at : at + size], "big"), at + size
        if opcode == 8:
            return int.from_bytes(data[at : at + 2], "big")
        at += length
    return None


def print_table(results: dict[tuple[str, int], list[dict]], event_counts: list[int]) -> None:
    print("\nfan-out to one user's sockets (medians of the rounds)")
    print(
        f"{'events':>7} {'server':>9} {'msgs/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'cpu us/msg':>10} {'complete':>9}"
    )
    for events in event_counts:
        medians = {}
        for mode in MODES:
            runs = results[(mode, events)]
            rate = statistics.median(r["msgs_per_s"] for r in runs)
            p50 = statistics.median(r["p50_ms"] or 0 for r in runs)
            p99 = statistics.median(r["p99_ms"] or 0 for r in runs)
            cpu = statistics.median(r["cpu_us_per_msg"] for r in runs)
            medians[mode] = (rate, p99, cpu)
            complete = all(r["complete"] for r in runs)
            print(
                f"{events:>7} {mode:>9} {rate:>9.0f} {p50:>8.1f} {p99:>8.1f} {cpu:>10.1f} "
                f"{complete!s:>9}"
            )
        rate, p99, cpu = medians["tasklive"]
        print(
            f"{'':>7} ratios: tasklive/naive {rate / medians['naive'][0]:.2f}x msgs/s, "
            f"tasklive/raw {rate / medians['raw'][0]:.2f}x msgs/s, "
            f"p99 tasklive/naive {p99 / max(medians['naive'][1], 1e-9):.2f}, "
            f"server CPU per msg tasklive/naive {cpu / max(medians['naive'][2], 1e-9):.2f} "
            f"tasklive/raw {cpu / max(medians['raw'][2], 1e-9):.2f}"
        )


def ensure_node_ws() -> None:
    if (NODE_MODULES / "ws").is_dir():
        return
    NODE_MODULES.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "install", "--silent", "--prefix", str(NODE_MODULES.parent), "ws@8"], check=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--events", default="20,200", help="comma-separated burst sizes")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--paced-events", type=int, default=100)
    parser.add_argument(
        "--paced-gap", type=float, default=0.1, help="seconds between paced events (0: none)"
    )
    parser.add_argument("--stall-events", type=int, default=2000)
    parser.add_argument("--stall-sockets", type=int, default=20)
    parser.add_argument(
        "--redis-instances", type=int, default=0, help="only measure events/s through Redis"
    )
    args = parser.parse_args()
    if args.serve:
        {"tasklive": serve_tasklive, "naive": serve_naive, "raw": serve_raw}[args.serve]()
        return
    ensure_node_ws()
    if args.redis_instances:
        redis_run(args.redis_instances, max(int(n) for n in args.events.split(",")), args.sockets)
        return
    event_counts = [int(n) for n in args.events.split(",")]
    servers = {mode: ServerProcess(mode) for mode in MODES}
    clients: dict[str, Clients] = {}
    try:
        memory = {}
        for mode, server in servers.items():
            before = server.rss_kib()
            clients[mode] = Clients(server.ws_url(), args.sockets)
            time.sleep(1.0)  # let the server finish setting the sockets up
            memory[mode] = (server.rss_kib() - before) / args.sockets
        results: dict[tuple[str, int], list[dict]] = {}
        for _ in range(args.rounds):
            for events in event_counts:
                for mode in MODES:
                    result = run_once(servers[mode], clients[mode], events)
                    results.setdefault((mode, events), []).append(result)
        print_table(results, event_counts)
        if args.paced_gap:
            paced_run(servers, clients, args.rounds, args.paced_events, args.paced_gap)
        print(f"\nidle memory at {args.sockets} sockets (server RSS growth per socket)")
        for mode in MODES:
            print(f"{mode:>9}: {memory[mode]:.1f} KiB")
        for client in clients.values():
            client.close()
        clients.clear()
        stall_run(servers["tasklive"], args.stall_sockets, args.stall_events)
    finally:
        for client in clients.values():
            client.process.kill()
        for server in servers.values():
            server.stop()


def paced_run(
    servers: dict[str, ServerProcess],
    clients: dict[str, Clients],
    rounds: int,
    events: int,
    gap: float,
) -> None:
    """The same offered load for every server, below what each can take: latency alone."""
    runs: dict[str, list[dict]] = {mode: [] for mode in MODES}
    for _ in range(rounds):
        for mode in MODES:
            runs[mode].append(run_once(servers[mode], clients[mode], events, gap=gap))
    print(f"\npaced: {events} events, one every {gap * 1000:.0f} ms (medians of the rounds)")
    print(f"{'server':>9} {'p50 ms':>8} {'p99 ms':>8} {'cpu us/msg':>10} {'complete':>9}")
    p99s = {}
    for mode, results in runs.items():
        p50 = statistics.median(r["p50_ms"] or 0 for r in results)
        p99s[mode] = statistics.median(r["p99_ms"] or 0 for r in results)
        cpu = statistics.median(r["cpu_us_per_msg"] for r in results)
        complete = all(r["complete"] for r in results)
        print(f"{mode:>9} {p50:>8.1f} {p99s[mode]:>8.1f} {cpu:>10.1f} {complete!s:>9}")
    print(f"{'':>9} p99 tasklive/naive {p99s['tasklive'] / max(p99s['naive'], 1e-9):.2f}")


def stall_run(server: ServerProcess, sockets: int, events: int) -> None:
    """The same burst to healthy tabs, without and then with one tab that never reads."""
    user_id, token = server.sign_up("stalled@example.com")
    healthy = Clients(server.ws_url(user_id, token), sockets)
    try:
        calm = run_once(server, healthy, events, user_id=user_id, pad=STALL_PAD)
        stalled, _ = stalled_tab(server.port, user_id, token)
        with_stall = run_once(server, healthy, events, user_id=user_id, pad=STALL_PAD)
        outcome = stalled_outcome(stalled)
        stalled.close()
    finally:
        healthy.close()
    print(
        f"\nstalled tab: {sockets} healthy sockets, {events} events of {STALL_PAD // 1024} KiB "
        "(the naive loop would block on it)"
    )
    for label, result in (("no stalled tab", calm), ("one stalled tab", with_stall)):
        print(
            f"{label:>16}: {result['msgs_per_s']:>8.0f} msgs/s, p99 {result['p99_ms']:.1f} ms, "
            f"every healthy socket got every event: {result['complete']}"
        )
    print(f"{'stalled tab':>16}: {outcome}")


def redis_run(instances: int, events: int, sockets: int) -> None:
    """One user with tabs on every instance; events published on the first reach them all."""
    import uuid

    import redis

    prefix = f"tasklive-bench-{uuid.uuid4().hex[:8]}"
    env = {
        "BENCH_BROKER_URL": f"{REDIS_URL}/0?prefix={prefix}",
        "BENCH_DATA_DIR": tempfile.mkdtemp(prefix="bench-redis-"),
    }
    servers: list[ServerProcess] = []
    groups: list[Clients] = []
    try:
        servers.append(ServerProcess("tasklive", env))
        account = (servers[0].user_id, servers[0].token)
        servers += [ServerProcess("tasklive", env, account) for _ in range(instances - 1)]
        per_instance = max(1, sockets // instances)
        groups = [Clients(server.ws_url(), per_instance) for server in servers]
        time.sleep(1.0)
        for group in groups:
            group.arm(events)
        cpu = sum(server.cpu_seconds() for server in servers)
        started = time.perf_counter()
        servers[0].publish(events)
        results = [group.result() for group in groups]
        published = time.perf_counter() - started
        cpu = sum(server.cpu_seconds() for server in servers) - cpu
    finally:
        for group in groups:
            group.close()
        for server in servers:
            server.stop()
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
    slowest = max(result["seconds"] for result in results)
    received = sum(result["received"] for result in results)
    print(f"\nthrough Redis: {instances} instances, {per_instance} sockets each, {events} events")
    print(f"  publishing took {published:.2f} s: {events / published:.0f} events/s published")
    print(
        f"  every instance delivered within {slowest:.2f} s: {events / slowest:.0f} events/s, "
        f"{received / slowest:.0f} msgs/s in all, p99 "
        f"{max(result['p99_ms'] or 0 for result in results):.1f} ms, "
        f"complete: {all(r['received'] == events * r['sockets'] for r in results)}"
    )
    print(f"  server CPU (all instances): {cpu * 1e6 / max(1, received):.1f} us per message")


if __name__ == "__main__":
    main()
