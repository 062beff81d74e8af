"""CalDAV routes: discovery, PROPFIND/PROPPATCH, REPORT, GET/PUT/DELETE, MKCALENDAR, OPTIONS."""

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from tasklive.auth.models import User
from tasklive.caldav import dead, lists, props
from tasklive.caldav.access import device_user
from tasklive.caldav.instances import completion_in
from tasklive.caldav.props import ROOT, ListState
from tasklive.caldav.reports import Reports
from tasklive.caldav.xmlbody import (
    CALDAV,
    DAV,
    DavPreconditionError,
    error_body,
    multistatus,
    parse,
    requested_props,
    tag,
)
from tasklive.deps import ServicesDep
from tasklive.errors import (
    InvalidInputError,
    PayloadTooLargeError,
    TaskliveError,
    error_response,
)
from tasklive.services import Services
from tasklive.tasks import collections
from tasklive.tasks.ical import calendar_of
from tasklive.tasks.models import TaskList
from tasklive.tasks.objects import (
    UidConflictError,
    delete_object,
    move_object,
    put_object,
    render,
)
from tasklive.tasks.service import TaskNotFoundError, TaskService
from tasklive.tasks.vtodo import CalendarDataError, NotATodoError

router = APIRouter(include_in_schema=False)

METHODS = [
    "OPTIONS",
    "PROPFIND",
    "PROPPATCH",
    "REPORT",
    "GET",
    "HEAD",
    "PUT",
    "DELETE",
    "MKCALENDAR",
    "MKCOL",
    "MOVE",
]
ALLOW = ", ".join(METHODS)
NAME_MAX = 255  # the href columns' length
BAD_NAME = "A name in a CalDAV address has 1-255 characters and no control characters."


class MissingDestinationError(TaskliveError):
    """A MOVE without a Destination header (RFC 4918 section 9.9.4)."""


def _valid_name(name: str) -> bool:
    return 0 < len(name) <= NAME_MAX and not any(ord(c) < 32 for c in name)


XML = "application/xml; charset=utf-8"
NOT_FOUND = "Not found."


def _dav_headers() -> dict[str, str]:
    return {"DAV": "1, 3, calendar-access", "Allow": ALLOW}


@router.api_route("/.well-known/caldav", methods=METHODS)
async def well_known() -> Response:
    """RFC 6764: where the CalDAV service is."""
    return RedirectResponse(ROOT, status_code=301)


@router.api_route("/", methods=["PROPFIND", "OPTIONS"])
async def service_root(request: Request, services: ServicesDep) -> Response:
    """Clients given the bare server URL ask it for the principal."""
    return await _serve(request, services, [])


@router.api_route("/caldav", methods=METHODS)
@router.api_route("/caldav/{path:path}", methods=METHODS)
async def caldav(request: Request, services: ServicesDep, path: str = "") -> Response:
    """Every CalDAV resource: the root, a principal/home, a list, a task."""
    return await _serve(request, services, [unquote(p) for p in path.split("/") if p])


def _dav_error(exc: TaskliveError) -> Response:
    condition = getattr(exc, "condition", None)
    if condition is None:
        return error_response(exc)
    return Response(error_body(*condition), status_code=exc.status_code, media_type=XML)


_PRECONDITIONS = (
    (NotATodoError, CALDAV, "supported-calendar-component"),
    (CalendarDataError, CALDAV, "valid-calendar-data"),
    (UidConflictError, CALDAV, "no-uid-conflict"),
)


async def _serve(request: Request, services: Services, segments: list[str]) -> Response:
    if request.method == "OPTIONS" and len(segments) == 0:
        return Response(status_code=200, headers=_dav_headers())
    try:
        body = await request.body()  # read (BodyLimit caps it) before taking a connection
        async with services.sessionmaker() as session:
            user = await device_user(session, request, services.settings)
            tasks = TaskService(session, user.id, services.task_notifier, source="caldav")
            call = Call(request, session, user, tasks, body, segments)
            try:
                return await call.dispatch()
            except CalendarDataError as exc:
                found = next(c for c in _PRECONDITIONS if isinstance(exc, c[0]))
                raise DavPreconditionError(exc.message, found[1], found[2]) from exc
            except UidConflictError as exc:
                raise DavPreconditionError(exc.message, CALDAV, "no-uid-conflict") from exc
    except TaskliveError as exc:
        return _dav_error(exc)


