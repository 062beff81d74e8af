"""The `caldav` client library (3.x) against a real `tasklive serve`: what a phone app does."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from caldav.lib import error

import caldav

pytestmark = pytest.mark.slow
BERLIN = ZoneInfo("Europe/Berlin")


def connect(device) -> caldav.DAVClient:
    """A client given only the bare server URL, as a person would type it."""
    return caldav.DAVClient(url=device.base, username=device.email, password=device.app_password)


def calendars(device) -> dict[str, caldav.Calendar]:
    with connect(device) as client:
        return {c.get_display_name(): c for c in client.principal().calendars()}


def test_discovery_from_the_bare_url_lists_one_vtodo_calendar_per_list(device, server):
    me = device()
    me.add(title="milk", list="Groceries")
    me.add(title="call mum")
    found = calendars(me)
    assert set(found) == {"Tasks", "Groceries"}
    for calendar in found.values():
        assert calendar.get_supported_components() == ["VTODO"]
    redirect = httpx.request("PROPFIND", f"{server.url}/.well-known/caldav")
    assert redirect.status_code == 301 and redirect.headers["location"] == "/caldav/"
    [milk] = found["Groceries"].todos(include_completed=True)
    assert str(milk.icalendar_component["SUMMARY"]) == "milk"


def test_a_saved_todo_is_a_task_and_completed_ones_are_listed_on_request(device):
    me = device()
    me.add(title="seed", list="Home")
    home = calendars(me)["Home"]
    home.save_todo(
        summary="Fix the tap",
        description="kitchen",
        due=datetime(2026, 12, 20, 18, 0, tzinfo=BERLIN),
        priority=2,
        categories=["DIY", "Home"],
    )
    [task] = [t for t in me.tasks() if t["title"] == "Fix the tap"]
    assert task["list"] == "Home" and task["priority"] == 2
    assert task["labels"] == ["diy", "home"] and task["description"] == "kitchen"
    assert task["due"] == "2026-12-20T18:00:00+01:00"
    httpx.patch(f"{me.base}/api/tasks/{task['id']}", json={"completed": True}, headers=me.headers)
    pending = {str(t.icalendar_component["SUMMARY"]) for t in home.todos()}
    everything = {str(t.icalendar_component["SUMMARY"]) for t in home.todos(include_completed=True)}
    assert pending == {"seed"} and everything == {"seed", "Fix the tap"}


def test_completing_a_weekly_task_advances_its_due(device):
    me = device()
    inbox = calendars(me)["Tasks"]
    start = datetime(2026, 12, 7, 9, 0)
    todo = inbox.save_todo(
        summary="Water plants",
        dtstart=start,
        due=start + timedelta(hours=1),
        rrule={"FREQ": "WEEKLY"},
    )
    # Without BY* parts the library starts the next one a week after the completion time: done
    # at a fixed moment (not "now", which after 23:00 Berlin or on another day moves the weekday)
    done_at = (start + timedelta(minutes=30)).replace(tzinfo=UTC)
    todo.complete(completion_timestamp=done_at, handle_rrule=True)
    tasks = {(t["title"], t["completed"]): t for t in me.tasks()}
    assert set(tasks) == {("Water plants", True), ("Water plants", False)}
    following = tasks["Water plants", False]
    assert following["recurrence"] == "FREQ=WEEKLY"
    assert datetime.fromisoformat(following["due"]).date() > date(2026, 12, 7)
    assert datetime.fromisoformat(following["due"]).weekday() == 0


def test_sync_tokens_see_a_chat_change_and_a_rest_delete(device):
    me = device()
    doomed = me.add(title="old errand")
    inbox = calendars(me)["Tasks"]
    synced = inbox.objects_by_sync_token(load_objects=True)
    assert {str(o.icalendar_component["SUMMARY"]) for o in synced} == {"old errand"}
    chat = httpx.post(
        f"{me.base}/api/{me.user_id}/chat",
        json={"message": "Add a task to buy milk"},
        headers=me.headers,
        timeout=60,
    )
    assert chat.status_code == 200, chat.text
    httpx.delete(f"{me.base}/api/tasks/{doomed['id']}", headers=me.headers)
    updated, deleted = synced.sync()
    assert [str(o.icalendar_component["SUMMARY"]) for o in updated] == ["buy milk"]
    assert [str(o.url).rsplit("/", 1)[1] for o in deleted] == [f"{doomed['id']}.ics"]
    assert synced.sync() == ([], [])


def test_an_edit_from_an_outdated_copy_is_refused_with_412(device):
    me = device()
    task = me.add(title="book flights")
    [todo] = calendars(me)["Tasks"].todos()
    httpx.patch(
        f"{me.base}/api/tasks/{task['id']}", json={"title": "book trains"}, headers=me.headers
    )
    todo.icalendar_component["SUMMARY"] = "book ferries"
    with pytest.raises(error.DAVError) as raised:
        todo.save()
    assert "412" in str(raised.value)
    assert [t["title"] for t in me.tasks()] == ["book trains"]


def test_deleting_a_list_in_the_app_removes_it_and_its_tasks_until_undone(device):
    me = device()
    me.add(title="milk", list="Groceries")
    me.add(title="eggs", list="Groceries")
    me.add(title="call mum")
    found = calendars(me)
    found["Groceries"].delete()
    assert [t["title"] for t in me.tasks()] == ["call mum"]
    assert set(calendars(me)) == {"Tasks"}
    with pytest.raises(error.AuthorizationError):  # 403
        found["Tasks"].delete()
    assert [t["title"] for t in me.tasks()] == ["call mum"]
    undo = httpx.post(f"{me.base}/api/activity/undo", headers=me.headers)
    assert undo.json()["undone"]["summary"] == "Deleted list Groceries and its 2 tasks"
    assert {(t["title"], t["list"]) for t in me.tasks()} == {
        ("milk", "Groceries"),
        ("eggs", "Groceries"),
        ("call mum", None),
    }
    assert set(calendars(me)) == {"Tasks", "Groceries"}
