"""REPORTs on a collection: calendar-query, calendar-multiget and sync-collection."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from tasklive.auth.models import User
from tasklive.caldav.props import ListState, collection_path, object_resource
from tasklive.caldav.sync import Place, changes_after, limit_of, place_of
from tasklive.caldav.xmlbody import (
    CALDAV,
    DAV,
    Resource,
    hrefs,
    multistatus,
    requested_props,
    tag,
)
from tasklive.tasks.changelog import resource_name
from tasklive.tasks.collections import by_names, members_query
from tasklive.tasks.models import Task


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
        self.last_number: int | None = None  # of the last member listed when a limit cut it

    def _object(self, task: Any, wanted: list[str] | None) -> Resource:
        return object_resource(self.path + resource_name(task), task, self.zone, wanted)

    async def members(
        self, conditions: list[Any], wanted: list[str] | None, limit: int | None = None
    ) -> list[Resource]:
        """The collection's tasks matching `conditions` in number order, as resources with
        `wanted` props; at most `limit` (one more is read to tell there are more)."""
        query = members_query(self.user.id, self.state.row).where(*conditions)
        if wanted is not None and tag(CALDAV, "calendar-data") not in wanted:
            columns = (Task.id, Task.href, Task.updated_at, Task.due_at, Task.remind_time)
            kept = Task.ical.is_not(None).label("ical")  # whether, not what (for the ETag)
            query = select(*columns, kept, Task.number).where(query.whereclause)
        query = query.order_by(Task.number).limit(limit + 1 if limit is not None else None)
        rows = await self.session.execute(query)
        found = [row if len(row) > 1 else row[0] for row in rows]
        self.last_number = found[limit - 1].number if limit and len(found) > limit else None
        return [self._object(task, wanted) for task in found]

    def _truncated(self) -> Resource:
        """The marker of an answer cut at the client's DAV:limit (RFC 6578 section 3.6)."""
        condition = (DAV, "number-of-matches-within-limits")
        return Resource(self.path, status=507, error=condition)

    async def calendar_query(self, root: ET.Element) -> bytes:
        conditions = query_conditions(root)
        if conditions is None:
            return multistatus([])
        limit = limit_of(root)
        resources = await self.members(conditions, requested_props(root), limit)
        if limit is not None and len(resources) > limit:
            resources = [*resources[:limit], self._truncated()]
        return multistatus(resources)

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
        wanted, limit = requested_props(root), limit_of(root)
        text = (root.findtext(tag(DAV, "sync-token")) or "").strip()
        if text:
            place = await place_of(self.session, self.user.id, text)
        else:
            place = Place(self.state.seq, number=0)
        if place.number is not None:
            return await self._listing(place, wanted, limit)
        resources = []
        changes, cut = await changes_after(self.session, self.user.id, self.state.row, place, limit)
        for change in changes:
            if change.task is None:
                resources.append(Resource(self.path + change.name, status=404))
            else:
                resources.append(self._object(change.task, wanted))
        if cut is None:
            return multistatus(resources, Place(max(self.state.seq, place.seq)).token)
        return multistatus([*resources, self._truncated()], cut.token)

    async def _listing(self, place: Place, wanted: list[str] | None, limit: int | None) -> bytes:
        """A first sync: every member as of change `place.seq`, in pages when limited; changes
        made while paging are in the log after that change, so the next sync brings them."""
        after = [Task.number > place.number] if place.number else []
        resources = await self.members(after, wanted, limit)
        if limit is None or len(resources) <= limit:
            return multistatus(resources, Place(place.seq).token)
        cut = Place(place.seq, number=self.last_number)
        return multistatus([*resources[:limit], self._truncated()], cut.token)
