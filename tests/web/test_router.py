"""The page and its files are served at / and /static without shadowing the API."""

import re

from tasklive.realtime import events as ev
from tasklive.web.router import STATIC_DIR


async def test_index_is_the_page_with_a_strict_content_security_policy(client):
    response = await client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="/static/app.js">' in response.text
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_every_module_the_page_imports_is_served_as_javascript(client):
    modules = {"app.js"}
    pending = ["app.js"]
    while pending:
        name = pending.pop()
        response = await client.get(f"/static/{name}")
        assert response.status_code == 200, name
        assert "javascript" in response.headers["content-type"], name
        assert response.headers["cache-control"] == "no-cache"
        for imported in re.findall(r'from "\./([\w.]+)"', response.text):
            if imported not in modules:
                modules.add(imported)
                pending.append(imported)
    on_disk = {path.name for path in STATIC_DIR.glob("*.js")}
    assert modules == on_disk  # no dead module, none missing


async def test_stylesheet_and_icon_are_served(client):
    css = await client.get("/static/style.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "prefers-color-scheme: dark" in css.text
    icon = await client.get("/static/icon.svg")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg")


async def test_the_page_never_builds_html_from_strings():
    for path in STATIC_DIR.glob("*.js"):
        source = path.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in source, f"{path.name} uses {sink}"


async def test_api_routes_are_not_shadowed(client):
    assert (await client.get("/api/auth/session")).status_code == 401
    assert (await client.get("/healthz")).status_code == 200
    missing = await client.get("/static/nope.js")
    assert missing.status_code == 404
    unknown = await client.get("/no-such-page")
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "http_error"


async def test_the_page_knows_every_event_type_the_service_sends():
    source = (STATIC_DIR / "events.js").read_text()
    listed = source.split("export const EVENT_TYPES = [", 1)[1].split("];", 1)[0]
    assert set(re.findall(r'"(\w+)"', listed)) == set(ev.EVENT_TYPES) | {ev.CONNECTION_ESTABLISHED}
