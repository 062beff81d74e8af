"""Prints live-event fan-out figures: publish rate, delivery to N tabs, memory, a stalled tab."""

import argparse
import asyncio
import base64
import json
import os
import resource
import socket
import tempfile
import time
from pathlib import Path

import httpx
import uvicorn
from websockets.asyncio.client import connect

from tasklive.config import Settings
from tasklive.main import create_app
from tasklive.realtime.events import make_event
from tasklive.server import Server, uvicorn_options


def rss_mib() -> float:
    """This process's resident memory now."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


async def stalled_tab(port: int, path: str) -> socket.socket:
    """A client that completes the WebSocket handshake and then never reads."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    sock.sendall(request.encode())
    await asyncio.to_thread(sock.recv, 1024)
    return sock


async def run(tabs: int, events: int, payload: int, stalled: bool) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(_env_file=None, data_dir=Path(data_dir), secret_key="f" * 40)
        app = create_app(settings)
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(256)
        port = listener.getsockname()[1]
        options = {**uvicorn_options(settings), "log_config": None, "log_level": "warning"}
        server = Server(uvicorn.Config(app, lifespan="on", **options), app)
        serving = asyncio.create_task(server.serve(sockets=[listener]))
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            body = {"email": "fan@example.com", "password": "bench password"}
            account = (await http.post("/api/auth/sign-up", json=body)).json()
        user_id, token = account["user"]["id"], account["access_token"]
        path = f"/ws/{user_id}/chat?token={token}"
        clients = [
            await connect(f"ws://127.0.0.1:{port}{path}", compression=None, max_size=None)
            for _ in range(tabs)
        ]
        for client in clients:
            await client.recv()
        blocker = await stalled_tab(port, path) if stalled else None
        before = rss_mib()

        async def drain(client) -> float:
            for _ in range(events):
                last = json.loads(await client.recv())
            assert last["seq"] == events
            return time.perf_counter()

        readers = [asyncio.create_task(drain(client)) for client in clients]
        hub, filler = app.state.hub, "x" * payload
        started = time.perf_counter()
        for i in range(events):
            await hub.publish(user_id, make_event("tool_progress", filler, run_id=str(i)))
        published = time.perf_counter() - started
        during = rss_mib()
        finished = max(await asyncio.gather(*readers)) - started
        megabytes = events * (payload + 150) / 1e6
        print(
            f"{tabs} tabs, {events} events of ~{payload} B ({megabytes:.1f} MB each)"
            f"{' + 1 stalled tab' if stalled else ''}: publish {events / published:,.0f} ev/s, "
            f"all tabs done in {finished:.2f} s, RSS +{during - before:.1f} MiB after publishing"
        )
        for client in clients:
            await client.close()
        if blocker is not None:
            blocker.close()
        server.should_exit = True
        await serving


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tabs", type=int, default=3)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--payload", type=int, default=1000)
    args = parser.parse_args()
    asyncio.run(run(args.tabs, args.events, args.payload, stalled=False))
    asyncio.run(run(args.tabs, args.events, args.payload, stalled=True))
