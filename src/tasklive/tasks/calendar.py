"""The iCalendar feed of a user's due tasks, at a secret URL that can be replaced."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Response
from icalendar import Calendar, Event, vRecur
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tasklive.auth.models import User
from tasklive.auth.zones import zone_named
from tasklive.deps import SessionDep
from tasklive.tasks.models import Task, our_uid
from tasklive.tasks.service import TaskNotFoundError
from tasklive.tasks.vtodo import ical_priority
from tasklive.text import SafeText

router = APIRouter(tags=["tasks"])

TIMED_LENGTH = timedelta(minutes=30)


def _event(task: Task, zone: ZoneInfo) -> Event:
    event = Event()
    event.add("uid", task.uid or our_uid(task.id))
    event.add("summary", task.title)
    event.add("dtstamp", task.updated_at)
    if task.due_at is not None:
        # In the user's zone, so a repeat keeps its local time across DST changes.
        starts = task.due_at.astimezone(zone)
        event.add("dtstart", starts)
        event.add("dtend", starts + TIMED_LENGTH)
    elif task.due_date is not None:
        event.add("dtstart", task.due_date)
        event.add("dtend", task.due_date + timedelta(days=1))
    if task.description:
        event.add("description", task.description)
    if task.priority:
        event.add("priority", ical_priority(task.priority))
    if task.labels:
        event.add("categories", list(task.labels))
    if task.recurrence:
        event.add("rrule", vRecur.from_ical(task.recurrence))
    return event


def feed(user: User, tasks: list[Task]) -> bytes:
    """An iCalendar document with one event per pending due task."""
    calendar = Calendar()
    calendar.add("prodid", "-//tasklive//tasks//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"tasklive: {user.name}")
    calendar.add("x-published-ttl", "PT15M")
    zone = zone_named(user.timezone)
    for task in tasks:
        calendar.add_component(_event(task, zone))
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data


async def _feed_owner(session: AsyncSession, secret: str) -> User:
    user = await session.scalar(select(User).where(User.calendar_secret == secret))
    if user is None or not secret:
        raise TaskNotFoundError("No such calendar.")
    return user


@router.get("/api/calendar/{feed_secret}.ics", include_in_schema=False)
async def calendar_feed(feed_secret: SafeText, session: SessionDep) -> Response:
    """The feed; the secret in the URL is the only credential."""
    user = await _feed_owner(session, feed_secret)
    due = (Task.due_at.is_not(None)) | (Task.due_date.is_not(None))
    tasks = list(
        await session.scalars(
            select(Task)
            .where(Task.user_id == user.id, Task.completed.is_(False), due)
            .order_by(Task.number)
        )
    )
    body = feed(user, tasks)
    headers = {"Cache-Control": "private, max-age=300"}
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)
