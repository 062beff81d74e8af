"""Messages between instances about runs, over the event hub's control channel."""

import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CancelRun:
    """Ask whichever instance drives a run to cancel it."""

    user_id: str
    run_id: str
    type: str = "cancel_run"


class ControlTransport(Protocol):
    """What the hub offers: raw control payloads to and from every instance."""

    def on_control(self, callback: Callable[[dict[str, Any]], Awaitable[None]]) -> None: ...

    async def send_control(self, payload: dict[str, Any]) -> None: ...


class ControlChannel:
    """Typed run control messages over a hub's control transport."""

    def __init__(self, transport: ControlTransport) -> None:
        self.transport = transport

    async def send(self, message: CancelRun) -> None:
        await self.transport.send_control(asdict(message))

    def on_control(self, handler: Callable[[CancelRun], Awaitable[None]]) -> None:
        async def receive(payload: dict[str, Any]) -> None:
            if payload.get("type") != "cancel_run":
                return
            try:
                message = CancelRun(user_id=str(payload["user_id"]), run_id=str(payload["run_id"]))
            except KeyError:
                log.warning("ignored a malformed control message")
                return
            await handler(message)

        self.transport.on_control(receive)
