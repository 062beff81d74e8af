"""The files that make the page installable: the manifest and the service worker with its shell."""

import json
import re

import pytest

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


async def test_the_manifest_names_the_app_its_icons_and_standalone_display(client):
    response = await client.get("/manifest.webmanifest")
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert (manifest["name"], manifest["display"], manifest["start_url"]) == (
        "tasklive",
        "standalone",
        "/",
    )
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        served = await client.get(icon["src"])
        assert served.status_code == 200 and served.headers["content-type"] == icon["type"]
    page = (await client.get("/")).text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page


async def test_the_service_worker_is_served_from_the_root_with_every_shell_file(client):
    response = await client.get("/sw.js")
    assert response.headers["content-type"].startswith("text/javascript")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", response.text).group(1))
    version = re.search(r'const VERSION = "(\w+)";', response.text).group(1)
    assert len(version) == 16
    assert "/" in shell and "/static/app.js" in shell and "/static/push.js" in shell
    assert "/static/vendor/marked.esm.js" in shell
    assert not any("swagger" in path for path in shell)
    for path in shell:
        assert (await client.get(path)).status_code == 200, path
