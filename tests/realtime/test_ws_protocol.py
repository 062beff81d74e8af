"""The WebSocket protocol under live sockets: keepalive pings, and its lean queue and flag."""

import asyncio
import json
from typing import Any

import pytest
from websockets.frames import Frame, Opcode

from tasklive.realtime.events import make_event
from tasklive.realtime.protocol import Flag, Inbox
from tests.realtime.conftest import WAIT, Live, User, ws_url

PING_SECONDS = 0.3


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"ws_ping_interval_seconds": PING_SECONDS}


class RawTab:
    """A client on a plain TCP socket, so the test sees every frame, pings included."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, live: Live, user: User, *then: bytes) -> "RawTab":
        """Connect and upgrade; `then` goes out right behind the request, one write each."""
        reader, writer = await asyncio.open_connection("127.0.0.1", live.port)
        path = ws_url(live, user).split(str(live.port), 1)[1]
        request = (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        for data in (request + (then[0] if then else b""), *then[1:]):
            writer.write(data)
            await writer.drain()
        answer = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), WAIT)
        assert answer.startswith(b"HTTP/1.1 101"), answer
        return cls(reader, writer)

    async def frame(self) -> tuple[Opcode, bytes]:
        """The server's next frame (unmasked)."""
        head = await asyncio.wait_for(self.reader.readexactly(2), WAIT)
        length = head[1] & 0x7F
        if length >= 126:
            size = 2 if length == 126 else 8
            length = int.from_bytes(await self.reader.readexactly(size), "big")
        return Opcode(head[0] & 0x0F), await self.reader.readexactly(length)

    async def event(self) -> dict[str, Any]:
        """The next text frame as an event, answering pings on the way."""
        while True:
            opcode, payload = await self.frame()
            if opcode is Opcode.PING:
                self.send(Opcode.PONG, payload)
            elif opcode is Opcode.TEXT:
                return json.loads(payload)

    def send(self, opcode: Opcode, payload: bytes) -> None:
        self.writer.write(Frame(opcode, payload).serialize(mask=True))

    async def close(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()


async def test_an_idle_tab_is_pinged_and_stays_while_it_answers(live: Live, new_user) -> None:
    user = await new_user()
    tab = await RawTab.open(live, user)
    try:
        assert (await tab.event())["event_type"] == "connection_established"
        for _ in range(3):  # each answered ping is followed by the next one
            opcode, payload = await tab.frame()
            assert opcode is Opcode.PING
            tab.send(Opcode.PONG, payload)
        await live.hub.publish(user.id, make_event("tool_progress", "Still here"))
        assert (await tab.event())["message"] == "Still here"
    finally:
        await tab.close()


async def test_a_tab_that_stops_answering_pings_is_closed(live: Live, new_user) -> None:
    user = await new_user()
    tab = await RawTab.open(live, user)
    try:
        assert (await tab.event())["event_type"] == "connection_established"
        opcode, _ = await tab.frame()
        assert opcode is Opcode.PING  # and never answered
        opcode, payload = await tab.frame()
        assert opcode is Opcode.CLOSE
        assert int.from_bytes(payload[:2], "big") == 1011
    finally:
        await tab.close()


PING_FRAME = Frame(Opcode.TEXT, b'{"type": "ping"}').serialize(mask=True)


@pytest.mark.parametrize(
    "writes",
    [(PING_FRAME,), (PING_FRAME[:3], PING_FRAME[3:])],
    ids=["whole frame with the request", "frame split across the request's packet"],
)
async def test_a_frame_sent_before_the_upgrade_answer_is_still_read(
    live: Live, new_user, writes: tuple[bytes, ...]
) -> None:
    user = await new_user()
    tab = await RawTab.open(live, user, *writes)  # a ping right behind the request, unanswered yet
    try:
        assert (await tab.event())["event_type"] == "connection_established"
        # pings keep coming (and get answered), so only a deadline ends the wait for the pong
        assert (await asyncio.wait_for(tab.event(), WAIT))["event_type"] == "pong"
    finally:
        await tab.close()


async def test_inbox_hands_over_messages_in_order_to_a_waiting_reader() -> None:
    inbox = Inbox()
    reader = asyncio.create_task(inbox.get())
    await asyncio.sleep(0)  # the reader is waiting now
    inbox.put_nowait("first")
    inbox.put_nowait("second")
    assert await reader == "first"
    assert not inbox.empty()
    assert await inbox.get() == "second"
    assert inbox.empty()


async def test_flag_wakes_every_waiter_when_set() -> None:
    flag = Flag()
    assert flag.is_set() and await flag.wait()
    flag.clear()
    waiters = [asyncio.create_task(flag.wait()) for _ in range(2)]
    await asyncio.sleep(0)
    assert not any(waiter.done() for waiter in waiters)
    flag.set()
    assert await asyncio.gather(*waiters) == [True, True]
