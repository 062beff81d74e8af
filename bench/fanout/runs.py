"""One measured burst, the paced and stalled-tab runs, and the run through Redis."""

import importlib.util
import socket
import statistics
import subprocess
import tempfile
import time
import uuid
from typing import Any

from fanout.processes import BrowserClients, Clients, ServerProcess, ws_package
from fanout.servers import MEMORY_VARIANTS

STALL_PAD = 4096  # bytes per stalled-run event: enough to outgrow the kernel's socket buffers


def run_once(server: ServerProcess, clients: Clients, events: int, **publish: Any) -> dict:
    clients.arm(events)
    cpu = server.cpu_seconds()
    server.publish(events, **publish)
    result = clients.result()
    result["cpu_us_per_msg"] = (server.cpu_seconds() - cpu) * 1e6 / max(1, result["received"])
    result["msgs_per_s"] = result["received"] / result["seconds"] if result["seconds"] else 0
    result["complete"] = result["received"] == events * result["sockets"]
    return result


def warm_up(server: ServerProcess, clients: Clients) -> None:
    """One unmeasured burst: the first after start pays for cold caches and the JIT of every
    process (it was 3-5x slower than the next ones for all three servers)."""
    run_once(server, clients, 20)
    if server.probing:
        server.get("/bench/probe")


def idle_memory(counts: list[int]) -> tuple[dict[str, dict[int, float | None]], dict[str, str]]:
    """Server RSS growth per idle socket, each variant in a fresh process at each count; and
    which extension the browser-like clients got (they offer permessage-deflate)."""
    try:
        ws_package()
        browsers = True
    except (OSError, subprocess.CalledProcessError):
        browsers = False  # no npm, or no registry: those rows say "not installed"
    figures: dict[str, dict[int, float | None]] = {}
    accepted: dict[str, str] = {}
    for name, variant in MEMORY_VARIANTS.items():
        figures[name] = {}
        for count in counts:
            missing = variant.module and importlib.util.find_spec(variant.module) is None
            if missing or (variant.browser and not browsers):
                figures[name][count] = None
                continue
            env = {"BENCH_WS": variant.ws or "", "BENCH_DEFLATE": "1" if variant.deflate else ""}
            server = ServerProcess(variant.mode, env)
            try:
                before = server.rss_kib()
                url = server.ws_url()
                clients = (
                    BrowserClients(url, count, variant.batch)
                    if variant.browser
                    else Clients(url, count)
                )
                time.sleep(1.0)  # let the server finish setting the sockets up
                figures[name][count] = (server.rss_kib() - before) / count
                if variant.browser:
                    accepted[name] = clients.said
                clients.close()
            finally:
                server.stop()
    return figures, accepted


def medians(runs: list[dict]) -> dict[str, Any]:
    """The median of each figure over the rounds, and whether every round was complete."""
    figures = ("msgs_per_s", "p50_ms", "p99_ms", "cpu_us_per_msg")
    summary: dict[str, Any] = {k: statistics.median(r[k] or 0 for r in runs) for k in figures}
    summary["complete"] = all(r["complete"] for r in runs)
    return summary


def stalled_tab(port: int, user_id: str, token: str) -> socket.socket:
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
    return sock


def stalled_outcome(sock: socket.socket, idle_since: float) -> str:
    """Read everything the server sent the stalled tab: how the server ended it, if it did."""
    idle = time.perf_counter() - idle_since
    sock.settimeout(5)
    data, ending = bytearray(), "still open"
    try:
        while chunk := sock.recv(1 << 20):
            data += chunk
        ending = "closed without a close frame"
    except TimeoutError:
        pass
    except OSError:
        ending = "connection reset by the server"
    code, events = close_code_of(data)
    if code:
        return f"closed by the server with code {code} after {events} events"
    return f"{ending} after {events} events (it had read nothing for {idle:.0f} s)"


def close_code_of(data: bytearray) -> tuple[int | None, int]:
    """The code of the first close frame among a server's (unmasked) frames, and how many text
    frames came before it."""
    at, texts = 0, 0
    while at + 2 <= len(data):
        opcode, length, at = data[at] & 0x0F, data[at + 1] & 0x7F, at + 2
        if length >= 126:
            size = 2 if length == 126 else 8
            length, at = int.from_bytes(data[at : at + size], "big"), at + size
        if opcode == 8:
            return int.from_bytes(data[at : at + 2], "big"), texts
        texts += opcode == 1
        at += length
    return None, texts


def stall_run(
    server: ServerProcess, sockets: int, events: int, gap: float, rounds: int
) -> dict[str, Any]:
    """Each round: fresh healthy tabs get the same paced events without, then with, one more
    tab that never reads. The pace is one the healthy clients absorb, so a healthy tab that
    the server closes for falling behind shows the bench overloading its clients, not a stall."""
    user_id, token = server.sign_up("stalled@example.com")
    runs: dict[str, Any] = {"calm": [], "stalled": [], "outcomes": []}
    for _ in range(rounds):
        healthy = Clients(server.ws_url(user_id, token), sockets)
        try:
            publish = {"user_id": user_id, "pad": STALL_PAD, "gap": gap}
            runs["calm"].append(run_once(server, healthy, events, **publish))
            stalled = stalled_tab(server.port, user_id, token)
            started = time.perf_counter()
            runs["stalled"].append(run_once(server, healthy, events, **publish))
            runs["outcomes"].append(stalled_outcome(stalled, started))
            stalled.close()
        finally:
            healthy.close()
    return runs


def redis_run(instances: int, events: int, sockets: int, redis_url: str) -> dict[str, Any]:
    """One user with tabs on every instance; events published on the first reach them all."""
    import redis

    prefix = f"tasklive-bench-{uuid.uuid4().hex[:8]}"
    env = {
        "BENCH_BROKER_URL": f"{redis_url}/0?prefix={prefix}",
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
        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
    return {
        "instances": instances,
        "per_instance": per_instance,
        "events": events,
        "published_seconds": published,
        "slowest_seconds": max(result["seconds"] for result in results),
        "received": sum(result["received"] for result in results),
        "p99_ms": max(result["p99_ms"] or 0 for result in results),
        "complete": all(r["received"] == events * r["sockets"] for r in results),
        "cpu_seconds": cpu,
    }
