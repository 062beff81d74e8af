"""A backup with ids, numbers or records the database cannot hold is reported, never a 500,
and an import that fails part-way changes nothing."""

import json

import pytest

from tests.tasks.transfer.helpers import all_tasks, exported, imported

LONG = "x" * 40


def backup(**sections):
    return json.dumps({"format": "tasklive", "version": 1, **sections}).encode()


def talk(cid, *message_ids, run_id=None):
    messages = [
        {"id": m, "role": "user", "content": f"said {m}", "run_id": run_id} for m in message_ids
    ]
    return {"id": cid, "title": f"about {cid}", "messages": messages}


async def conversations(client, user):
    uid, headers = user["user"]["id"], user["headers"]
    found = []
    for conversation in (await client.get(f"/api/{uid}/conversations", headers=headers)).json():
        path = f"/api/{uid}/conversations/{conversation['id']}/messages"
        said = [m["content"] for m in (await client.get(path, headers=headers)).json()]
        found.append((conversation["title"], said))
    return sorted(found)


async def test_ids_over_32_characters_restore_and_restore_once(client, sign_up):
    user = await sign_up()
    created = {"before": None, "after": {"id": LONG, "number": 1, "title": "Long id"}}
    record = {"id": LONG + "r", "tool": "create_task", "ok": True, "outcome": "Created #1",
              "run_id": LONG, "changes": [created]}  # fmt: skip
    data = backup(
        tasks=[{"id": LONG, "uid": "t1", "number": 1, "title": "Long id"}],
        conversations=[talk(LONG + "c", LONG + "m", run_id=LONG)],
        activity=[record],
    )
    for _ in range(2):  # the second time finds what the first made
        report = await imported(client, user["headers"], "json", "backup.json", data)
    assert report["errors"] == [] and report["skipped"] == 1
    [task] = await all_tasks(client, user["headers"])
    assert (task["number"], task["title"]) == (1, "Long id") and len(task["id"]) <= 32
    assert await conversations(client, user) == [(f"about {LONG}c", [f"said {LONG}m"])]
    activity = (await client.get("/api/activity", headers=user["headers"])).json()["items"]
    assert [item["summary"] for item in activity].count("Created #1") == 1
    undone = await client.post("/api/activity/undo", headers=user["headers"])
    assert undone.status_code == 200 and await all_tasks(client, user["headers"]) == []


async def test_a_conversation_or_message_twice_in_one_file_is_kept_once(client, sign_up):
    user = await sign_up()
    data = backup(tasks=[], conversations=[talk("c1", "m1", "m1"), talk("c2", "m2"), talk("c1")])
    for dry_run in (True, False):
        report = await imported(client, user["headers"], "json", "b.json", data, dry_run=dry_run)
        assert [(e["item"], e["reason"]) for e in report["errors"]] == [
            ("conversations item 1", "message 2 repeats an earlier message's id; left out"),
            ("conversations item 3", "the same conversation as conversations item 1; left out"),
        ]
    assert await conversations(client, user) == [
        ("about c1", ["said m1"]),
        ("about c2", ["said m2"]),
    ]


async def test_numbers_past_what_the_database_holds_are_reported_and_renumbered(client, sign_up):
    user = await sign_up()
    data = json.dumps({"format": "tasklive", "version": 1, "user": {"last_task_number": 2**31},
        "tasks": [{"id": "a", "number": 2**31, "title": "Huge"},
                  {"id": "b", "number": 7, "title": "Seven"}]}).encode()  # fmt: skip
    report = await imported(client, user["headers"], "json", "b.json", data)
    assert report["created"] == 2
    assert [(e["item"], e["reason"]) for e in report["errors"]] == [
        ("user", "last_task_number 2147483648 is not 1 to 1,000,000,000; left out"),
        ("tasks item 1", "number 2147483648 is not 1 to 1,000,000,000; it gets the next number"),
    ]
    assert [(t["number"], t["title"]) for t in await all_tasks(client, user["headers"])] == [
        (7, "Seven"),
        (8, "Huge"),
    ]
    new = await client.post("/api/tasks", json={"title": "next"}, headers=user["headers"])
    assert new.json()["number"] == 9


async def test_an_import_that_fails_part_way_changes_nothing(client, sign_up, monkeypatch):
    user = await sign_up()
    tasks = [{"id": f"t{n}", "number": n, "title": f"Task {n}"} for n in range(1, 1201)]
    data = backup(tasks=tasks, conversations=[talk("c1", "m1")])

    async def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("tasklive.tasks.transfer_router.restore_conversations", broken)
    with pytest.raises(RuntimeError):
        await imported(client, user["headers"], "json", "b.json", data)
    assert await all_tasks(client, user["headers"]) == []
    new = await client.post("/api/tasks", json={"title": "first"}, headers=user["headers"])
    assert new.json()["number"] == 1


DAMAGED = [
    [{"before": {"id": "t9", "number": 9, "title": None}, "after": None}],
    [{"before": {"id": "t9", "number": 9, "title": "x", "labels": "home"}, "after": None}],
    ["not an entry"],
    [{"before": None, "after": None}],
]


async def test_a_record_whose_change_cannot_be_undone_is_left_out_and_undo_works(client, sign_up):
    user = await sign_up()
    records = [
        {"id": f"r{n}", "tool": "delete_task", "ok": True, "outcome": f"Deleted {n}",
         "changes": changes, "created_at": "2999-01-01T00:00:00+00:00"}
        for n, changes in enumerate(DAMAGED, 1)
    ]  # fmt: skip
    report = await imported(client, user["headers"], "json", "b.json", backup(activity=records))
    assert [e["item"] for e in report["errors"]] == [f"activity item {n}" for n in (1, 2, 3, 4)]
    assert "cannot be undone" in report["errors"][0]["reason"]
    await client.post("/api/tasks", json={"title": "mine"}, headers=user["headers"])
    undone = await client.post("/api/activity/undo", headers=user["headers"])
    assert undone.status_code == 200, undone.text
    assert undone.json()["undone"]["summary"] == "Created #1: mine"


async def test_undoing_a_restored_delete_whose_number_was_taken_gives_it_a_new_one(client, sign_up):
    owner, other = await sign_up(), await sign_up()
    await client.post("/api/tasks", json={"title": "Theirs"}, headers=other["headers"])
    gone = await client.post("/api/tasks", json={"title": "Gone"}, headers=owner["headers"])
    await client.delete(f"/api/tasks/{gone.json()['id']}", headers=owner["headers"])
    data = await exported(client, owner["headers"], "json")
    await imported(client, other["headers"], "json", "b.json", data)

    undone = await client.post("/api/activity/undo", headers=other["headers"])
    assert undone.status_code == 200, undone.text
    assert [(t["number"], t["title"]) for t in await all_tasks(client, other["headers"])] == [
        (1, "Theirs"),
        (2, "Gone"),
    ]


async def test_a_nul_in_a_task_id_or_list_is_reported_not_a_500(client, sign_up):
    user = await sign_up()
    tasks = [
        {"id": "a\u0000", "title": "NUL id"},
        {"id": "b", "uid": "u\u0000", "title": "NUL uid"},
        {"id": "c", "title": "NUL list", "list": "l\u0000"},
        {"id": "d", "title": "Fine"},
    ]
    report = await imported(client, user["headers"], "json", "b.json", backup(tasks=tasks))
    assert report["created"] == 1
    assert {(e["item"], e["reason"]) for e in report["errors"]} == {
        (f"tasks item {n}", "it contains a NUL character") for n in (1, 2, 3)
    }
