"""What a syncing client is told: a zone change, DAV:limit paging, repeating to-dos' instances."""

import re
from datetime import datetime, timedelta

import httpx
import pytest

pytestmark = pytest.mark.slow

SYNC = (
    '<d:sync-collection xmlns:d="DAV:"><d:sync-token>{token}</d:sync-token>'
    "<d:sync-level>1</d:sync-level>{limit}<d:prop><d:getetag/></d:prop></d:sync-collection>"
)
FLOATING = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//EN\r
BEGIN:VTODO\r
UID:{uid}\r
DTSTAMP:20261201T100000Z\r
SUMMARY:{uid}\r
{due}\r
END:VTODO\r
END:VCALENDAR\r
"""


def inbox(device) -> str:
    return f"/caldav/{device.user_id}/tasks/"


def sync(device, token: str = "", limit: int | None = None) -> tuple[dict[str, str], str]:
    """One sync-collection REPORT: each reported href with its ETag ("" when gone), the token."""
    bound = f"<d:limit><d:nresults>{limit}</d:nresults></d:limit>" if limit else ""
    answer = device.dav("REPORT", inbox(device), SYNC.format(token=token, limit=bound))
    assert answer.status_code == 207, answer.text
    found = {}
    for response in re.findall(r"<d:response>(.*?)</d:response>", answer.text, re.S):
        href = re.search(r"<d:href>(.*?)</d:href>", response).group(1)
        etag = re.search(r"<d:getetag>(.*?)</d:getetag>", response)
        found[href] = etag.group(1).replace("&quot;", '"') if etag else ""
    return found, re.search(r"<d:sync-token>(.*?)</d:sync-token>", answer.text).group(1)


def test_a_zone_change_moves_exactly_the_to_dos_whose_calendar_data_it_changes(device):
    me = device()
    me.add(title="timed", due="2026-12-10T18:00:00+01:00")
    me.add(title="all-day", due="2026-12-10")
    me.add(title="someday")
    me.add(title="reminded", remind_at="2026-12-09T08:00:00+01:00")  # its alarm is in UTC
    for uid, due in (("floating", "DUE:20261210T180000"), ("day", "DUE;VALUE=DATE:20261211")):
        put = me.dav("PUT", f"{inbox(me)}{uid}.ics", FLOATING.format(uid=uid, due=due))
        assert put.status_code == 201, put.text
    listed, token = sync(me)
    before = {href: me.dav("GET", href) for href in listed}

    def zone(name: str) -> None:
        body = {"timezone": name}
        assert httpx.patch(f"{me.base}/api/auth/me", json=body, headers=me.headers).is_success

    zone("Europe/Berlin")  # the same zone: nothing moves
    assert sync(me, token) == ({}, token)
    zone("America/New_York")
    after = {href: me.dav("GET", href) for href in listed}
    moved = {href for href in listed if after[href].text != before[href].text}
    assert {before[href].text.split("SUMMARY:")[1].split("\r")[0] for href in moved} == {
        "timed",
        "floating",
    }
    assert "TZID=America/New_York:20261210T120000" in after[next(iter(moved))].text
    for href in listed:
        assert (after[href].headers["ETag"] != before[href].headers["ETag"]) == (href in moved)
    changed, new_token = sync(me, token)
    assert new_token != token and changed == {h: after[h].headers["ETag"] for h in moved}


def test_a_limited_sync_comes_in_pages_that_together_miss_no_change(device):
    me = device()
    ids = [me.add(title=f"t{n}", due=f"2026-12-1{n}T09:00:00+01:00")["id"] for n in range(5)]
    href = {task_id: f"{inbox(me)}{task_id}.ics" for task_id in ids}
    first, token = sync(me, limit=2)
    assert len(first) == 3 and first.pop(inbox(me)) == ""  # two members and the 507 marker
    httpx.patch(f"{me.base}/api/tasks/{ids[0]}", json={"title": "edited"}, headers=me.headers)
    pages = [first]
    while inbox(me) in pages[-1] or len(pages) == 1:
        page, token = sync(me, token, limit=2)
        pages.append(page)
    assert [len(page) for page in pages] == [2, 3, 1]  # two members and the marker, ...
    assert {h for page in pages for h in page} - {inbox(me)} == set(href.values())
    edit, token = sync(me, token, limit=2)  # made while paging: the next sync has it
    assert list(edit) == [href[ids[0]]]
    # a zone change is one change number touching all five: it still comes two at a time
    body = {"timezone": "Asia/Tokyo"}
    httpx.patch(f"{me.base}/api/auth/me", json=body, headers=me.headers)
    pages = []
    while not pages or inbox(me) in pages[-1]:
        page, token = sync(me, token, limit=2)
        pages.append(page)
    assert [len(page) for page in pages] == [3, 3, 1]
    assert {h for page in pages for h in page} - {inbox(me)} == set(href.values())
    assert sync(me, token, limit=2) == ({}, token)


def test_the_caldav_client_follows_a_limited_sync_to_the_end(device, monkeypatch):
    from caldav.base_client import BaseDAVClient

    import caldav

    build = BaseDAVClient._build_sync_collection_body

    def limited(*args, **kwargs) -> bytes:
        limit = b"<D:limit><D:nresults>2</D:nresults></D:limit>"
        return build(*args, **kwargs).replace(b"</D:sync-level>", b"</D:sync-level>" + limit)

    monkeypatch.setattr(BaseDAVClient, "_build_sync_collection_body", staticmethod(limited))
    me = device()
    for n in range(5):
        me.add(title=f"errand {n}")
    with caldav.DAVClient(url=me.base, username=me.email, password=me.app_password) as client:
        [inbox_calendar] = client.principal().calendars()
        synced = inbox_calendar.objects_by_sync_token(load_objects=True)
        titles = {str(o.icalendar_component["SUMMARY"]) for o in synced}
        assert titles == {f"errand {n}" for n in range(5)}
        me.add(title="errand 5")
        updated, deleted = synced.sync()
    assert [str(o.icalendar_component["SUMMARY"]) for o in updated] == ["errand 5"]
    assert deleted == []


def test_calendar_query_honours_dav_limit(device):
    me = device()
    for n in range(4):
        me.add(title=f"q{n}")
    query = (
        '<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
        '<d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR">'
        '<c:comp-filter name="VTODO"/></c:comp-filter></c:filter>'
        "<d:limit><d:nresults>3</d:nresults></d:limit></c:calendar-query>"
    )
    answer = me.dav("REPORT", inbox(me), query, Depth="1")
    assert answer.status_code == 207 and answer.text.count("<d:getetag>") == 3
    assert "507 Insufficient Storage" in answer.text
    assert "number-of-matches-within-limits" in answer.text
    unlimited = me.dav("REPORT", inbox(me), query.replace("3</d:nresults>", "4</d:nresults>"))
    assert (
        unlimited.text.count("<d:getetag>") == 4
        and "507 Insufficient Storage" not in unlimited.text
    )
    bad = me.dav("REPORT", inbox(me), query.replace("3</d:nresults>", "0</d:nresults>"))
    assert bad.status_code == 400


def test_completing_this_occurrence_as_an_instance_completes_it_and_advances_the_repeat(device):
    import caldav

    me = device()
    with caldav.DAVClient(url=me.base, username=me.email, password=me.app_password) as client:
        [inbox_calendar] = client.principal().calendars()
        start = datetime(2026, 12, 7, 19, 0)
        todo = inbox_calendar.save_todo(
            summary="Bins", dtstart=start, due=start + timedelta(hours=1), rrule={"FREQ": "WEEKLY"}
        )
        todo.complete(handle_rrule=True, rrule_mode="thisandfuture")  # RECURRENCE-ID overrides
        todo.load()
    done, following = sorted(me.tasks(), key=lambda t: t["number"])
    assert (done["completed"], following["completed"]) == (True, False)
    week = datetime.fromisoformat(following["due"]) - datetime.fromisoformat(done["due"])
    assert week == timedelta(days=7)
    assert following["recurrence"] == "FREQ=WEEKLY"
    assert "RECURRENCE-ID" not in todo.data and "STATUS:COMPLETED" in todo.data
    undo = httpx.post(f"{me.base}/api/activity/undo", headers=me.headers)
    assert [t["completed"] for t in undo.json()["tasks"]] == [False]
    assert [t["title"] for t in me.tasks()] == ["Bins"]


def test_an_edit_of_one_other_occurrence_is_refused_and_changes_nothing(device):
    me = device()
    series = FLOATING.format(uid="yoga", due="DUE:20261207T180000\r\nRRULE:FREQ=WEEKLY")
    path = f"{inbox(me)}yoga.ics"
    assert me.dav("PUT", path, series).status_code == 201
    moved = series.replace(
        "END:VCALENDAR",
        "BEGIN:VTODO\r\nUID:yoga\r\nDTSTAMP:20261201T100000Z\r\nRECURRENCE-ID:20261214T180000\r\n"
        "SUMMARY:yoga\r\nDUE:20261215T180000\r\nEND:VTODO\r\nEND:VCALENDAR",
    )
    answer = me.dav("PUT", path, moved)
    assert answer.status_code == 403 and b"valid-calendar-object-resource" in answer.content
    [task] = me.tasks()
    assert (task["due"], task["completed"]) == ("2026-12-07T18:00:00+01:00", False)
    assert me.dav("GET", path).text == series
    done = moved.replace("RECURRENCE-ID:20261214", "RECURRENCE-ID:20261207").replace(
        "DUE:20261215T180000", "STATUS:COMPLETED"
    )
    answer = me.dav("PUT", path, done)
    assert answer.status_code == 204 and "ETag" not in answer.headers  # stored text differs
    assert [(t["completed"], t["due"]) for t in me.tasks()] == [
        (True, "2026-12-07T18:00:00+01:00"),
        (False, "2026-12-14T18:00:00+01:00"),
    ]
    # a task made in tasklive (no client text stored), completed as an all-day instance
    made = me.add(title="rent", due="2026-12-31", recurrence="FREQ=MONTHLY")
    path = f"{inbox(me)}{made['id']}.ics"
    ours = me.dav("GET", path).text
    instance = "BEGIN:VTODO\r\nUID:{uid}\r\nDTSTAMP:20261201T100000Z\r\n" + (
        "RECURRENCE-ID;VALUE=DATE:20261231\r\nSTATUS:COMPLETED\r\nEND:VTODO\r\nEND:VCALENDAR"
    )
    uid = re.search(r"UID:(.*)\r", ours).group(1)
    answer = me.dav("PUT", path, ours.replace("END:VCALENDAR", instance.format(uid=uid)))
    assert answer.status_code == 204, answer.text
    rent = [(t["completed"], t["due"]) for t in me.tasks() if t["title"] == "rent"]
    assert rent == [(True, "2026-12-31"), (False, "2027-01-31")]


def test_a_proppatch_refuses_live_properties_and_lets_absent_ones_be_removed(device):
    me = device()
    task = me.add(title="read")
    update = (
        '<d:propertyupdate xmlns:d="DAV:" xmlns:x="urn:example"><d:remove><d:prop>{}'
        "</d:prop></d:remove></d:propertyupdate>"
    )
    path = f"{inbox(me)}{task['id']}.ics"
    absent = me.dav("PROPPATCH", path, update.format("<x:never-set/>"))
    assert absent.status_code == 207 and "200 OK" in absent.text and "403" not in absent.text
    live = me.dav("PROPPATCH", path, update.format("<d:getetag/><x:never-set/>"))
    assert "403 Forbidden" in live.text and "424 Failed Dependency" in live.text
    assert me.dav("GET", path).headers["ETag"]
