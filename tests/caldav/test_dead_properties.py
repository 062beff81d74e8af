"""Properties tasklive does not model (Apple's calendar-order, an app's own) are stored on a list
or the calendar home and come back in PROPFIND; computed ones are still refused."""

import re
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import select

from tasklive.caldav.models import DeadProperty
from tasklive.services import services_of

DAV = "DAV:"
APPLE = "http://apple.com/ns/ical/"
TASKS = "urn:example:tasks-app"


def _props(propstat: ET.Element) -> list[ET.Element]:
    prop = propstat.find(f"{{{DAV}}}prop")
    return list(prop) if prop is not None else []


@dataclass
class Phone:
    """An account's CalDAV client (its app password) on the in-process app."""

    client: httpx.AsyncClient
    user_id: str
    headers: dict[str, str]
    auth: tuple[str, str]

    @property
    def home(self) -> str:
        return f"/caldav/{self.user_id}/"

    async def dav(self, method: str, path: str, body: str = "", **headers: str) -> httpx.Response:
        return await self.client.request(
            method, path, content=body, headers=headers, auth=self.auth
        )

    async def patch(self, path: str, sets: str = "", removes: str = "") -> dict[str, str]:
        """A PROPPATCH; each property of the answer with its status."""
        body = (
            f'<d:propertyupdate xmlns:d="DAV:" xmlns:i="{APPLE}" xmlns:t="{TASKS}">'
            + (f"<d:set><d:prop>{sets}</d:prop></d:set>" if sets else "")
            + (f"<d:remove><d:prop>{removes}</d:prop></d:remove>" if removes else "")
            + "</d:propertyupdate>"
        )
        answer = await self.dav("PROPPATCH", path, body)
        assert answer.status_code == 207, answer.text
        found = {}
        for propstat in ET.fromstring(answer.content).iter(f"{{{DAV}}}propstat"):
            status = re.search(r"\d{3}", propstat.findtext(f"{{{DAV}}}status", "")).group()
            for prop in _props(propstat):
                found[prop.tag.rpartition("}")[2]] = status
        return found

    async def props(self, path: str, *names: str, depth: str = "0") -> dict[str, ET.Element]:
        """PROPFIND of these properties ({namespace}name), or allprop; those found, by name."""
        asked = "".join(
            f"<x:{n.rpartition('}')[2]} xmlns:x='{n[1:].partition('}')[0]}'/>" for n in names
        )
        what = f"<d:prop>{asked}</d:prop>" if names else "<d:allprop/>"
        body = f'<d:propfind xmlns:d="DAV:">{what}</d:propfind>'
        answer = await self.dav("PROPFIND", path, body, Depth=depth)
        assert answer.status_code == 207, answer.text
        found = {}
        for response in ET.fromstring(answer.content).iter(f"{{{DAV}}}response"):
            for propstat in response.iter(f"{{{DAV}}}propstat"):
                if "200" in propstat.findtext(f"{{{DAV}}}status", ""):
                    for prop in _props(propstat):
                        found[response.findtext(f"{{{DAV}}}href", "") + prop.tag] = prop
        return found


@pytest.fixture
def phone(client, sign_up) -> Callable[[], Awaitable[Phone]]:
    async def create() -> Phone:
        account = await sign_up()
        made = await client.post(
            "/api/auth/tokens", json={"name": "phone"}, headers=account["headers"]
        )
        auth = (account["user"]["email"], made.json()["token"])
        return Phone(client, account["user"]["id"], account["headers"], auth)

    return create


async def errands(me: Phone, more: str = "") -> str:
    body = (
        f'<c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:i="{APPLE}">'
        f"<d:set><d:prop><d:displayname>Errands</d:displayname>{more}</d:prop></d:set>"
        "</c:mkcalendar>"
    )
    assert (await me.dav("MKCALENDAR", f"{me.home}errands/", body)).status_code == 201
    return f"{me.home}errands/"


ORDER = f"{{{APPLE}}}calendar-order"
ON_SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
ON_BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)


@ON_BOTH
async def test_a_rename_with_apples_calendar_order_succeeds_and_the_order_comes_back(phone):
    me = await phone()
    path = await errands(me, "<i:calendar-order>1</i:calendar-order>")  # as Apple's apps make one
    assert (await me.props(path, ORDER))[path + ORDER].text == "1"
    sets = "<d:displayname>Shopping</d:displayname><i:calendar-order>3</i:calendar-order>"
    assert await me.patch(path, sets) == {"displayname": "200", "calendar-order": "200"}
    found = await me.props(path, ORDER, f"{{{DAV}}}displayname")
    assert found[path + ORDER].text == "3" and found[path + "{DAV:}displayname"].text == "Shopping"
    listing = await me.props(me.home, depth="1")  # allprop, the home and each list
    assert listing[path + ORDER].text == "3"
    assert await me.patch(path, "<i:calendar-order>7</i:calendar-order>") == {
        "calendar-order": "200"
    }
    assert (await me.props(path, ORDER))[path + ORDER].text == "7"

    assert await me.patch(path, removes="<i:calendar-order/>") == {"calendar-order": "200"}
    assert path + ORDER not in await me.props(path, ORDER)
    assert path + ORDER not in await me.props(path)


