"""Lines from stdin without a thread, so Ctrl-C and end of input are handled in the event loop."""

import asyncio
import os
import sys


class LineReader:
    """Reads stdin lines as the event loop sees them arrive (a terminal or a pipe)."""

    def __init__(self) -> None:
        self.fd = sys.stdin.fileno()
        self._lines: asyncio.Queue[str | None] = asyncio.Queue()
        self._buffer = b""
        self._reading = False
        self._ended = False

    def start(self) -> None:
        try:
            asyncio.get_running_loop().add_reader(self.fd, self._on_readable)
        except PermissionError:
            # A regular file cannot be polled, but reading it never blocks: take it all now.
            while not self._ended:
                self._on_readable()
            return
        self._reading = True

    def stop(self) -> None:
        if self._reading:
            asyncio.get_running_loop().remove_reader(self.fd)
            self._reading = False

    def close(self) -> None:
        """End input now: the next readline answers None."""
        self.stop()
        self._ended = True
        self._lines.put_nowait(None)

    async def readline(self) -> str | None:
        """The next line without its newline, or None at end of input."""
        return await self._lines.get()

    def _on_readable(self) -> None:
        chunk = os.read(self.fd, 65536)
        if not chunk:
            if self._buffer:
                self._lines.put_nowait(self._buffer.decode(errors="replace"))
                self._buffer = b""
            self.close()
            return
        self._buffer += chunk
        *complete, self._buffer = self._buffer.split(b"\n")
        for line in complete:
            self._lines.put_nowait(line.decode(errors="replace").rstrip("\r"))
