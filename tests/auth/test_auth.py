"""Accounts: sign-up, sign-in, sign-out, session, and every way a token is refused."""

from datetime import UTC, datetime, timedelta

import jwt

from tests.conftest import SECRET


async def test_sign_up_returns_user_token_and_cookie(client):
    response = await client.post(
        "/api/auth/sign-up",
        json={"email": "Ada@Example.com", "password": "s3cret-pass", "name": "Ada"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["user"]["email"] == "ada@example.com"
    assert body["user"]["name"] == "Ada"
    assert isinstance(body["user"]["id"], str)
    assert body["token_type"] == "bearer"
    assert body["access_token"] and body["expires_at"]
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    session = await client.get(
        "/api/auth/session", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert session.status_code == 200
    assert session.json()["user"] == body["user"]


async def test_duplicate_email_is_409_whatever_the_case(client, sign_up):
    await sign_up("dup@example.com")
    response = await client.post(
        "/api/auth/sign-up", json={"email": "DUP@example.com", "password": "another-pass"}
    )
    assert response.status_code == 409
    assert "already exists" in response.json()["error"]


async def test_short_password_and_bad_email_are_422(client):
    short = await client.post("/api/auth/sign-up", json={"email": "a@b.io", "password": "short"})
    assert short.status_code == 422
    assert "password" in short.json()["error"]
    bad = await client.post("/api/auth/sign-up", json={"email": "nope", "password": "long enough"})
    assert bad.status_code == 422
    assert "email" in bad.json()["error"]


async def test_sign_in_accepts_right_pair_and_refuses_wrong_ones_alike(client, sign_up):
    account = await sign_up("bob@example.com", "right password")
    ok = await client.post(
        "/api/auth/sign-in", json={"email": "BOB@example.com", "password": "right password"}
    )
    assert ok.status_code == 200
    assert ok.json()["user"]["id"] == account["user"]["id"]
    wrong = await client.post(
        "/api/auth/sign-in", json={"email": "bob@example.com", "password": "wrong password"}
    )
    unknown = await client.post(
        "/api/auth/sign-in", json={"email": "who@example.com", "password": "right password"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["error"] == unknown.json()["error"]


async def test_cookie_session_and_sign_out(client):
    await client.post("/api/auth/sign-up", json={"email": "c@example.com", "password": "cookie pw"})
    assert (await client.get("/api/auth/session")).status_code == 200
    assert (await client.post("/api/auth/sign-out")).status_code == 204
    assert (await client.get("/api/auth/session")).status_code == 401


async def test_cookie_write_from_foreign_origin_is_refused(client):
    await client.post("/api/auth/sign-up", json={"email": "o@example.com", "password": "origin pw"})
    foreign = await client.post(
        "/api/tasks", json={"title": "x"}, headers={"Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
    own = await client.post(
        "/api/tasks", json={"title": "x"}, headers={"Origin": "http://testserver"}
    )
    assert own.status_code == 201


def _forge(claims: dict, key: str = SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


async def test_expired_tampered_and_alg_none_tokens_are_401(client, sign_up):
    account = await sign_up()
    user_id = account["user"]["id"]
    now = datetime.now(UTC)
    expired = _forge({"sub": user_id, "typ": "access", "exp": now - timedelta(seconds=5)})
    wrong_key = _forge({"sub": user_id, "typ": "access", "exp": now + timedelta(hours=1)}, "x" * 40)
    header, payload, signature = account["access_token"].split(".")
    tampered_payload = jwt.utils.base64url_encode(
        f'{{"sub":"{user_id}x","typ":"access","exp":{int(now.timestamp()) + 3600}}}'.encode()
    ).decode()
    tampered = f"{header}.{tampered_payload}.{signature}"
    none_header = jwt.utils.base64url_encode(b'{"alg":"none","typ":"JWT"}').decode()
    alg_none = f"{none_header}.{payload}."
    for token in (expired, wrong_key, tampered, alg_none, "garbage"):
        response = await client.get("/api/tasks", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, token
        assert "Traceback" not in response.text


async def test_no_credentials_is_401(client):
    response = await client.get("/api/tasks")
    assert response.status_code == 401
    assert response.json()["error"]
