"""Tasks over REST: numbering, filters, search, pagination, updates and isolation."""

import asyncio

from tests.support.rest import add_task


async def test_create_numbers_tasks_per_user(client, sign_up):
    alice, bob = await sign_up(), await sign_up()
    first = await add_task(client, alice, "  buy milk  ", description="2 litres")
    second = await add_task(client, alice, "call mom")
    bobs = await add_task(client, bob, "bob's own")
    assert (first["number"], second["number"], bobs["number"]) == (1, 2, 1)
    assert first["title"] == "buy milk"
    assert first["description"] == "2 litres"
    assert first["completed"] is False
    assert set(first) == {
        "id",
        "number",
        "title",
        "description",
        "completed",
        "completed_at",
        "due",
        "priority",
        "labels",
        "list",
        "recurrence",
        "remind_at",
        "created_at",
        "updated_at",
    }
    assert (first["due"], first["priority"], first["labels"], first["list"]) == (
        None,
        None,
        [],
        None,
    )


async def test_title_and_description_limits(client, sign_up):
    account = await sign_up()
    for body in (
        {"title": "   "},
        {"title": "x" * 201},
        {"title": "ok", "description": "d" * 2001},
    ):
        response = await client.post("/api/tasks", json=body, headers=account["headers"])
        assert response.status_code == 422, body
        assert response.json()["error"]
    assert (await add_task(client, account, "x" * 200))["title"] == "x" * 200


async def test_list_filters_search_and_pages(client, sign_up):
    account = await sign_up()
    headers = account["headers"]
    tasks = [
        await add_task(client, account, title) for title in ("Buy milk", "Call mom", "Milk 50%")
    ]
    await client.patch(f"/api/tasks/{tasks[1]['id']}", json={"completed": True}, headers=headers)

    async def numbers(**params):
        response = await client.get("/api/tasks", params=params, headers=headers)
        assert response.status_code == 200
        return [t["number"] for t in response.json()["items"]], response.json()["total"]

    assert await numbers() == ([1, 2, 3], 3)
    assert await numbers(status="pending") == ([1, 3], 2)
    assert await numbers(status="completed") == ([2], 1)
    assert await numbers(q="MILK") == ([1, 3], 2)
    assert await numbers(q="50%") == ([3], 1)
    assert await numbers(limit=2, offset=1) == ([2, 3], 3)
    page = (await client.get("/api/tasks", params={"limit": 1}, headers=headers)).json()
    assert (page["limit"], page["offset"], page["total"]) == (1, 0, 3)
    bad = await client.get("/api/tasks", params={"status": "nope"}, headers=headers)
    assert bad.status_code == 422


async def test_update_complete_and_delete(client, sign_up):
    account = await sign_up()
    headers = account["headers"]
    task = await add_task(client, account, "draft")
    patched = await client.patch(
        f"/api/tasks/{task['id']}",
        json={"title": "final", "description": "notes", "completed": True},
        headers=headers,
    )
    assert patched.status_code == 200
    body = patched.json()
    assert (body["title"], body["description"], body["completed"]) == ("final", "notes", True)
    assert body["updated_at"] >= task["updated_at"]
    fetched = await client.get(f"/api/tasks/{task['id']}", headers=headers)
    assert fetched.json()["title"] == "final"
    assert (await client.delete(f"/api/tasks/{task['id']}", headers=headers)).status_code == 204
    assert (await client.get(f"/api/tasks/{task['id']}", headers=headers)).status_code == 404
    again = await add_task(client, account, "next")
    assert again["number"] == 2


async def test_other_users_tasks_answer_404_on_every_route(client, sign_up):
    owner, stranger = await sign_up(), await sign_up()
    task = await add_task(client, owner, "private")
    url = f"/api/tasks/{task['id']}"
    headers = stranger["headers"]
    missing = await client.get("/api/tasks/does-not-exist", headers=headers)
    responses = [
        await client.get(url, headers=headers),
        await client.patch(url, json={"completed": True}, headers=headers),
        await client.delete(url, headers=headers),
    ]
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert all(r.json() == missing.json() for r in responses)
    listing = await client.get("/api/tasks", headers=headers)
    assert listing.json()["total"] == 0
    still = await client.get(url, headers=owner["headers"])
    assert still.json()["completed"] is False


async def test_twenty_concurrent_creations_get_distinct_consecutive_numbers(client, sign_up):
    account = await sign_up()
    created = await asyncio.gather(*(add_task(client, account, f"t{i}") for i in range(20)))
    assert sorted(task["number"] for task in created) == list(range(1, 21))
