"""The caller's own settings: time zone, name, calendar feed URL, which deletes ask first."""

import secrets

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from tasklive.auth.models import User
from tasklive.auth.schemas import DisplayName, UserOut
from tasklive.auth.zones import TimeZoneName
from tasklive.deps import CurrentUser, SessionDep, SettingsDep
from tasklive.errors import InvalidInputError
from tasklive.tasks.changelog import log_zone_change
from tasklive.tasks.notify.schemas import Channel

router = APIRouter(prefix="/api/auth/me", tags=["auth"])


class MeOut(UserOut):
    calendar_feed_url: str
    approve_deletes: bool = Field(description="Whether deleting a single task in chat asks first.")
    reminder_channel: Channel = Field(
        description="Where reminders go beyond open tabs: push, email or both."
    )


class MeUpdate(BaseModel):
    name: DisplayName | None = None
    timezone: TimeZoneName | None = None
    approve_deletes: bool | None = None
    reminder_channel: Channel | None = None


def new_feed_secret() -> str:
    return secrets.token_urlsafe(32)


def _me(user: User, request: Request) -> MeOut:
    base = str(request.base_url).rstrip("/")
    url = f"{base}/api/calendar/{user.calendar_secret}.ics"
    return MeOut(
        **UserOut.model_validate(user).model_dump(),
        calendar_feed_url=url,
        approve_deletes=user.approve_deletes,
        reminder_channel=user.reminder_channel,
    )


async def _with_feed(user: User, session: SessionDep) -> User:
    if user.calendar_secret is None:
        user.calendar_secret = new_feed_secret()
        await session.commit()
    return user


@router.get("")
async def me(user: CurrentUser, session: SessionDep, request: Request) -> MeOut:
    """Who the caller is, with their time zone and calendar feed URL."""
    return _me(await _with_feed(user, session), request)


@router.patch("")
async def update_me(
    body: MeUpdate, user: CurrentUser, session: SessionDep, request: Request, settings: SettingsDep
) -> MeOut:
    """Change the caller's name, time zone, whether single deletes ask for approval, or where
    reminders go."""
    if body.reminder_channel is not None:
        if body.reminder_channel != "push" and not settings.mail_enabled:
            raise InvalidInputError(
                "This service cannot send e-mail; reminders go by push.",
                fields=[{"field": "reminder_channel", "message": "e-mail is not set up"}],
            )
        user.reminder_channel = body.reminder_channel
    if body.name is not None and body.name.strip():
        user.name = body.name.strip()
    if body.timezone is not None and body.timezone != user.timezone:
        user.timezone = body.timezone
        await log_zone_change(session, user.id)  # calendar apps fetch what the zone moved
    if body.approve_deletes is not None:
        user.approve_deletes = body.approve_deletes
    await session.commit()
    return _me(await _with_feed(user, session), request)


@router.post("/calendar-feed")
async def replace_calendar_feed(user: CurrentUser, session: SessionDep, request: Request) -> MeOut:
    """A new secret calendar feed URL; the old one stops working at once."""
    user.calendar_secret = new_feed_secret()
    await session.commit()
    return _me(user, request)