def _multistatus(content: bytes) -> Response:
    return Response(content, status_code=207, media_type=XML)


@dataclass
class Call:
    """One CalDAV request of an authenticated user."""

    request: Request
    session: AsyncSession
    user: User
    tasks: TaskService
    body: bytes
    segments: list[str]

    async def dispatch(self) -> Response:
        segments = self.segments
        if segments and segments[0] != self.user.id:
            raise TaskNotFoundError(NOT_FOUND)  # another user's href looks like a missing one
        method = self.request.method
        if not all(_valid_name(s) for s in segments):
            if method in ("PUT", "MKCALENDAR", "MKCOL"):
                raise InvalidInputError(BAD_NAME)
            raise TaskNotFoundError(NOT_FOUND)  # nothing can be stored under such a name
        if method == "OPTIONS":
            return Response(status_code=200, headers=_dav_headers())
        if len(segments) <= 1:
            return await self.account(method, bool(segments))
        if len(segments) == 2:
            return await self.collection(method, segments[1])
        if len(segments) == 3:
            return await self.task(method, segments[1], segments[2])
        raise TaskNotFoundError(NOT_FOUND)

    def depth(self) -> str:
        return self.request.headers.get("depth", "0" if self.request.method != "PROPFIND" else "1")

    async def _state(self, row: TaskList) -> ListState:
        return ListState(row, await collections.token(self.session, self.user.id, row))

    async def _row(self, href: str) -> TaskList:
        row = await collections.collection(self.session, self.user.id, href)
        if row is None:
            raise TaskNotFoundError(NOT_FOUND)
        return row

    # --- the root and the principal (the calendar home) ---------------------------------

    async def account(self, method: str, principal: bool) -> Response:
        if method != "PROPFIND":
            if method == "PROPPATCH":
                return await self.proppatch(lists.target(self.user, None, home=principal))
            raise DavPreconditionError("Not allowed here.", DAV, "not-allowed")
        wanted = requested_props(parse(self.body))
        if not principal:
            path = self.request.url.path
            return _multistatus(multistatus([props.root_resource(path, self.user, wanted)]))
        deep = self.depth() != "0"
        rows = await collections.collections(self.session, self.user.id) if deep else []
        stored = await dead.stored(self.session, self.user.id, [None, *(r.id for r in rows)])
        resources = [props.principal_resource(self.user, wanted, stored.get(None))]
        for row in rows:
            state, kept = await self._state(row), stored.get(row.id)
            resources.append(props.collection_resource(self.user, state, wanted, kept))
        return _multistatus(multistatus(resources))

    # --- a list ----------------------------------------------------------------------------

    async def collection(self, method: str, href: str) -> Response:
        if method in ("MKCALENDAR", "MKCOL"):
            await lists.make_list(self.session, self.user, href, parse(self.body))
            return Response(status_code=201)
        row = await self._row(href)
        if method == "PROPFIND":
            wanted = requested_props(parse(self.body))
            state = await self._state(row)
            stored = (await dead.stored(self.session, self.user.id, [row.id])).get(row.id)
            resources = [props.collection_resource(self.user, state, wanted, stored)]
            if self.depth() != "0":
                zone = await self.tasks.zone()
                reports = Reports(self.session, self.user, zone, state)
                resources += await reports.members([], wanted)
            return _multistatus(multistatus(resources))
        if method == "REPORT":
            return await self.report(row)
        if method == "PROPPATCH":
            return await self.proppatch(lists.target(self.user, row, home=False))
        if method in ("GET", "HEAD"):
            zone = await self.tasks.zone()
            tasks = list(await self.session.scalars(collections.members_query(self.user.id, row)))
            body = calendar_of(tasks, zone, row.name or props.NO_LIST_NAME)
            return Response(body if method == "GET" else b"", media_type="text/calendar")
        if method == "DELETE":
            await lists.delete_list(self.tasks, row)
            return Response(status_code=204)
        raise DavPreconditionError("Not allowed on a list.", DAV, "not-allowed")

    async def report(self, row: TaskList) -> Response:
        root = parse(self.body)
        if root is None:
            raise DavPreconditionError("A REPORT needs a body.", DAV, "supported-report")
        reports = Reports(self.session, self.user, await self.tasks.zone(), await self._state(row))
        if root.tag == tag(CALDAV, "calendar-query"):
            return _multistatus(await reports.calendar_query(root))
        if root.tag == tag(CALDAV, "calendar-multiget"):
            return _multistatus(await reports.multiget(root))
        if root.tag == tag(DAV, "sync-collection"):
            return _multistatus(await reports.sync_collection(root))
        raise DavPreconditionError("That report is not supported.", DAV, "supported-report")

    async def proppatch(self, target: lists.Target) -> Response:
        path = self.request.url.path
        return _multistatus(await lists.proppatch(self.tasks, self.user, target, path, self.body))

    # --- a task ----------------------------------------------------------------------------

    async def _destination(self) -> tuple[TaskList, str]:
        """The list and name a MOVE's Destination header names (this user's only)."""
        if not self.request.headers.get("destination"):
            raise MissingDestinationError("A MOVE needs a Destination header.")
        path = unquote(urlsplit(self.request.headers["destination"]).path)
        parts = [p for p in path.removeprefix(ROOT).split("/") if p]
        if not path.startswith(ROOT) or len(parts) != 3 or parts[0] != self.user.id:
            raise DavPreconditionError("Tasks move only between your lists.", DAV, "not-allowed")
        if not all(_valid_name(p) for p in parts):
            raise InvalidInputError(BAD_NAME)
        return await self._row(parts[1]), parts[2]

    async def _completion(self, row: TaskList, name: str) -> bytes | None:
        """What to store when a PUT completes an instance of a repeating task (see instances)."""
        if b"RECURRENCE-ID" not in self.body.upper():
            return None
        task = (await collections.by_names(self.session, self.user.id, row, [name])).get(name)
        if task is None:
            return None  # a new task: its instances are kept as sent
        return completion_in(self.body, task.ical, await self.tasks.zone())

    async def task(self, method: str, href: str, name: str) -> Response:
        row = await self._row(href)
        headers = self.request.headers
        if method == "PUT":
            if len(self.body) > props.MAX_RESOURCE:
                raise PayloadTooLargeError("A task's calendar data can be at most 256 KiB.")
            body = await self._completion(row, name) or self.body
            written = await put_object(
                self.tasks,
                row,
                name,
                body,
                if_match=headers.get("if-match"),
                if_none_match=headers.get("if-none-match"),
            )
            # an ETag says the client's copy is ours; when the server stored another text it
            # must not be sent (RFC 4791 section 5.3.4), so the client fetches it
            sent = {"ETag": written.etag} if body is self.body else {}
            return Response(status_code=201 if written.created else 204, headers=sent)
        if method == "DELETE":
            await delete_object(self.tasks, row, name, if_match=headers.get("if-match"))
            return Response(status_code=204)
        if method == "MOVE":
            target, target_name = await self._destination()
            await move_object(self.tasks, row, name, target, target_name)
            return Response(status_code=201)
        task = (await collections.by_names(self.session, self.user.id, row, [name])).get(name)
        if task is None:
            raise TaskNotFoundError(NOT_FOUND)
        if method in ("GET", "HEAD"):
            text, etag = await render(self.tasks, task)
            content = text.encode() if method == "GET" else b""
            return Response(content, media_type=props.CONTENT_TYPE, headers={"ETag": etag})
        if method == "PROPFIND":
            wanted = requested_props(parse(self.body))
            zone = await self.tasks.zone()
            path = self.request.url.path
            return _multistatus(multistatus([props.object_resource(path, task, zone, wanted)]))
        if method == "PROPPATCH":  # a task's properties are all live: none can be changed
            zone = await self.tasks.zone()
            served = props.object_resource(self.request.url.path, task, zone, None).found
            return await self.proppatch(lists.Target(None, set(served), keeps_dead=False))
        raise DavPreconditionError("Not allowed on a task.", DAV, "not-allowed")
