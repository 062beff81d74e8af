"""CalDAV over plain HTTP against a real server: privacy, refusals, round trips, sign-in."""

import asyncio
import json
import re
from pathlib import Path

import httpx
import pytest
import websockets

from tests.support.backends import create_postgres_database, drop_postgres_database

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server_database():
    """This module's server runs on PostgreSQL (the others on SQLite)."""
    url = asyncio.run(create_postgres_database())
    yield url
    asyncio.run(drop_postgres_database(url))


SAMPLE = (Path(__file__).parents[1] / "tasks" / "vtodo_sample.ics").read_text()
SAMPLE = SAMPLE.replace("\n", "\r\n")
PROPFIND_ALL = b'<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:allprop/></d:propfind>'
EVENT = SAMPLE.replace("VTODO", "VEVENT").replace("client-uid-1", "event-1")


def dav(device, method: str, path: str, body: bytes | str = b"", **headers: str):
    url = path if path.startswith("http") else f"{device.base}{path}"
    return httpx.request(method, url, content=body, headers=headers, auth=device.auth)


def inbox(device) -> str:
    return f"/caldav/{device.user_id}/tasks/"


def test_options_announce_calendar_access(device):
    me = device()
    answer = dav(me, "OPTIONS", inbox(me))
    assert answer.status_code == 200
    assert answer.headers["DAV"] == "1, 3, calendar-access"
    assert "REPORT" in answer.headers["Allow"] and "MKCALENDAR" in answer.headers["Allow"]


def test_a_client_vtodo_comes_back_byte_for_byte_and_keeps_what_we_do_not_model(device):
    me = device()
    path = inbox(me) + "water.ics"
    put = dav(me, "PUT", path, SAMPLE, **{"If-None-Match": "*"})
    assert put.status_code == 201, put.text
    got = dav(me, "GET", path)
    assert got.text == SAMPLE and got.headers["ETag"] == put.headers["ETag"]
    [task] = me.tasks()
    assert (task["title"], task["priority"], task["recurrence"]) == (
        "Water the plants",
        3,
        "FREQ=WEEKLY;BYDAY=TH",
    )
    assert task["due"] == "2026-12-10T18:00:00+01:00"
    httpx.patch(f"{me.base}/api/tasks/{task['id']}", json={"title": "Water"}, headers=me.headers)
    edited = dav(me, "GET", path).text
    assert "SUMMARY:Water\r\n" in edited and edited != SAMPLE
    for kept in ("X-APPLE-SORT-ORDER:12345", "RELATED-TO;RELTYPE=PARENT:parent-uid", "GEO:48.85;2"):
        assert kept in edited
    assert "TRIGGER;RELATED=END:-PT15M" in edited and "TZID:My Custom Zone" in edited


def test_another_users_hrefs_are_404_on_every_method(device):
    me, other = device(), device()
    other.add(title="secret", list="Private")
    dav(other, "PUT", inbox(other) + "x.ics", SAMPLE)
    for path in (f"/caldav/{other.user_id}/", inbox(other), inbox(other) + "x.ics"):
        for method in ("PROPFIND", "PROPPATCH", "REPORT", "GET", "PUT", "DELETE", "MKCALENDAR"):
            body = SAMPLE if method == "PUT" else PROPFIND_ALL
            assert dav(me, method, path, body).status_code == 404, (method, path)
    assert len(other.tasks()) == 2


def test_bad_xml_a_huge_body_and_an_event_are_refused_and_nothing_is_stored(device):
    me = device()
    assert dav(me, "PROPFIND", inbox(me), b"<d:propfind xmlns:d='DAV:'>").status_code == 400
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    assert dav(me, "REPORT", inbox(me), bomb).status_code == 400
    huge = SAMPLE.replace("Both balconies", "x" * 5_000_000)
    assert dav(me, "PUT", inbox(me) + "huge.ics", huge).status_code == 413
    chunks = (huge.encode()[start : start + 65536] for start in range(0, len(huge), 65536))
    chunked = dav(me, "PUT", inbox(me) + "huge.ics", chunks)  # type: ignore[arg-type]
    assert "content-length" not in chunked.request.headers
    assert chunked.json() == {
        "error": "The request body is too large: the most is 4 MiB.",
        "code": "too_large",
    }
    event = dav(me, "PUT", inbox(me) + "event.ics", EVENT)
    assert event.status_code == 403 and b"supported-calendar-component" in event.content
    assert dav(me, "PUT", inbox(me) + "junk.ics", "hello").status_code == 403
    assert me.tasks() == []


