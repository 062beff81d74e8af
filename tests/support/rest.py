"""What many tests do through the REST API: add a task, read the list back."""

from typing import Any

import httpx


async def add_task(
    client: httpx.AsyncClient, account: dict[str, Any], title: str = "t", **fields: Any
) -> dict[str, Any]:
    """POST /api/tasks as `account` (checked to be created); returns the task."""
    response = await client.post(
        "/api/tasks", json={"title": title, **fields}, headers=account["headers"]
    )
    assert response.status_code == 201, response.text
    task: dict[str, Any] = response.json()
    return task


async def task_rows(
    client: httpx.AsyncClient, account: dict[str, Any], status: str = "all"
) -> list[tuple[int, str, bool]]:
    """The account's tasks as (number, title, completed)."""
    response = await client.get("/api/tasks", params={"status": status}, headers=account["headers"])
    return [(t["number"], t["title"], t["completed"]) for t in response.json()["items"]]
