"""What a syncing client is told: a zone change, DAV:limit paging, repeating to-dos' instances."""

import re

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