def test_preconditions_uid_conflicts_and_deletes(device):
    me = device()
    path = inbox(me) + "a.ics"
    etag = dav(me, "PUT", path, SAMPLE).headers["ETag"]
    assert dav(me, "PUT", path, SAMPLE, **{"If-None-Match": "*"}).status_code == 412
    assert dav(me, "PUT", path, SAMPLE, **{"If-Match": '"stale"'}).status_code == 412
    again = dav(me, "PUT", inbox(me) + "b.ics", SAMPLE)
    assert again.status_code == 403 and b"no-uid-conflict" in again.content
    assert dav(me, "DELETE", path, **{"If-Match": '"stale"'}).status_code == 412
    assert dav(me, "DELETE", path, **{"If-Match": etag}).status_code == 204
    assert dav(me, "GET", path).status_code == 404 and me.tasks() == []
    undo = httpx.post(f"{me.base}/api/activity/undo", headers=me.headers)
    assert undo.status_code == 200 and dav(me, "GET", path).text == SAMPLE


def test_an_unknown_sync_token_is_403_valid_sync_token(device):
    me = device()
    body = (
        '<d:sync-collection xmlns:d="DAV:"><d:sync-token>urn:x-tasklive:sync:999999'
        "</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop>"
        "</d:sync-collection>"
    )
    answer = dav(me, "REPORT", inbox(me), body)
    assert answer.status_code == 403 and b"valid-sync-token" in answer.content


def test_mkcalendar_makes_a_list_and_proppatch_renames_and_colors_it(device):
    me = device()
    body = (
        '<c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop>'
        "<d:displayname>Errands</d:displayname></d:prop></d:set></c:mkcalendar>"
    )
    assert dav(me, "MKCALENDAR", f"/caldav/{me.user_id}/errands/", body).status_code == 201
    dav(me, "PUT", f"/caldav/{me.user_id}/errands/w.ics", SAMPLE)
    assert [t["list"] for t in me.tasks()] == ["Errands"]
    patch = (
        '<d:propertyupdate xmlns:d="DAV:" xmlns:i="http://apple.com/ns/ical/"><d:set><d:prop>'
        "<d:displayname>Shopping</d:displayname><i:calendar-color>#FF0000FF</i:calendar-color>"
        "<d:sync-token>3</d:sync-token></d:prop></d:set></d:propertyupdate>"
    )
    errands = f"/caldav/{me.user_id}/errands/"
    answer = dav(me, "PROPPATCH", errands, patch)
    assert answer.status_code == 207
    assert _statuses(answer.text) == {
        "displayname": "424",
        "calendar-color": "424",
        "sync-token": "403",
    }
    assert [t["list"] for t in me.tasks()] == ["Errands"]  # all or nothing (RFC 4918 9.2)
    settable = re.sub(r"<d:sync-token>.*</d:sync-token>", "", patch)
    answer = dav(me, "PROPPATCH", errands, settable)
    assert _statuses(answer.text) == {"displayname": "200", "calendar-color": "200"}
    assert [t["list"] for t in me.tasks()] == ["Shopping"]
    too_long = settable.replace("Shopping", "x" * 101).replace("#FF0000FF", "#00FF00FF")
    answer = dav(me, "PROPPATCH", errands, too_long)
    assert _statuses(answer.text) == {"displayname": "409", "calendar-color": "424"}
    assert "1-100 characters" in answer.text
    listing = dav(me, "PROPFIND", errands, PROPFIND_ALL, Depth="0")
    assert b"Shopping" in listing.content and b"#FF0000FF" in listing.content


def _statuses(body: str) -> dict[str, str]:
    """Each property of a PROPPATCH answer with the status it got."""
    found = {}
    for propstat in re.findall(r"<d:propstat>(.*?)</d:propstat>", body, re.S):
        status = re.search(r"HTTP/1.1 (\d+)", propstat).group(1)
        for name in re.findall(r"<\w+:([\w-]+) ?/>", propstat):
            found[name] = status
    return found


def test_only_an_app_password_signs_in_and_failures_are_throttled(device, server):
    me = device()
    url = f"{server.url}{inbox(me)}"
    assert httpx.request("PROPFIND", url).headers["WWW-Authenticate"].startswith("Basic")
    password = httpx.request("PROPFIND", url, auth=(me.email, "correct horse"))
    assert password.status_code == 401
    codes = [
        httpx.request("PROPFIND", url, auth=(me.email, f"tlp_wrong{n}")).status_code
        for n in range(6)
    ]
    assert codes[:4] == [401] * 4 and codes[-1] == 429
    # A phone's failures are its own count: the page still signs in.
    body = {"email": me.email, "password": "correct horse"}
    assert httpx.post(f"{server.url}/api/auth/sign-in", json=body).status_code == 200
    revoke = httpx.get(f"{me.base}/api/auth/tokens", headers=me.headers).json()
    token_id = revoke[0]["id"] if isinstance(revoke, list) else revoke["items"][0]["id"]
    httpx.delete(f"{me.base}/api/auth/tokens/{token_id}", headers=me.headers)
    assert dav(me, "PROPFIND", inbox(me), PROPFIND_ALL).status_code in (401, 429)


