"""Password hashing runs off the event loop: live sockets answer while sign-ins hash."""

import asyncio
import json
import threading

import httpx
import pytest
from websockets.asyncio.client import connect

from tasklive.auth import service
from tests.support.live import serving

WAIT = 10.0


@pytest.fixture
def database_url(tmp_path):
    return f"sqlite+aiosqlite:///{tmp_path / 'tasklive.db'}"


@pytest.fixture
def settings_overrides():
    return {"auth_attempts_per_email": 100, "auth_attempts_per_address": 100}


class HeldHashes:
    """Each sign-in's hash waits, mid-hash, until the test lets it finish."""

    def __init__(self, verify_and_update) -> None:
        self.verify_and_update_for_real = verify_and_update
        self.started = threading.Event()
        self.release = threading.Event()
        self.released_while_held: list[bool] = []

    def verify_and_update(self, password: str, password_hash: str):
        self.started.set()
        # On the event loop this wait would stop the loop, the pong could not be sent and
        # the release would never come in time.
        self.released_while_held.append(self.release.wait(WAIT))
        return self.verify_and_update_for_real(password, password_hash)


async def pong(socket) -> None:
    await socket.send(json.dumps({"type": "ping"}))
    while json.loads(await socket.recv())["event_type"] != "pong":
        pass


async def test_a_socket_answers_pings_while_sign_ins_are_mid_hash(app, sign_up, monkeypatch):
    account = await sign_up("hash@example.com", "right password")
    held = HeldHashes(service._hasher.verify_and_update)
    monkeypatch.setattr(service._hasher, "verify_and_update", held.verify_and_update)
    async with serving(app) as base_url, httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        url = f"{base_url.replace('http', 'ws')}/ws/{account['user']['id']}/chat"
        async with connect(f"{url}?token={account['access_token']}") as socket:
            await socket.recv()  # connection_established
            body = {"email": "hash@example.com", "password": "wrong password"}
            burst = asyncio.gather(*(http.post("/api/auth/sign-in", json=body) for _ in range(4)))
            assert await asyncio.to_thread(held.started.wait, WAIT)
            await asyncio.wait_for(pong(socket), WAIT)
            held.release.set()
            answers = await burst
    assert [a.status_code for a in answers] == [401] * 4
    assert held.released_while_held == [True] * 4
