"""Time zones: the IANA name a user picks, and the zone it means."""

from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, Field

from tasklive.text import SafeText


def zone_named(name: str | None) -> ZoneInfo:
    """The IANA zone of that name; UTC when it is unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ValueError, KeyError, OSError):
        return ZoneInfo("UTC")


def check_zone(name: str) -> str:
    """An IANA time zone name ("Europe/Berlin")."""
    try:
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        raise ValueError("must be an IANA time zone such as Europe/Berlin") from None
    return name


TimeZoneName = Annotated[
    SafeText,
    Field(max_length=64, description="An IANA time zone name, such as Europe/Berlin."),
    AfterValidator(check_zone),
]
