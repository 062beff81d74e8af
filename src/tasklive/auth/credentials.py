"""The one rule for which credential a request or WebSocket handshake offers."""

from dataclasses import dataclass

from starlette.requests import HTTPConnection

from tasklive.auth.origins import origin_allowed
from tasklive.config import Settings
from tasklive.errors import PermissionDeniedError

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@dataclass(frozen=True)
class OfferedToken:
    """A token as the caller presented it."""

    token: str
    via_cookie: bool


def offered_token(connection: HTTPConnection, settings: Settings) -> OfferedToken | None:
    """`Authorization: Bearer`, else `?token=`, else the session cookie; None when there is none.

    A cookie counts only from an allowed Origin where it could act for the user: on a WebSocket,
    or an HTTP method that changes something (PermissionDeniedError otherwise).
    """
    scheme, _, credentials = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return OfferedToken(credentials.strip(), via_cookie=False)
    if token := connection.query_params.get("token"):
        return OfferedToken(token, via_cookie=False)
    cookie = connection.cookies.get(settings.cookie_name)
    if not cookie:
        return None
    acts = connection.scope["type"] == "websocket" or connection.scope["method"] not in SAFE_METHODS
    if acts and not origin_allowed(connection, settings.allowed_origins):
        raise PermissionDeniedError("This request came from a site that is not allowed.")
    return OfferedToken(cookie, via_cookie=True)
