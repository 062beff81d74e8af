"""Lists as collections: MKCALENDAR, PROPPATCH (all of it or none of it), DELETE."""

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tasklive.auth.models import User
from tasklive.caldav import dead, props
from tasklive.caldav.models import DeadProperty
from tasklive.caldav.props import CALENDAR_COLOR, DISPLAYNAME, ListState
from tasklive.caldav.xmlbody import (
    CALDAV,
    DAV,
    BadXmlError,
    DavPreconditionError,
    Resource,
    multistatus,
    parse,
    tag,
)
from tasklive.errors import ConflictError
from tasklive.tasks import collections
from tasklive.tasks.models import TaskList
from tasklive.tasks.schemas import clean_list
from tasklive.tasks.service import TaskService

COLOR_MAX = 16
BAD_NAME = "A list name has 1-100 characters."
NO_LIST_NAME = "The collection of tasks without a list keeps its name."
NAME_TAKEN = "A list of that name exists already."
KEEP_NAME = "A list always has a name."
CHANGED_MEANWHILE = (
    "Another request changed these properties at the same time; nothing was changed."
)
COMPUTED = "The server computes that property (getetag, resourcetype, sync-token, ...)."
NOT_STORED = "Properties are stored on a list or on the calendar home; a task's are its data."


def set_props(root: ET.Element | None) -> dict[str, ET.Element]:
    """The properties a PROPPATCH or MKCALENDAR body sets, by name."""
    values: dict[str, ET.Element] = {}
    for group in root.iter(tag(DAV, "set")) if root is not None else ():
        for prop in group.iter(tag(DAV, "prop")):
            for child in prop:
                values[child.tag] = child
    return values


def _removed_props(root: ET.Element | None) -> list[str]:
    if root is None:
        return []
    return [
        child.tag
        for group in root.iter(tag(DAV, "remove"))
        for prop in group.iter(tag(DAV, "prop"))
        for child in prop
    ]


def _text(element: ET.Element | None) -> str | None:
    return (element.text or "").strip() or None if element is not None else None


def _color(element: ET.Element | None) -> str | None:
    color = _text(element)
    return color[:COLOR_MAX] if color else None


async def make_list(session: AsyncSession, user: User, href: str, root: ET.Element | None) -> None:
    """MKCALENDAR: a new, empty list at a client-chosen path segment."""
    values = set_props(root)
    components = values.get(tag(CALDAV, "supported-calendar-component-set"))
    if components is not None:
        names = {c.get("name", "").upper() for c in components}
        if "VTODO" not in names:
            raise DavPreconditionError(
                "Lists hold to-dos (VTODO) only.", CALDAV, "supported-calendar-component"
            )
    name = _text(values.get(DISPLAYNAME)) or href
    color = _color(values.get(CALENDAR_COLOR))
    kept = {p: dead.as_stored(v) for p, v in values.items() if not _live_on_lists(p)}
    try:
        row = await collections.create_list(session, user.id, href, name, color)
    except collections.ListExistsError as exc:
        raise DavPreconditionError(exc.message, DAV, "resource-must-be-null") from exc
    others = dead.Changes(kept)
    if kept and not others.too_big({}):  # an app's own, such as Apple's calendar-order
        await dead.apply(session, user.id, row, {}, others)
        await session.commit()


def _live_on_lists(prop: str) -> bool:
    return prop == CALENDAR_COLOR or dead.computed(prop)


@dataclass
class _Plan:
    """What a PROPPATCH would do, and the properties it cannot set with why."""

    name: str | None = None
    color: str | None = None
    recolor: bool = False
    dead_props: dead.Changes = field(default_factory=dead.Changes)
    refused: dict[str, int] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)

    def refuse(self, prop: str, status: int, reason: str) -> None:
        self.refused[prop] = status
        if reason not in self.reasons:
            self.reasons.append(reason)


def _served(user: User, row: TaskList | None) -> set[str]:
    """The live properties of the home or a list, which a PROPPATCH cannot remove."""
    if row is None:
        return set(props.principal_resource(user, None).found)
    served = set(props.collection_resource(user, ListState(row, 0), None).found)
    return served | {CALENDAR_COLOR}