@ON_SQLITE
async def test_a_computed_property_in_the_request_fails_the_others_and_nothing_is_stored(phone):
    me = await phone()
    path = await errands(me)
    sets = (
        "<d:displayname>Shopping</d:displayname><i:calendar-order>3</i:calendar-order>"
        '<d:getetag>"x"</d:getetag>'
    )
    assert await me.patch(path, sets) == {
        "displayname": "424",
        "calendar-order": "424",
        "getetag": "403",
    }
    found = await me.props(path)
    assert found[path + "{DAV:}displayname"].text == "Errands" and path + ORDER not in found
    for computed in (
        "<d:sync-token>1</d:sync-token>",
        "<cs:getctag xmlns:cs='http://calendarserver.org/ns/'>1</cs:getctag>",
    ):
        assert set((await me.patch(path, computed + "<t:x>1</t:x>")).values()) == {"403", "424"}
    assert await me.patch(path, removes="<d:resourcetype/>") == {"resourcetype": "403"}


@ON_BOTH
async def test_an_apps_property_on_the_calendar_home_is_stored(phone):
    me = await phone()
    tags = f"{{{TASKS}}}tag-colors"
    assert await me.patch(me.home, "<t:tag-colors>work=#ff0000</t:tag-colors>") == {
        "tag-colors": "200"
    }
    assert (await me.props(me.home, tags))[me.home + tags].text == "work=#ff0000"
    assert (await me.props(me.home, depth="0"))[me.home + tags].text == "work=#ff0000"
    # the service root is shared: nothing is stored there
    assert await me.patch("/caldav/", "<t:tag-colors>x</t:tag-colors>") == {"tag-colors": "403"}


@ON_BOTH
async def test_a_value_with_namespaces_attributes_and_children_comes_back_as_sent(phone):
    me = await phone()
    inbox = f"{me.home}tasks/"  # the no-list collection, which has no row until it needs one
    value = (
        '<t:sharing xmlns:o="urn:example:other" t:mode="rw" xml:lang="de">Geteilt mit '
        '<o:person o:role="owner">Ana</o:person> und <t:group/>.</t:sharing>'
    )
    assert await me.patch(inbox, value) == {"sharing": "200"}
    [(_, got)] = (await me.props(inbox, f"{{{TASKS}}}sharing")).items()
    assert got.get(f"{{{TASKS}}}mode") == "rw"
    assert got.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
    assert got.text == "Geteilt mit " and got[0].tag == "{urn:example:other}person"
    assert (got[0].text, got[0].get("{urn:example:other}role"), got[0].tail) == (
        "Ana",
        "owner",
        " und ",
    )
    assert got[1].tag == f"{{{TASKS}}}group" and got[1].tail == "."


@ON_SQLITE
async def test_one_users_properties_never_show_on_anothers_collections(phone):
    me, other = await phone(), await phone()
    mine, theirs = await errands(me), await errands(other)
    await me.patch(mine, "<t:secret>mine</t:secret>")
    await me.patch(me.home, "<t:secret>home</t:secret>")
    assert (await me.props(mine, f"{{{TASKS}}}secret"))[mine + f"{{{TASKS}}}secret"].text == "mine"
    for path in (theirs, other.home):
        assert not any("secret" in name for name in await other.props(path, depth="1"))
    assert (await other.dav("PROPPATCH", me.home, "<x/>")).status_code == 404


@ON_SQLITE
async def test_oversized_values_are_507_and_the_others_424(phone):
    me = await phone()
    path = await errands(me)
    big = "x" * 5000
    assert await me.patch(path, f"<t:big>{big}</t:big><i:calendar-order>1</i:calendar-order>") == {
        "big": "507",
        "calendar-order": "424",
    }
    for n in range(8):  # 8 of about 4 KiB fit in the list's 32 KiB, a ninth does not
        assert await me.patch(path, f"<t:p{n}>{'y' * 4000}</t:p{n}>") == {f"p{n}": "200"}
    assert await me.patch(path, f"<t:p8>{'y' * 4000}</t:p8>") == {"p8": "507"}
    assert await me.patch(path, f"<t:p0>{'y' * 10}</t:p0><t:p8>{'y' * 4000}</t:p8>") == {
        "p0": "200",
        "p8": "200",
    }


@ON_SQLITE
async def test_a_deleted_list_or_account_takes_its_properties_with_it(app, phone):
    me, other = await phone(), await phone()
    path = await errands(me)
    await me.patch(path, "<i:calendar-order>3</i:calendar-order>")
    await me.patch(me.home, "<t:tag-colors>x</t:tag-colors>")
    await other.patch(other.home, "<t:tag-colors>y</t:tag-colors>")
    assert (await me.dav("DELETE", path)).status_code == 204
    path = await errands(me)  # a new list at the same address starts without them
    assert path + ORDER not in await me.props(path)

    gone = await me.client.request(
        "DELETE", "/api/auth/me", json={"password": "correct horse"}, headers=me.headers
    )
    assert gone.status_code == 204
    async with services_of(app).sessionmaker() as session:
        owners = list(await session.scalars(select(DeadProperty.user_id)))
    assert owners == [other.user_id]
