"""A tab that never reads is closed with 1013; nobody else waits for it, and it can resume."""

import asyncio
import base64
import json
import os
import socket
import struct
from pathlib import Path
from typing import Any

import pytest

from tasklive.realtime.events import make_event
from tests.realtime.conftest import (
    Live,
    User,
    events_until,
    next_event,
    open_ws,
    sqlite_url,
    ws_url,
)

EVENTS = 320
PAYLOAD = "x" * 32_000  # 320 events of ~32 KB: about 10 MB in all
BATCH = 16


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path)


@pytest.fixture
def settings_overrides(broker_url: str) -> dict[str, Any]:
    return {"broker_url": broker_url, "ws_queue_size": 64}


async def stalled_client(live: Live, user: User) -> tuple[asyncio.StreamReader, Any]:
    """Completes the WebSocket handshake over raw TCP, then reads nothing more for a while."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32_768)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", live.port))
    reader, writer = await asyncio.open_connection(sock=sock, limit=32_768)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        (
            f"GET /ws/{user.id}/chat?token={user.token} HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{live.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    response = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    assert response.startswith(b"HTTP/1.1 101"), response
    return reader, writer


async def read_frame(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """One unmasked server frame: (opcode, payload)."""
    head = await reader.readexactly(2)
    length = head[1] & 0x7F
    if length == 126:
        length = struct.unpack("!H", await reader.readexactly(2))[0]
    elif length == 127:
        length = struct.unpack("!Q", await reader.readexactly(8))[0]
    return head[0] & 0x0F, await reader.readexactly(length)


async def test_stalled_tab_is_closed_and_slows_nobody(live: Live, new_user) -> None:
    user, other = await new_user(), await new_user()
    reader, writer = await stalled_client(live, user)
    async with (
        open_ws(ws_url(live, user), max_queue=None) as tab1,
        open_ws(ws_url(live, user), max_queue=None) as tab2,
        open_ws(ws_url(live, other)) as others,
    ):
        hello = await next_event(tab1)
        await next_event(tab2)
        await next_event(others)
        assert len(live.hub.connections(user.id)) == 3
        received: list[list[str]] = [[], []]
        for start in range(0, EVENTS, BATCH):
            for n in range(start, start + BATCH):
                event = make_event("tool_progress", f"chunk {n}", run_id="r", result=PAYLOAD)
                await live.hub.publish(user.id, event)
            await live.hub.publish(other.id, make_event("task_created", f"other {start}"))
            for tab, frames in zip((tab1, tab2), received, strict=True):
                frames += [await asyncio.wait_for(tab.recv(), 10) for _ in range(BATCH)]
            assert (await next_event(others))["message"] == f"other {start}"
        assert len(live.hub.connections(user.id)) == 2  # the stalled one is gone

    assert received[0] == received[1]
    assert [json.loads(frame)["seq"] for frame in received[0]] == list(range(1, EVENTS + 1))

    # Reading at last, the stalled client finds an in-order prefix, then a 1013 close frame.
    seqs = []
    while True:
        opcode, payload = await asyncio.wait_for(read_frame(reader), 10)
        if opcode == 0x8:
            break
        seqs.append(json.loads(payload)["seq"])
    assert struct.unpack("!H", payload[:2])[0] == 1013
    assert seqs[0] == 0 and seqs[1:] == list(range(1, len(seqs)))  # established, then 1..k
    assert len(seqs) < EVENTS
    writer.close()

    # It may resume: exactly the rest comes back.
    url = ws_url(live, user, last_seq=seqs[-1], epoch=hello["epoch"])
    async with open_ws(url, max_queue=None) as ws:
        await next_event(ws)
        rest = await events_until(ws, lambda e: e["event_type"] == "resumed")
    assert [e["seq"] for e in rest[:-1]] == list(range(seqs[-1] + 1, EVENTS + 1))
    assert rest[-1]["recovered"] is True
