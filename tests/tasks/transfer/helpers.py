"""Uploading a file to the import endpoint and reading every task back."""

from typing import Any

import httpx


async def imported(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    format: str,
    name: str,
    data: bytes,
    *,
    dry_run: bool = False,
    status: int = 200,
) -> dict[str, Any]:
    """The import's answer, checked to have `status`."""
    answer = await client.post(
        "/api/import",
        params={"format": format, "dry_run": str(dry_run).lower()},
        files={"file": (name, data)},
        headers=headers,
    )
    assert answer.status_code == status, answer.text
    return answer.json()


async def all_tasks(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    """Every task of the account in number order."""
    page = await client.get("/api/tasks", params={"limit": 200}, headers=headers)
    assert page.status_code == 200
    return sorted(page.json()["items"], key=lambda task: task["number"])


async def exported(client: httpx.AsyncClient, headers: dict[str, str], format: str) -> bytes:
    answer = await client.get("/api/export", params={"format": format}, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-disposition"].startswith("attachment;")
    return answer.content