async def test_a_put_reaches_open_tabs_as_task_events(device):
    me = device()
    ws_url = me.base.replace("http", "ws") + f"/ws/{me.user_id}/chat"
    token = me.headers["Authorization"].split()[1]
    async with websockets.connect(f"{ws_url}?token={token}") as tab:
        assert json.loads(await tab.recv())["event_type"] == "connection_established"
        async with httpx.AsyncClient(auth=me.auth) as client:
            put = await client.put(f"{me.base}{inbox(me)}w.ics", content=SAMPLE)
            assert put.status_code == 201
        event = json.loads(await asyncio.wait_for(tab.recv(), 10))
    assert event["event_type"] == "task_created" and "Water the plants" in event["message"]


def _query(filters: str) -> str:
    return (
        '<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
        "<d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter>"
        f'<c:comp-filter name="VCALENDAR">{filters}</c:comp-filter></c:filter></c:calendar-query>'
    )


def test_calendar_query_filters_by_completion_and_due(device):
    me = device()
    me.add(title="soon", due="2026-12-10")
    me.add(title="later", due="2027-02-01")
    me.add(title="someday")
    done = me.add(title="done", due="2026-12-11")
    httpx.patch(f"{me.base}/api/tasks/{done['id']}", json={"completed": True}, headers=me.headers)

    def titles(filters: str) -> set[str]:
        answer = dav(me, "REPORT", inbox(me), _query(filters), Depth="1")
        assert answer.status_code == 207, answer.text
        return set(re.findall(r"SUMMARY:(\w+)", answer.text))

    december = '<c:time-range start="20261201T000000Z" end="20270101T000000Z"/>'
    pending = '<c:prop-filter name="COMPLETED"><c:is-not-defined/></c:prop-filter>'
    assert titles('<c:comp-filter name="VTODO"/>') == {"soon", "later", "someday", "done"}
    assert titles(f'<c:comp-filter name="VTODO">{pending}</c:comp-filter>') == {
        "soon",
        "later",
        "someday",
    }
    in_december = f'<c:comp-filter name="VTODO"><c:prop-filter name="DUE">{december}'
    assert titles(in_december + "</c:prop-filter></c:comp-filter>") == {"soon", "done"}
    assert titles('<c:comp-filter name="VEVENT"/>') == set()


def test_move_takes_a_task_to_another_list_keeping_its_number(device):
    me = device()
    home = f"/caldav/{me.user_id}/"
    assert dav(me, "MKCALENDAR", home + "errands/").status_code == 201
    assert dav(me, "PUT", inbox(me) + "w.ics", SAMPLE).status_code == 201
    [before] = me.tasks()
    moved = dav(me, "MOVE", inbox(me) + "w.ics", Destination=f"{me.base}{home}errands/x.ics")
    assert moved.status_code == 201, moved.text
    [after] = me.tasks()
    assert (after["number"], after["list"]) == (before["number"], "errands")
    assert dav(me, "GET", inbox(me) + "w.ics").status_code == 404
    assert dav(me, "GET", home + "errands/x.ics").text == SAMPLE
    elsewhere = dav(me, "MOVE", home + "errands/x.ics", Destination="http://x/caldav/other/a/b.ics")
    assert elsewhere.status_code == 403
    nowhere = dav(me, "MOVE", home + "errands/x.ics")
    assert nowhere.status_code == 400 and "Destination" in nowhere.json()["error"]


def test_a_nul_character_or_an_overlong_name_is_a_clear_4xx_on_postgresql(device):
    me = device()
    nul_summary = SAMPLE.replace("SUMMARY:Water the plants", "SUMMARY:Water\x00the plants")
    answer = dav(me, "PUT", inbox(me) + "nul.ics", nul_summary)
    assert answer.status_code == 403 and b"valid-calendar-data" in answer.content
    nul_uid = SAMPLE.replace("UID:client-uid-1", "UID:client\x00uid")
    assert dav(me, "PUT", inbox(me) + "nul-uid.ics", nul_uid).status_code == 403
    long_name = inbox(me) + "x" * 300 + ".ics"
    assert dav(me, "PUT", long_name, SAMPLE).status_code == 422
    assert dav(me, "PUT", inbox(me) + "a%00b.ics", SAMPLE).status_code == 422
    assert dav(me, "GET", inbox(me) + "a%00b.ics").status_code == 404
    assert dav(me, "GET", long_name).status_code == 404
    home = f"/caldav/{me.user_id}/"
    assert dav(me, "MKCALENDAR", home + "l" * 300 + "/").status_code == 422
    assert dav(me, "PUT", inbox(me) + "ok.ics", SAMPLE).status_code == 201
    far = f"{me.base}{inbox(me)}{'m' * 300}.ics"
    moved = dav(me, "MOVE", inbox(me) + "ok.ics", Destination=far)
    assert moved.status_code == 422
    assert [t["title"] for t in me.tasks()] == ["Water the plants"]
