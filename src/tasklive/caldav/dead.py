"""Dead properties (RFC 4918 section 4): a list's or the calendar home's properties that tasklive
does not model, stored as an app sent them and returned by PROPFIND."""

import copy
import xml.etree.ElementTree as ET
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tasklive.caldav.models import DeadProperty
from tasklive.caldav.xmlbody import CALDAV, CS, DAV, Whole, tag
from tasklive.db import utcnow
from tasklive.tasks import collections
from tasklive.tasks.models import TaskList

PROPERTY_MAX = 4 * 1024  # bytes of one property's XML
RESOURCE_MAX = 32 * 1024  # bytes of all of a list's (or the home's)
NAME_MAX = 255  # characters of a namespace or a name
TOO_BIG = (
    "An app's property can hold at most 4 KiB of XML (its namespace and name 255 characters "
    "each), and a list or the calendar home at most 32 KiB of them in all."
)

_CALDAV_LIVE = (
    "calendar-data",
    "calendar-home-set",
    "calendar-user-address-set",
    "calendar-user-type",
    "max-attendees-per-instance",
    "max-date-time",
    "max-instances",
    "max-resource-size",
    "min-date-time",
    "schedule-inbox-URL",
    "schedule-outbox-URL",
    "supported-calendar-component-set",
    "supported-calendar-data",
)
_LIVE = {tag(CALDAV, name) for name in _CALDAV_LIVE} | {tag(CS, "getctag")}

Stored = dict[str, Whole]


def computed(name: str) -> bool:
    """Whether a property is one a server computes, which no app can store: WebDAV's own (the
    DAV: namespace, RFC 4918 section 21.1) and CalDAV's live properties."""
    return name.startswith(f"{{{DAV}}}") or name in _LIVE


def _split(name: str) -> tuple[str, str]:
    """A {namespace}name tag as (namespace, name); an element without a namespace has ""."""
    namespace, brace, local = name[1:].partition("}")
    return (namespace, local) if name.startswith("{") and brace else ("", name)


def _tag(row: DeadProperty) -> str:
    return tag(row.namespace, row.name) if row.namespace else row.name


def _size(value: str) -> int:
    return len(value.encode())


def as_stored(element: ET.Element) -> str:
    """A property element as stored: its attributes, text and children as XML."""
    kept = copy.deepcopy(element)
    kept.tail = None
    return ET.tostring(kept, encoding="unicode")


@dataclass
class Changes:
    """The dead properties a PROPPATCH sets (as XML, by name) and removes."""

    sets: dict[str, str] = field(default_factory=dict)
    removes: list[str] = field(default_factory=list)

    def too_big(self, stored: dict[str, DeadProperty]) -> list[str]:
        """The properties set that cannot be stored: each one over its bound, or all set when
        the resource would hold more than its bound."""
        big = [
            name
            for name, value in self.sets.items()
            if _size(value) > PROPERTY_MAX or max(map(len, _split(name))) > NAME_MAX
        ]
        if big:
            return big
        gone = {*self.sets, *self.removes}
        kept = [row.value for name, row in stored.items() if name not in gone]
        total = sum(map(_size, kept)) + sum(map(_size, self.sets.values()))
        return list(self.sets) if total > RESOURCE_MAX else []


async def stored(
    session: AsyncSession, user_id: str, list_ids: Collection[str | None]
) -> dict[str | None, Stored]:
    """The dead properties of these lists (None: the calendar home), by list id and name."""
    ids = [list_id for list_id in list_ids if list_id]
    where = [DeadProperty.list_id.in_(ids)] if ids else []
    if None in list_ids:
        where.append(DeadProperty.list_id.is_(None))
    if not where:
        return {}
    query = select(DeadProperty).where(DeadProperty.user_id == user_id, or_(*where))
    found: dict[str | None, Stored] = {}
    for row in await session.scalars(query.order_by(DeadProperty.namespace, DeadProperty.name)):
        found.setdefault(row.list_id, {})[_tag(row)] = Whole(ET.fromstring(row.value))
    return found


async def rows(
    session: AsyncSession, user_id: str, row: TaskList | None
) -> dict[str, DeadProperty]:
    """The stored properties of a list (None: the calendar home), to be changed."""
    if row is not None and not row.id:
        return {}  # the collection of tasks without a list, before it has a row
    at = DeadProperty.list_id.is_(None) if row is None else DeadProperty.list_id == row.id
    query = select(DeadProperty).where(DeadProperty.user_id == user_id, at)
    return {_tag(found): found for found in await session.scalars(query)}


async def apply(
    session: AsyncSession,
    user_id: str,
    row: TaskList | None,
    current: dict[str, DeadProperty],
    changes: Changes,
) -> None:
    """Store and remove, committed with the caller's other changes."""
    if row is not None and not row.id and changes.sets:
        collections.set_color(session, row, row.color)  # gives that collection its row
        await session.flush()
    for name in changes.removes:
        if name in current and name not in changes.sets:
            await session.delete(current[name])
    for name, value in changes.sets.items():
        if name in current:
            current[name].value, current[name].updated_at = value, utcnow()
            continue
        namespace, local = _split(name)
        list_id = row.id if row is not None else None
        session.add(
            DeadProperty(
                user_id=user_id, list_id=list_id, namespace=namespace, name=local, value=value
            )
        )
