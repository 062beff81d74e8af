"""REPORTs on a collection: calendar-query, calendar-multiget and sync-collection."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from tasklive.auth.models import User
from tasklive.caldav.props import (
    SYNC_PREFIX,
    ListState,
    collection_path,
    object_resource,
    sync_token,
)
from tasklive.caldav.xmlbody import CALDAV, DAV, Resource, hrefs, multistatus, requested_props, tag
from tasklive.errors import PermissionDeniedError
from tasklive.tasks.changelog import resource_name
from tasklive.tasks.collections import by_names, changed_since, members_query, token_valid
from tasklive.tasks.models import Task


class DavPreconditionError(PermissionDeniedError, code="precondition"):
    """A WebDAV/CalDAV precondition that failed; answered with a DAV:error body naming it."""

    def __init__(self, message: str, namespace: str, condition: str) -> None:
        super().__init__(message)
        self.condition = (namespace, condition)


def _comp(parent: ET.Element) -> list[ET.Element]:
    return parent.findall(tag(CALDAV, "comp-filter"))


def _moment(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.strptime(text.strip(), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def _range(element: ET.Element) -> Any:
    start, end = _moment(element.get("start")), _moment(element.get("end"))
    condition: ColumnElement[bool] = Task.due_sort.is_not(None)
    if start is not None:
        condition = condition & (Task.due_sort >= start)
    if end is not None:
        condition = condition & (Task.due_sort < end)
    return condition


def _status(prop: ET.Element) -> Any:
    match = prop.find(tag(CALDAV, "text-match"))
    if match is None:
        return None
    done = (match.text or "").strip().upper() in ("COMPLETED", "CANCELLED")
    negate = match.get("negate-condition", "no").lower() == "yes"
    return Task.completed.is_(done != negate)


def _prop_filter(prop: ET.Element) -> Any:
    name = (prop.get("name") or "").upper()
    undefined = prop.find(tag(CALDAV, "is-not-defined")) is not None
    if name == "COMPLETED":
        return Task.completed.is_(not undefined)
    if name == "STATUS":
        return _status(prop)
    if name == "DUE":
        if undefined:
            return Task.due_sort.is_(None)
        within = prop.find(tag(CALDAV, "time-range"))
        return _range(within) if within is not None else Task.due_sort.is_not(None)
    return None


def query_conditions(root: ET.Element) -> list[Any] | None:
    """SQL conditions for a calendar-query filter; None when it can match no to-do. Filters
    tasklive cannot judge are left out, so the answer is never missing a match."""
    top = root.find(tag(CALDAV, "filter"))
    calendars = _comp(top) if top is not None else []
    if not calendars:
        return []
    inner = _comp(calendars[0])
    if not inner:
        return []
    todo = next((c for c in inner if (c.get("name") or "").upper() == "VTODO"), None)
    if todo is None:
        return None
    conditions = []
    within = todo.find(tag(CALDAV, "time-range"))
    if within is not None:
        conditions.append(_range(within) | Task.due_sort.is_(None))
    for prop in todo.findall(tag(CALDAV, "prop-filter")):
        condition = _prop_filter(prop)
        if condition is not None:
            conditions.append(condition)
    return conditions


def _name_in(collection: str, value: str) -> str | None:
    path = unquote(urlsplit(value).path)
    if not path.startswith(collection):
        return None
    name = path[len(collection) :]
    return name if name and "/" not in name else None


class Reports:
    """The REPORTs of one collection for one user."""

    def __init__(self, session: AsyncSession, user: User, zone: ZoneInfo, state: ListState):
        self.session, self.user, self.zone, self.state = session, user, zone, state
        self.path = collection_path(user, state.row)

    def _object(self, task: Any, wanted: list[str] | None) -> Resource:
        return object_resource(self.path + resource_name(task), task, self.zone, wanted)

    async def members(self, conditions: list[Any], wanted: list[str] | None) -> list[Resource]:
        """The collection's tasks matching `conditions`, as resources with `wanted` props."""
        query = members_query(self.user.id, self.state.row).where(*conditions)
        if wanted is not None and tag(CALDAV, "calendar-data") not in wanted:
            columns = (Task.id, Task.href, Task.updated_at, Task.due_at, Task.remind_time)
            query = select(*columns).where(query.whereclause)
            rows = await self.session.execute(query.order_by(Task.number))
            return [self._object(row, wanted) for row in rows]
        tasks = await self.session.scalars(query.order_by(Task.number))
        return [self._object(task, wanted) for task in tasks]

    async def calendar_query(self, root: ET.Element) -> bytes:
        conditions = query_conditions(root)
        if conditions is None:
            return multistatus([])
        return multistatus(await self.members(conditions, requested_props(root)))

    async def multiget(self, root: ET.Element) -> bytes:
        wanted = requested_props(root)
        asked = [(value, _name_in(self.path, value)) for value in hrefs(root)]
        found = await by_names(
            self.session, self.user.id, self.state.row, [n for _, n in asked if n]
        )
        resources = []
        for value, name in asked:
            task = found.get(name) if name else None
            if task is None:
                resources.append(Resource(unquote(urlsplit(value).path), status=404))
            else:
                resources.append(self._object(task, wanted))
        return multistatus(resources)

    async def sync_collection(self, root: ET.Element) -> bytes:
        wanted = requested_props(root)
        text = (root.findtext(tag(DAV, "sync-token")) or "").strip()
        token = sync_token(self.state.seq)
        if not text:
            return multistatus(await self.members([], wanted), token)
        seq = await self._valid(text)
        resources = []
        for change in await changed_since(self.session, self.user.id, self.state.row, seq):
            if change.task is None:
                resources.append(Resource(self.path + change.name, status=404))
            else:
                resources.append(self._object(change.task, wanted))
        return multistatus(resources, token)

    async def _valid(self, text: str) -> int:
        digits = text.removeprefix(SYNC_PREFIX)
        if text.startswith(SYNC_PREFIX) and digits.isascii() and digits.isdigit():
            seq = int(digits)
            if await token_valid(self.session, self.user.id, seq):
                return seq
        raise DavPreconditionError(
            "That sync token is unknown here; sync again from the start.", DAV, "valid-sync-token"
        )
