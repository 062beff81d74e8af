"""Who a CalDAV request is: HTTP Basic with the account's email and a personal access token."""

import base64
import binascii

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from tasklive.auth import throttle
from tasklive.auth.models import User
from tasklive.auth.service import normalize_email
from tasklive.auth.throttle import ThrottleRules
from tasklive.auth.tokens import user_from_app_password
from tasklive.config import Settings
from tasklive.errors import AuthenticationError

CHALLENGE = 'Basic realm="tasklive", charset="UTF-8"'
BAD_PAIR = (
    "Sign in with your account's email and a personal access token (Settings, Access tokens) "
    "as the password."
)


class DeviceAuthenticationError(AuthenticationError):
    """No or bad device credentials; answered with a Basic challenge."""

    challenge = CHALLENGE


def _basic(request: Request) -> tuple[str, str] | None:
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    email, colon, password = decoded.partition(":")
    return (email, password) if colon else None


async def device_user(session: AsyncSession, request: Request, settings: Settings) -> User:
    """The user a request's Basic credentials name. Failures are counted (and throttled) apart
    from the page's sign-ins; a correct pair is never counted."""
    pair = _basic(request)
    if pair is None:
        raise DeviceAuthenticationError(BAD_PAIR)
    email = normalize_email(pair[0])
    user = await user_from_app_password(session, email, pair[1])
    if user is not None:
        return user
    await session.rollback()
    address = request.client.host if request.client else "unknown"
    await throttle.count_attempt(
        session, ThrottleRules.from_settings(settings), "device", email, address
    )
    raise DeviceAuthenticationError(BAD_PAIR)
