"""Sign-in and sign-up throttling: per email and per client address, the same for every email."""

import re

import httpx
import pytest

from tasklive.app import create_app


@pytest.fixture
def settings_overrides():
    return {"auth_attempts_per_email": 3, "auth_attempts_per_address": 8}


async def sign_in(client, email, password="wrong password"):
    return await client.post("/api/auth/sign-in", json={"email": email, "password": password})


def without_numbers(response) -> dict:
    return {k: re.sub(r"\d+", "N", v) for k, v in response.json().items()}


def throttled(response) -> bool:
    return response.status_code == 429


async def test_wrong_passwords_are_throttled_with_retry_after(client, sign_up):
    await sign_up("victim@example.com", "right password")
    answers = [await sign_in(client, "victim@example.com") for _ in range(5)]
    assert [a.status_code for a in answers] == [401, 401, 401, 429, 429]
    limited = answers[-1]
    assert limited.json()["code"] == "rate_limited"
    assert 1 <= int(limited.headers["Retry-After"]) <= 300
    # Even the right password waits until the window is over.
    assert throttled(await sign_in(client, "victim@example.com", "right password"))


async def test_known_and_unknown_emails_are_answered_alike(client, sign_up):
    await sign_up("known@example.com", "right password")
    known = [await sign_in(client, "KNOWN@example.com") for _ in range(4)]
    unknown = [await sign_in(client, "nobody@example.com") for _ in range(4)]
    assert [a.status_code for a in known] == [a.status_code for a in unknown]
    assert without_numbers(known[-1]) == without_numbers(unknown[-1])
    assert known[0].json() == unknown[0].json()


async def test_a_successful_sign_in_clears_the_email_count(client, sign_up):
    await sign_up("forgetful@example.com", "right password")
    for _ in range(2):
        assert (await sign_in(client, "forgetful@example.com")).status_code == 401
    ok = await sign_in(client, "forgetful@example.com", "right password")
    assert ok.status_code == 200
    for _ in range(3):
        assert (await sign_in(client, "forgetful@example.com")).status_code == 401


async def test_one_address_trying_many_emails_is_throttled(client):
    statuses = []
    for n in range(9):
        body = {"email": f"spray{n}@example.com", "password": "long enough"}
        statuses.append((await client.post("/api/auth/sign-up", json=body)).status_code)
    assert statuses == [201] * 8 + [429]
    assert throttled(await sign_in(client, "someone-else@example.com"))


async def test_other_addresses_are_not_throttled(app, client):
    for _ in range(4):
        await sign_in(client, "shared@example.com")
    other = httpx.ASGITransport(app=app, client=("203.0.113.9", 4000))
    async with httpx.AsyncClient(transport=other, base_url="http://testserver") as elsewhere:
        body = {"email": "fresh@example.com", "password": "long enough"}
        assert (await elsewhere.post("/api/auth/sign-up", json=body)).status_code == 201


async def test_the_count_is_shared_by_every_instance(settings, client):
    second = create_app(settings)
    async with second.router.lifespan_context(second):
        transport = httpx.ASGITransport(app=second)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
            for http in (client, other, client):
                assert (await sign_in(http, "roaming@example.com")).status_code == 401
            assert throttled(await sign_in(other, "roaming@example.com"))
