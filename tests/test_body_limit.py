"""Request bodies over their limit are refused with a 413 that says the limit, as they are read."""

import io
from collections.abc import AsyncIterator
from typing import Any

import pytest
from rich.console import Console

from tasklive.errors import TaskliveError
from tasklive.terminal.transfer import run_import
from tests.support.live import serving
from tests.tasks.transfer.helpers import all_tasks, imported

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
TOO_LARGE = {"error": "The request body is too large: the most is 2 KiB.", "code": "too_large"}


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"max_request_bytes": 2048, "max_import_bytes": 8192}


async def _chunks(body: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(body), 512):
        yield body[start : start + 512]


async def test_a_json_body_over_the_limit_is_a_413_saying_the_limit(client, sign_up):
    user = await sign_up()
    title = "x" * 3000
    declared = await client.post("/api/tasks", json={"title": title}, headers=user["headers"])
    assert (declared.status_code, declared.json()) == (413, TOO_LARGE)
    body = f'{{"title": "{title}"}}'.encode()
    headers = {**user["headers"], "Content-Type": "application/json"}
    chunked = await client.post("/api/tasks", content=_chunks(body), headers=headers)
    assert "content-length" not in chunked.request.headers
    assert (chunked.status_code, chunked.json()) == (413, TOO_LARGE)
    small = await client.post("/api/tasks", content=_chunks(b'{"title": "ok"}'), headers=headers)
    assert small.status_code == 201
    assert [task["title"] for task in await all_tasks(client, user["headers"])] == ["ok"]


async def test_an_import_has_its_own_larger_limit(client, sign_up):
    user = await sign_up()
    rows = "TYPE,CONTENT\n" + "task,a task with a long enough title\n" * 150  # about 5 KiB
    report = await imported(client, user["headers"], "todoist", "t.csv", rows.encode())
    assert report["created"] == 150
    answer = await imported(
        client, user["headers"], "todoist", "t.csv", (rows * 2).encode(), status=413
    )
    error = "The file is too large to import: the most is 8 KiB."
    assert answer == {"error": error, "code": "too_large"}


async def test_a_client_still_sending_a_large_file_reads_the_413(app, sign_up, tmp_path):
    user = await sign_up()
    big = tmp_path / "big.csv"
    big.write_bytes(b"TYPE,CONTENT\n" + b"task,a task with a long enough title\n" * 500_000)
    console = Console(file=io.StringIO())
    async with serving(app) as url:  # a real server: it drains what it refuses, then answers
        with pytest.raises(TaskliveError) as refused:
            await run_import(url, user["access_token"], big, "todoist", True, console)
    assert refused.value.message == "The file is too large to import: the most is 8 KiB."
