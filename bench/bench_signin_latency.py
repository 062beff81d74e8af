"""Prints WebSocket ping->pong latency idle and while 20 sign-ins hash passwords at once."""

import argparse
import asyncio
import json
import socket as sockets
import statistics
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import uvicorn
from _setup import signed_in
from websockets.asyncio.client import connect

from tasklive.services import services_of

PING_INTERVAL = 0.01


@asynccontextmanager
async def serving(app: Any) -> AsyncIterator[str]:
    """`app` served over real HTTP on a free port, in this event loop."""
    listener = sockets.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning"))
    task = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        listener.close()


async def pongs_until(socket, done: asyncio.Future | None, count: int) -> list[float]:
    """Ping every 10 ms; the round trips until `done` (or `count` of them when idle)."""
    rounds = []
    while (done is None and len(rounds) < count) or (done is not None and not done.done()):
        started = time.perf_counter()
        await socket.send(json.dumps({"type": "ping"}))
        while json.loads(await socket.recv())["event_type"] != "pong":
            pass
        rounds.append(time.perf_counter() - started)
        await asyncio.sleep(PING_INTERVAL)
    return rounds


def report(label: str, rounds: list[float]) -> None:
    cuts = statistics.quantiles(rounds, n=20)
    p50, p95 = statistics.median(rounds) * 1000, cuts[18] * 1000
    print(f"{label:<28} pong p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  ({len(rounds)} pings)")


async def run(sign_ins: int, database_url: str | None) -> None:
    async with signed_in(database_url) as bench, serving(bench.app) as base_url:
        token = bench.headers["Authorization"].removeprefix("Bearer ")
        ws_url = f"{base_url.replace('http', 'ws')}/ws/{bench.user_id}/chat?token={token}"
        services_of(bench.app).settings.auth_attempts_per_email = sign_ins + 1
        async with connect(ws_url) as socket, httpx.AsyncClient(base_url=base_url) as http:
            await socket.recv()
            report("idle", await pongs_until(socket, None, 200))
            body = {"email": "bench@example.com", "password": "wrong password"}
            started = time.perf_counter()
            burst = asyncio.gather(
                *(http.post("/api/auth/sign-in", json=body, timeout=300) for _ in range(sign_ins))
            )
            rounds = await pongs_until(socket, burst, 0)
            elapsed = time.perf_counter() - started
            await burst
            report(f"during {sign_ins} sign-ins", rounds)
            print(f"{sign_ins} sign-ins took {elapsed:.2f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sign-ins", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    asyncio.run(run(args.sign_ins, args.database_url))
