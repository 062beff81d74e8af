"""The three servers measured; each runs in its own process (`bench_fanout.py --serve MODE`)."""

import asyncio
import gc
import json
import os
import socket
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

from fanout.probe import Probe

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
    from tasklive.server import Server, tune_garbage_collector, uvicorn_options
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
    probe = add_probe(app)

    async def publish(user_id: str, count: int, pad: int = 0, gap: float = 0) -> dict[str, float]:
        services = services_of(app)
        if probe is not None:
            probe.watch_engine(services.engine)
        started = time.perf_counter()
        for number in range(count):
            created = time.perf_counter()
            event = {**bench_event(number), "result": "x" * pad} if pad else bench_event(number)
            await services.hub.publish(user_id, make_event(event.pop("event_type"), **event))
            if probe is not None:
                probe.event(created)
            if gap:
                await asyncio.sleep(gap)
        return {"seconds": time.perf_counter() - started}

    app.add_api_route("/bench/publish", publish, methods=["GET"])
    if os.environ.get("BENCH_TRACEMALLOC"):
        add_allocation_report(app)
    options = {**uvicorn_options(settings), "log_config": None, "log_level": "warning"}
    if os.environ.get("BENCH_WS"):
        options["ws"] = os.environ["BENCH_WS"]  # another of uvicorn's WebSocket implementations
    if os.environ.get("BENCH_DEFLATE"):
        options["ws_per_message_deflate"] = True  # what accepting it would cost per socket
    sock = listening_socket()
    if settings.gc_tuning:
        tune_garbage_collector()  # as `tasklive serve` does
    Server(uvicorn.Config(app, access_log=False, **options), app).run(sockets=[sock])


def add_probe(app: Any) -> Probe | None:
    """`GET /bench/probe` (with `BENCH_PROBE=1`): what the server did during the last burst."""
    if not os.environ.get("BENCH_PROBE"):
        return None
    probe = Probe()

    async def report() -> dict[str, Any]:
        return probe.report()

    app.add_api_route("/bench/probe", report, methods=["GET"])
    return probe


def add_allocation_report(app: Any) -> None:
    """`GET /bench/allocations`: what was allocated since `GET /bench/allocations/mark`, by line.

    With `BENCH_TRACEMALLOC=<frames>`; a diff between 0 and N idle sockets shows exactly which
    allocations scale with sockets.
    """
    import tracemalloc

    depth = int(os.environ["BENCH_TRACEMALLOC"])
    tracemalloc.start(depth)
    marks: list[tracemalloc.Snapshot] = []

    async def mark() -> dict[str, int]:
        gc.collect()
        marks[:] = [tracemalloc.take_snapshot()]
        tracemalloc.reset_peak()
        return {"traced": tracemalloc.get_traced_memory()[0]}

    async def allocations(sockets: int = 1, group: str = "lineno", limit: int = 30) -> list[str]:
        gc.collect()
        traced, peak = tracemalloc.get_traced_memory()
        snapshot = tracemalloc.take_snapshot()
        stats = snapshot.compare_to(marks[0], group) if marks else snapshot.statistics(group)
        total = sum(getattr(stat, "size_diff", stat.size) for stat in stats)
        # The peak shows what connecting held for a while: freed, but spread over memory.
        lines = [
            f"total {total / 1024 / sockets:.2f} KiB per socket, "
            f"{(peak - traced + total) / 1024 / sockets:.2f} at the peak since the mark"
        ]
        for stat in stats[:limit]:
            size = getattr(stat, "size_diff", stat.size)
            count = getattr(stat, "count_diff", stat.count)
            where = (
                stat.traceback.format(limit=depth)
                if group == "traceback"
                else [str(stat.traceback[0])]
            )
            lines.append(
                f"{size / sockets:8.0f} B/socket {count / sockets:6.2f} blocks  {where[-1]}"
            )
            lines += where[:-1] if group == "traceback" else []
        return lines

    app.add_api_route("/bench/allocations/mark", mark, methods=["GET"])
    app.add_api_route("/bench/allocations", allocations, methods=["GET"])


def serve_naive() -> None:
    """The seed's pattern: a per-user list of sockets and an awaited send_json loop."""
    import uvicorn
    from fastapi import FastAPI, WebSocket, WebSocketDisconnect

    app = FastAPI()
    sockets: dict[str, list[WebSocket]] = {}
    probe = add_probe(app)

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
            created = time.perf_counter()
            event = bench_event(number)
            for websocket in list(sockets.get(user_id, [])):
                await websocket.send_json(event)
            if probe is not None:
                probe.event(created)
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


SERVERS = {"tasklive": serve_tasklive, "naive": serve_naive, "raw": serve_raw}
MODES = tuple(SERVERS)


class MemoryVariant(NamedTuple):
    """One row of the idle-memory table."""

    mode: str
    ws: str | None = None  # another of uvicorn's WebSocket implementations
    module: str | None = None  # the module that implementation needs
    browser: bool = False  # browser-like clients (Node's ws package) instead of client.mjs
    batch: int = 100  # browser-like clients connecting at once
    deflate: bool = False  # the server accepts permessage-deflate


# Idle memory is also measured with browser-like clients (a burst of 1,000 at once too, as after
# a restart), with tasklive on each of uvicorn's own WebSocket implementations, and with
# permessage-deflate accepted (tasklive turns it off: this row shows why).
MEMORY_VARIANTS = {
    "tasklive": MemoryVariant("tasklive"),
    "tasklive, browser-like clients": MemoryVariant("tasklive", browser=True),
    "tasklive, browser-like, 1,000 at once": MemoryVariant("tasklive", browser=True, batch=1000),
    "tasklive with deflate, browser-like": MemoryVariant("tasklive", browser=True, deflate=True),
    "tasklive on uvicorn websockets-sansio": MemoryVariant("tasklive", "websockets-sansio"),
    "tasklive on uvicorn wsproto": MemoryVariant("tasklive", "wsproto", "wsproto"),
    "tasklive on uvicorn websockets (legacy)": MemoryVariant("tasklive", "websockets"),
    "naive": MemoryVariant("naive"),
    "raw": MemoryVariant("raw"),
}
