"""The WebDAV/CalDAV properties of each kind of resource: root, principal, list, task."""

import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC
from email.utils import format_datetime
from typing import Any

from tasklive.auth.models import User
from tasklive.caldav.sync import token as sync_token
from tasklive.caldav.xmlbody import (
    CALDAV,
    CS,
    DAV,
    ICAL,
    Resource,
    Value,
    Whole,
    element,
    href,
    tag,
)
from tasklive.tasks.ical import todo_object
from tasklive.tasks.models import TaskList
from tasklive.tasks.objects import etag

ROOT = "/caldav/"
MAX_RESOURCE = 256 * 1024
CONTENT_TYPE = "text/calendar; charset=utf-8; component=vtodo"
NO_LIST_NAME = "Tasks"

RESOURCETYPE = tag(DAV, "resourcetype")
DISPLAYNAME = tag(DAV, "displayname")
GETETAG = tag(DAV, "getetag")
CALENDAR_DATA = tag(CALDAV, "calendar-data")
CALENDAR_COLOR = tag(ICAL, "calendar-color")
SYNC_TOKEN = tag(DAV, "sync-token")


def home(user: User) -> str:
    """The user's principal URL, which is also their calendar home."""
    return f"{ROOT}{user.id}/"


def collection_path(user: User, row: TaskList) -> str:
    return f"{home(user)}{row.href}/"


def _href(path: str) -> ET.Element:
    return element(tag(DAV, "href"), href(path))


def _types(*names: tuple[str, str]) -> list[ET.Element]:
    return [ET.Element(tag(ns, name)) for ns, name in names]


def _privileges() -> list[ET.Element]:
    names = ("read", "write", "write-properties", "write-content", "bind", "unbind", "all")
    return [element(tag(DAV, "privilege"), ET.Element(tag(DAV, name))) for name in names]


def _reports(*names: tuple[str, str]) -> list[ET.Element]:
    return [
        element(tag(DAV, "supported-report"), element(tag(DAV, "report"), ET.Element(tag(ns, n))))
        for ns, n in names
    ]


def _component_set() -> ET.Element:
    comp = ET.Element(tag(CALDAV, "comp"), {"name": "VTODO"})
    return comp


def _calendar_data_type() -> ET.Element:
    return ET.Element(
        tag(CALDAV, "calendar-data"), {"content-type": "text/calendar", "version": "2.0"}
    )


Getter = Callable[[], Value]


def _constant(value: Whole) -> Getter:
    return lambda: value


def _resource(
    path: str, getters: dict[str, Getter], wanted: list[str] | None, dead: Mapping[str, Whole]
) -> Resource:
    for name, value in dead.items():
        getters.setdefault(name, _constant(value))  # a live property is never shadowed
    resource = Resource(path)
    for name in wanted if wanted is not None else list(getters):
        getter = getters.get(name)
        if getter is None:
            resource.missing.append(name)
        else:
            resource.found[name] = getter()
    return resource


def _principal_props(user: User) -> dict[str, Getter]:
    return {
        tag(DAV, "current-user-principal"): lambda: _href(home(user)),
        tag(DAV, "principal-URL"): lambda: _href(home(user)),
        tag(CALDAV, "calendar-home-set"): lambda: _href(home(user)),
        tag(DAV, "principal-collection-set"): lambda: _href(ROOT),
        tag(CALDAV, "calendar-user-address-set"): lambda: _href(f"mailto:{user.email}"),
    }


def root_resource(path: str, user: User, wanted: list[str] | None) -> Resource:
    """The service root (and `/`): where clients discover the principal."""
    getters: dict[str, Getter] = {
        RESOURCETYPE: lambda: _types((DAV, "collection")),
        DISPLAYNAME: lambda: "tasklive",
        **_principal_props(user),
    }
    return _resource(path, getters, wanted, {})


def principal_resource(
    user: User, wanted: list[str] | None, dead: Mapping[str, Whole] | None = None
) -> Resource:
    """The user's principal, which is also their calendar home, with what apps stored on it."""
    getters: dict[str, Getter] = {
        RESOURCETYPE: lambda: _types((DAV, "collection"), (DAV, "principal")),
        DISPLAYNAME: lambda: user.name or user.email,
        tag(DAV, "owner"): lambda: _href(home(user)),
        tag(DAV, "current-user-privilege-set"): _privileges,
        **_principal_props(user),
    }
    return _resource(home(user), getters, wanted, dead or {})


@dataclass(frozen=True)
class ListState:
    """A collection row with its current change number."""

    row: TaskList
    seq: int

    @property
    def displayname(self) -> str:
        return self.row.name or NO_LIST_NAME


def collection_resource(
    user: User, state: ListState, wanted: list[str] | None, dead: Mapping[str, Whole] | None = None
) -> Resource:
    """A list as a VTODO calendar collection, with what apps stored on it."""
    getters: dict[str, Getter] = {
        RESOURCETYPE: lambda: _types((DAV, "collection"), (CALDAV, "calendar")),
        DISPLAYNAME: lambda: state.displayname,
        tag(CALDAV, "supported-calendar-component-set"): _component_set,
        tag(CALDAV, "supported-calendar-data"): _calendar_data_type,
        tag(CALDAV, "max-resource-size"): lambda: str(MAX_RESOURCE),
        tag(CS, "getctag"): lambda: sync_token(state.seq),
        SYNC_TOKEN: lambda: sync_token(state.seq),
        CALENDAR_COLOR: lambda: state.row.color,
        tag(DAV, "owner"): lambda: _href(home(user)),
        tag(DAV, "current-user-principal"): lambda: _href(home(user)),
        tag(DAV, "current-user-privilege-set"): _privileges,
        tag(DAV, "supported-report-set"): lambda: _reports(
            (CALDAV, "calendar-query"), (CALDAV, "calendar-multiget"), (DAV, "sync-collection")
        ),
    }
    if state.row.color is None:
        getters.pop(CALENDAR_COLOR)
    return _resource(collection_path(user, state.row), getters, wanted, dead or {})


def object_resource(
    path: str, task: Any, zone: Any, wanted: list[str] | None, text: str | None = None
) -> Resource:
    """A task as a calendar object resource; `calendar-data` is rendered only when asked for."""
    getters: dict[str, Getter] = {
        RESOURCETYPE: lambda: None,
        GETETAG: lambda: etag(task, zone.key),
        tag(DAV, "getcontenttype"): lambda: CONTENT_TYPE,
        tag(DAV, "getlastmodified"): lambda: format_datetime(
            task.updated_at.astimezone(UTC), usegmt=True
        ),
        CALENDAR_DATA: lambda: text if text is not None else todo_object(task, zone),
    }
    if wanted is None:
        getters.pop(CALENDAR_DATA)
    return _resource(path, getters, wanted, {})