@dataclass(frozen=True)
class Target:
    """What a PROPPATCH changes: a list (`row`) or, without one, the calendar home (which keeps
    apps' properties) or a task or the service root (which keep none); `served` are its live
    properties."""

    row: TaskList | None
    served: set[str]
    keeps_dead: bool


async def _plan(
    tasks: TaskService, target: Target, root: ET.Element, stored: dict[str, DeadProperty]
) -> _Plan:
    plan, row = _Plan(), target.row
    for prop, value in set_props(root).items():
        if row is not None and prop == CALENDAR_COLOR:
            plan.color, plan.recolor = _color(value), True
        elif row is not None and prop == DISPLAYNAME:
            await _plan_name(tasks, row, _text(value), plan)
        elif not target.keeps_dead:
            plan.refuse(prop, 403, NOT_STORED)
        elif prop in target.served or dead.computed(prop):
            plan.refuse(prop, 403, COMPUTED)
        else:
            plan.dead_props.sets[prop] = dead.as_stored(value)
    for prop in _removed_props(root):
        if row is not None and prop == CALENDAR_COLOR:
            plan.color, plan.recolor = None, True
        elif prop in target.served:
            plan.refuse(prop, 403, KEEP_NAME if prop == DISPLAYNAME else COMPUTED)
        else:  # one the resource does not have is no error (RFC 4918 section 14.23)
            plan.dead_props.removes.append(prop)
    for prop in plan.dead_props.too_big(stored):
        plan.refuse(prop, 507, dead.TOO_BIG)
    return plan


async def _plan_name(tasks: TaskService, row: TaskList, value: str | None, plan: _Plan) -> None:
    if not row.name:
        plan.refuse(DISPLAYNAME, 403, NO_LIST_NAME)
        return
    try:
        name = clean_list(value or "")
    except ValueError:
        plan.refuse(DISPLAYNAME, 409, BAD_NAME)
        return
    if name != row.name and await collections.name_taken(tasks.session, tasks.user_id, name):
        plan.refuse(DISPLAYNAME, 409, NAME_TAKEN)
        return
    plan.name = name


def target(user: User, row: TaskList | None, *, home: bool) -> Target:
    """A list (row) or, without one, the calendar home or the service root."""
    return Target(row, _served(user, row), keeps_dead=home or row is not None)


async def proppatch(
    tasks: TaskService, user: User, target: Target, path: str, body: bytes
) -> bytes:
    """Apply every change of a PROPPATCH or none (RFC 4918 section 9.2): when one property
    cannot be set, it says why and the others answer 424 Failed Dependency."""
    root = parse(body)
    if root is None or root.tag != tag(DAV, "propertyupdate"):
        raise BadXmlError("A PROPPATCH needs a propertyupdate body.")
    row = target.row
    stored = await dead.rows(tasks.session, user.id, row) if target.keeps_dead else {}
    plan = await _plan(tasks, target, root, stored)
    asked = [*set_props(root), *_removed_props(root)]
    resource = Resource(path)
    if plan.refused:
        statuses: dict[int, list[str]] = {}
        for prop in dict.fromkeys(asked):
            statuses.setdefault(plan.refused.get(prop, 424), []).append(prop)
        resource.others, resource.description = statuses, " ".join(plan.reasons)
        return multistatus([resource])
    try:
        if target.keeps_dead:
            await dead.apply(tasks.session, user.id, row, stored, plan.dead_props)
        if row is not None and plan.recolor:
            collections.set_color(tasks.session, row, plan.color)
        if row is not None and plan.name is not None and plan.name != row.name:
            await collections.rename_list(tasks, row, plan.name)  # commits the others with it
        await tasks.session.commit()
    except IntegrityError as exc:  # another request stored the same name at the same moment
        raise ConflictError(CHANGED_MEANWHILE) from exc
    resource.others = {200: list(dict.fromkeys(asked))} if asked else {}
    return multistatus([resource])


async def delete_list(tasks: TaskService, row: TaskList) -> None:
    """DELETE of a collection: the list and its tasks go, as one change that undo reverts."""
    if not row.name:
        raise DavPreconditionError(
            "The collection of tasks without a list cannot be removed.", DAV, "not-allowed"
        )
    await collections.delete_list(tasks, row)
