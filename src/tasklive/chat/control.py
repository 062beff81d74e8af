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


@dataclass(frozen=True)
class ApprovalDecided:
    """An approval was answered (or expired) on some instance."""

    approval_id: str
    status: str
    type: str = "approval_decided"


ControlMessage = CancelRun | ApprovalDecided


class ControlTransport(Protocol):
    """What the hub offers: raw control payloads to and from every instance."""

    def on_control(self, callback: Callable[[dict[str, Any]], Awaitable[None]]) -> None: ...

    async def send_control(self, payload: dict[str, Any]) -> None: ...


class ControlChannel:
    """Typed run control messages over a hub's control transport."""

    def __init__(self, transport: ControlTransport) -> None:
        self.transport = transport

    async def send(self, message: ControlMessage) -> None:
        await self.transport.send_control(asdict(message))

    def on_control(self, handler: Callable[[ControlMessage], Awaitable[None]]) -> None:
        async def receive(payload: dict[str, Any]) -> None:
            try:
                message = parse_control(payload)
            except KeyError:
                log.warning("ignored a malformed control message")
                return
            if message is not None:
                await handler(message)

        self.transport.on_control(receive)


def parse_control(payload: dict[str, Any]) -> ControlMessage | None:
    """The typed message in a control payload; None for kinds this version does not know."""
    kind = payload.get("type")
    if kind == "cancel_run":
        return CancelRun(user_id=str(payload["user_id"]), run_id=str(payload["run_id"]))
    if kind == "approval_decided":
        return ApprovalDecided(
            approval_id=str(payload["approval_id"]), status=str(payload["status"])
        )
    return None
