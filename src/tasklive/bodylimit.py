"""The most a request body may hold, checked while it is read: over it, a 413 in the error shape."""

import asyncio

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tasklive.config import Settings
from tasklive.errors import PayloadTooLargeError, error_body

DRAIN_BYTES = 64 * 1024 * 1024  # beyond the limit, or this, the connection is simply closed
DRAIN_SECONDS = 30.0


class _TooLarge(Exception):
    """The body went past its limit while it was being read."""


def size_text(size: int) -> str:
    """A byte count as people write it: 1 MiB, 256 KiB, 900 bytes."""
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size:,} bytes"


class BodyLimit:
    """413 to a body over its path's limit: a declared length at once, a chunked one as it's read.

    An import file, a CalDAV body and everything else (JSON) each have their own setting.
    WebSocket frames are limited where they are read (`ws_max_frame_bytes`).
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def refusal(self, path: str) -> tuple[int, str]:
        """The limit for a path, and the sentence a body over it is answered with."""
        if path == "/api/import":
            limit = self.settings.max_import_bytes
            return limit, f"The file is too large to import: the most is {size_text(limit)}."
        limit = self.settings.max_request_bytes
        if path == "/caldav" or path.startswith("/caldav/"):
            limit = self.settings.max_caldav_bytes
        return limit, f"The request body is too large: the most is {size_text(limit)}."

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, message = self.refusal(scope["path"])
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            if headers.get(b"expect", b"").lower() != b"100-continue":  # else it was never sent
                await _drain(receive, limit)
            await _refuse(send, message)
            return
        read = 0
        too_large = started = ended = False

        async def counted() -> Message:
            nonlocal read, too_large, ended
            if too_large:
                return {"type": "http.disconnect"}
            received = await receive()
            read += len(received.get("body", b""))
            ended = received["type"] != "http.request" or not received.get("more_body", False)
            if read > limit:
                too_large = True
                raise _TooLarge
            return received

        async def unless_refused(answer: Message) -> None:
            nonlocal started
            if too_large:  # whatever the app made of the cut-off body, the answer is a 413
                return
            started = started or answer["type"] == "http.response.start"
            await send(answer)

        try:
            await self.app(scope, counted, unless_refused)
        except Exception:
            if not too_large:
                raise
        if too_large and not started:
            if not ended:
                await _drain(receive, limit)
            await _refuse(send, message)


async def _drain(receive: Receive, limit: int) -> None:
    """Read and drop the rest of a refused body, within bounds: a client that is still sending
    reads no answer from a connection closed under it (it sees a reset), only from one drained."""
    left = max(limit, DRAIN_BYTES)
    try:
        async with asyncio.timeout(DRAIN_SECONDS):
            while left > 0:
                received = await receive()
                left -= len(received.get("body", b""))
                if received["type"] != "http.request" or not received.get("more_body", False):
                    return
    except TimeoutError:
        return


async def _refuse(send: Send, message: str) -> None:
    response = JSONResponse(error_body(PayloadTooLargeError(message)), status_code=413)
    response.headers["Connection"] = "close"
    await send({"type": "http.response.start", "status": 413, "headers": response.raw_headers})
    await send({"type": "http.response.body", "body": response.body})
