"""Password hashing runs off the event loop: live sockets answer while sign-ins hash."""

import asyncio
import json
import time

import httpx
import pytest
from websockets.asyncio.client import connect

from tasklive.auth.service import _dummy_hash, _hasher
from tests.support.live import serving


@pytest.fixture
def database_url(tmp_path):
    return f"sqlite+aiosqlite:///{tmp_path / 'tasklive.db'}"


@pytest.fixture
def settings_overrides():
    return {"auth_attempts_per_email": 100, "auth_attempts_per_address": 100}


async def pong_seconds(socket) -> float:
    started = time.perf_counter()
    await socket.send(json.dumps({"type": "ping"}))
    while json.loads(await socket.recv())["event_type"] != "pong":
        pass
    return time.perf_counter() - started


async def test_pongs_stay_prompt_while_twenty_sign_ins_hash(app, sign_up):
    account = await sign_up("hash@example.com", "right password")
    one_hash = await asyncio.to_thread(timed_verify)
    async with serving(app) as base_url, httpx.AsyncClient(base_url=base_url, timeout=120) as http:
        url = f"{base_url.replace('http', 'ws')}/ws/{account['user']['id']}/chat"
        async with connect(f"{url}?token={account['access_token']}") as socket:
            await socket.recv()  # connection_established
            body = {"email": "hash@example.com", "password": "wrong password"}
            burst = asyncio.gather(*(http.post("/api/auth/sign-in", json=body) for _ in range(20)))
            pongs = []
            while not burst.done():
                pongs.append(await pong_seconds(socket))
            answers = await burst
    assert [a.status_code for a in answers] == [401] * 20
    # On the event loop, a ping sent mid-hash waits for that hash: half of one is generous.
    # Were hashes on the event loop, a ping sent mid-hash would wait for it: about one slow
    # pong per sign-in. Off the loop, pongs never wait that long.
    slow = [p for p in pongs if p > one_hash / 2]
    assert len(pongs) >= 20
    assert len(slow) <= 2, (slow, one_hash, len(pongs))


def timed_verify() -> float:
    started = time.perf_counter()
    _hasher.verify("some password", _dummy_hash())
    return time.perf_counter() - started
