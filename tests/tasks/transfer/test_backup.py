"""tasklive's own JSON export restores an account: delete it, sign up again, import, all back."""

import json

from tasklive.tasks.transfer import exporter
from tests.tasks.transfer.helpers import all_tasks, exported, imported


async def account_state(client, user):
    uid, headers = user["user"]["id"], user["headers"]
    conversations = (await client.get(f"/api/{uid}/conversations", headers=headers)).json()
    talks = []
    for conversation in conversations:
        path = f"/api/{uid}/conversations/{conversation['id']}/messages"
        messages = (await client.get(path, headers=headers)).json()
        talks.append((conversation, [{**m, "id": None} for m in messages]))
    activity = (await client.get("/api/activity", headers=headers)).json()["items"]
    return await all_tasks(client, headers), talks, activity


async def test_export_delete_sign_up_import_brings_the_account_back(client, sign_up):
    user = await sign_up("restore@example.com")
    uid, headers = user["user"]["id"], user["headers"]
    bodies = [
        {"title": "Buy milk", "due": "2026-12-20", "priority": 1, "labels": ["errands"],
         "list": "Groceries"},
        {"title": "Stand-up", "due": "2026-12-14T09:30:00+01:00", "recurrence":
         "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "list": "Work", "remind_at":
         "2026-12-14T09:20:00+01:00"},
        {"title": "Throw away", "description": "gone soon"},
        {"title": "Water plants", "labels": ["home", "weekly"], "priority": 3},
    ]  # fmt: skip
    created = [
        (await client.post("/api/tasks", json=body, headers=headers)).json() for body in bodies
    ]
    await client.delete(f"/api/tasks/{created[2]['id']}", headers=headers)
    await client.patch(f"/api/tasks/{created[3]['id']}", json={"completed": True}, headers=headers)
    said = await client.post(f"/api/{uid}/chat", json={"message": "add call mum"}, headers=headers)
    assert said.status_code == 200
    before = await account_state(client, user)
    assert [task["number"] for task in before[0]] == [1, 2, 4, 5]

    backup = await exported(client, headers, "json")
    document = json.loads(backup)
    assert document["format"] == "tasklive" and document["version"] == 1
    assert document["lists"] == ["Groceries", "Work"]
    assert set(document["labels"]) == {"errands", "home", "weekly"}
    assert len(document["conversations"][0]["messages"]) == 2

    gone = await client.request(
        "DELETE", "/api/auth/me", json={"password": user["password"]}, headers=headers
    )
    assert gone.status_code == 204
    again = await sign_up("restore@example.com")
    dry = await imported(client, again["headers"], "json", "backup.json", backup, dry_run=True)
    report = await imported(client, again["headers"], "json", "backup.json", backup)
    assert dry == report
    assert (report["created"], report["updated"], report["skipped"], report["errors"]) == (
        4, 0, 0, [],
    )  # fmt: skip
    after = await account_state(client, again)
    assert after == before  # the same tasks (ids, numbers too), conversations and activity

    twice = await imported(client, again["headers"], "json", "backup.json", backup)
    assert (twice["created"], twice["updated"], twice["skipped"]) == (0, 0, 4)
    assert await account_state(client, again) == before
    new = await client.post("/api/tasks", json={"title": "next"}, headers=again["headers"])
    assert new.json()["number"] == 6  # numbers are never given out twice


async def test_a_backup_restored_beside_other_tasks_renumbers_and_its_changes_still_undo(
    client, sign_up
):
    owner, other = await sign_up(), await sign_up()
    for title in ("theirs 1", "theirs 2"):
        await client.post("/api/tasks", json={"title": title}, headers=other["headers"])
    task = (
        await client.post("/api/tasks", json={"title": "Water plants"}, headers=owner["headers"])
    ).json()
    await client.patch(
        f"/api/tasks/{task['id']}", json={"completed": True}, headers=owner["headers"]
    )
    backup = await exported(client, owner["headers"], "json")

    report = await imported(client, other["headers"], "json", "backup.json", backup)
    assert report["created"] == 1
    restored = (await all_tasks(client, other["headers"]))[2]
    assert restored["title"] == "Water plants" and restored["completed"]
    assert restored["number"] == 3 and restored["id"] != task["id"]  # both were taken

    undone = await client.post("/api/activity/undo", headers=other["headers"])
    assert undone.status_code == 200, undone.text
    assert [t["number"] for t in undone.json()["tasks"]] == [3]
    after = await all_tasks(client, other["headers"])
    assert [(t["number"], t["title"], t["completed"]) for t in after] == [
        (1, "theirs 1", False),
        (2, "theirs 2", False),
        (3, "Water plants", False),
    ]
    mine = await all_tasks(client, owner["headers"])
    assert [(t["title"], t["completed"]) for t in mine] == [("Water plants", True)]


async def test_a_backup_with_unstorable_characters_in_a_conversation_still_restores(
    client, sign_up
):
    user = await sign_up()
    uid, headers = user["user"]["id"], user["headers"]
    message = {
        "id": "m1",
        "role": "user",
        "content": "hi\u0000 there\ud800",
        "details": {"note": "a\u0000b"},
        "created_at": "2026-12-01T10:00:00+00:00",
    }
    backup = json.dumps({"format": "tasklive", "version": 1, "tasks": [], "conversations": [
        {"id": "c1", "title": "t\u0000", "messages": [message]}]})  # fmt: skip
    report = await imported(client, headers, "json", "backup.json", backup.encode())
    assert report["errors"] == []
    [conversation] = (await client.get(f"/api/{uid}/conversations", headers=headers)).json()
    assert conversation["title"] == "t\ufffd"
    path = f"/api/{uid}/conversations/{conversation['id']}/messages"
    [stored] = (await client.get(path, headers=headers)).json()
    assert stored["content"].startswith("hi\ufffd there")  # the parser may mend the surrogate


async def test_an_export_longer_than_a_page_holds_every_task_and_record_once(
    client, sign_up, monkeypatch
):
    monkeypatch.setattr(exporter, "PAGE", 2)
    headers = (await sign_up())["headers"]
    for title in ("a", "b", "c", "d", "e"):
        await client.post("/api/tasks", json={"title": title}, headers=headers)
    document = json.loads(await exported(client, headers, "json"))
    assert [task["title"] for task in document["tasks"]] == ["a", "b", "c", "d", "e"]
    assert [record["args"]["title"] for record in document["activity"]] == ["a", "b", "c", "d", "e"]
