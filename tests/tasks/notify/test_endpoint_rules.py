"""A push endpoint is a URL a user hands the server: only public https hosts are accepted."""

from typing import Any

import pytest

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

KEYS = {
    "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1Xbj"
    "hazAkj7I99e8QcYP7DkM",
    "auth": "tBHItJI5svbpez7KI4CCXg",
}


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {}  # push_allow_http off: the real rules


@pytest.mark.parametrize(
    ("endpoint", "says"),
    [
        ("http://push.example.com/x", "https"),
        ("https://127.0.0.1/x", "loopback, private or link-local"),
        ("https://localhost:8443/x", "loopback, private or link-local"),
        ("https://10.1.2.3/x", "loopback, private or link-local"),
        ("https://169.254.169.254/latest/meta-data", "loopback, private or link-local"),
        ("https://[::1]/x", "loopback, private or link-local"),
        ("https://[::ffff:192.168.0.1]/x", "loopback, private or link-local"),
        ("https://user:pw@push.example.com/x", "without credentials"),
        ("file:///etc/passwd", "https"),
        ("https://push.example.com/a\x00b", "NUL"),
    ],
)
async def test_an_endpoint_that_is_not_public_https_is_refused(client, sign_up, endpoint, says):
    account = await sign_up()
    body = {"endpoint": endpoint, "keys": KEYS}
    response = await client.post("/api/push/subscriptions", json=body, headers=account["headers"])
    assert response.status_code == 422, response.text
    assert says in response.json()["error"]


async def test_bad_keys_are_refused_naming_the_field(client, sign_up):
    account = await sign_up()
    body = {"endpoint": "https://push.example.com/x", "keys": {**KEYS, "auth": "c2hvcnQ"}}
    response = await client.post("/api/push/subscriptions", json=body, headers=account["headers"])
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "body.keys.auth"
