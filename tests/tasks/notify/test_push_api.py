"""Subscribing a browser to Web Push: the key, the list, removal, and refused endpoints."""

import pytest

from tests.support.push_service import b64

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


async def test_a_browser_subscribes_lists_and_unsubscribes(client, sign_up, subscribe):
    account = await sign_up()
    key = (await client.get("/api/push/key")).json()
    assert len(key["public_key"]) == 87 and key["email"] is False  # 65 bytes, base64url

    created = await subscribe(account)
    assert created["credential"].startswith("tlw_")
    listed = (await client.get("/api/push/subscriptions", headers=account["headers"])).json()
    assert [s["id"] for s in listed] == [created["id"]]
    assert "credential" not in listed[0] and listed[0]["endpoint"] == created["endpoint"]

    other = await sign_up()
    foreign = await client.delete(
        f"/api/push/subscriptions/{created['id']}", headers=other["headers"]
    )
    assert foreign.status_code == 404
    gone = await client.delete(
        f"/api/push/subscriptions/{created['id']}", headers=account["headers"]
    )
    assert gone.status_code == 204
    assert (await client.get("/api/push/subscriptions", headers=account["headers"])).json() == []


async def test_the_same_browser_again_replaces_its_subscription(client, sign_up, recorder):
    first, second = await sign_up(), await sign_up()
    body = recorder.subscribe()
    for account in (first, second):
        response = await client.post(
            "/api/push/subscriptions", json=body, headers=account["headers"]
        )
        assert response.status_code == 201
    assert (await client.get("/api/push/subscriptions", headers=first["headers"])).json() == []
    assert len((await client.get("/api/push/subscriptions", headers=second["headers"])).json()) == 1


async def test_without_mail_settings_e_mail_is_not_offered(client, sign_up):
    account = await sign_up()
    assert (await client.get("/api/push/key")).json()["email"] is False
    me = (await client.get("/api/auth/me", headers=account["headers"])).json()
    assert me["reminder_channel"] == "push"
    refused = await client.patch(
        "/api/auth/me", json={"reminder_channel": "email"}, headers=account["headers"]
    )
    assert refused.status_code == 422 and "e-mail" in refused.json()["error"]


async def test_a_key_that_is_not_a_p256_point_is_refused_when_subscribing(
    client, sign_up, recorder
):
    account = await sign_up()
    body = recorder.subscribe()
    body["keys"]["p256dh"] = b64(b"\x04" + b"\x01" * 64)  # 65 bytes, 0x04, but off the curve
    refused = await client.post("/api/push/subscriptions", json=body, headers=account["headers"])
    assert refused.status_code == 422
    assert "P-256" in refused.json()["error"]
    assert (await client.get("/api/push/subscriptions", headers=account["headers"])).json() == []


async def test_signing_out_drops_the_subscription_that_sign_in_made(
    client, sign_up, subscribe, due_task
):
    laptop = await sign_up()
    body = {"email": laptop["user"]["email"], "password": laptop["password"]}
    signed_in = (await client.post("/api/auth/sign-in", json=body)).json()
    client.cookies.clear()
    phone = {**laptop, "headers": {"Authorization": f"Bearer {signed_in['access_token']}"}}
    on_laptop, on_phone = await subscribe(laptop), await subscribe(phone)
    task = await due_task(phone)

    out = await client.post("/api/auth/sign-out", headers=laptop["headers"])
    assert out.status_code == 204
    listed = (await client.get("/api/push/subscriptions", headers=phone["headers"])).json()
    assert [s["id"] for s in listed] == [on_phone["id"]]
    worker = {"Authorization": f"Bearer {on_laptop['credential']}"}
    done = await client.post(f"/api/push/actions/{task['id']}/done", headers=worker)
    assert done.status_code == 401
