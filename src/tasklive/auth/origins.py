"""Which browser origins may use the session cookie."""

from urllib.parse import urlsplit

from starlette.requests import HTTPConnection


def own_origin(connection: HTTPConnection) -> str:
    """The origin this request was addressed to, from its Host header."""
    scheme = connection.url.scheme.replace("ws", "http")
    return f"{scheme}://{connection.headers.get('host', connection.url.netloc)}".lower()


def origin_allowed(connection: HTTPConnection, allowed: list[str]) -> bool:
    """True when the Origin header is absent, the service's own, or in the allowlist."""
    origin = connection.headers.get("origin")
    if origin is None:
        return True
    origin = origin.rstrip("/").lower()
    if origin in {o.lower() for o in allowed} or "*" in allowed:
        return True
    parts = urlsplit(origin)
    return f"{parts.scheme}://{parts.netloc}" == own_origin(connection)
