"""Hostile payloads found by fuzzing answer a 4xx naming the field, never a 5xx."""

import json

import pytest

SURROGATE = "\ud800"
NUL = "\x00"


async def post_json(client, url, body, headers=None):
    """POST `body` as ASCII JSON, so unpaired surrogates travel as `\\ud800` escapes."""
    headers = {"Content-Type": "application/json", **(headers or {})}
    return await client.post(url, content=json.dumps(body), headers=headers)


def field_names(response) -> list[str]:
    return [f["field"] for f in response.json()["fields"]]


@pytest.mark.parametrize("title", [f"milk{SURROGATE}", f"milk{NUL}"])
async def test_unstorable_task_title_is_422_naming_title(client, sign_up, title):
    account = await sign_up()
    response = await post_json(client, "/api/tasks", {"title": title}, account["headers"])
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert field_names(response) == ["body.title"]
    assert "title" in body["error"]


@pytest.mark.parametrize("message", [f"hi {SURROGATE}", f"hi {NUL} there"])
async def test_unstorable_chat_message_is_422_naming_message(client, sign_up, message):
    account = await sign_up()
    uid = account["user"]["id"]
    response = await post_json(client, f"/api/{uid}/chat", {"message": message}, account["headers"])
    assert response.status_code == 422
    assert field_names(response) == ["body.message"]
    history = await client.get(f"/api/{uid}/conversations", headers=account["headers"])
    assert history.json() == []


@pytest.mark.parametrize("email", [f"a{NUL}@example.com", f"a{SURROGATE}@example.com"])
async def test_unstorable_sign_in_email_is_422_naming_email(client, email):
    response = await post_json(client, "/api/auth/sign-in", {"email": email, "password": "x" * 9})
    assert response.status_code == 422
    assert field_names(response) == ["body.email"]


async def test_unstorable_password_is_422_not_a_hashing_crash(client):
    response = await post_json(
        client, "/api/auth/sign-up", {"email": "p@example.com", "password": f"long{SURROGATE}pass"}
    )
    assert response.status_code == 422
    assert field_names(response) == ["body.password"]


async def test_offset_beyond_64_bits_is_422(client, sign_up):
    account = await sign_up()
    response = await client.get("/api/tasks", params={"offset": 2**70}, headers=account["headers"])
    assert response.status_code == 422
    assert field_names(response) == ["query.offset"]
    largest = await client.get(
        "/api/tasks", params={"offset": 2**63 - 1}, headers=account["headers"]
    )
    assert largest.status_code == 200
    assert largest.json()["items"] == []


@pytest.mark.parametrize(
    "path", ["/api/tasks/{nul}", "/api/{uid}/conversations/{nul}/messages", "/api/tasks?q={nul}"]
)
async def test_nul_in_ids_and_search_is_422(client, sign_up, path):
    account = await sign_up()
    url = path.format(nul="%00", uid=account["user"]["id"])
    response = await client.get(url, headers=account["headers"])
    assert response.status_code == 422
