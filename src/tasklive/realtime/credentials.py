"""Live connections by the credential that opened them, so revoking it closes them everywhere."""

import logging
import time
from typing import Any, Protocol

from tasklive.errors import WS_POLICY_VIOLATION
from tasklive.realtime.brokers.base import BrokerUnavailableError, ControlCallback
from tasklive.realtime.connection import Connection

log = logging.getLogger(__name__)

CREDENTIAL_REVOKED = "credential_revoked"
# A connection checked its credential just before it was revoked may register just after:
# revocations are remembered this long so it is closed too.
REMEMBER_SECONDS = 300.0


class ControlHub(Protocol):
    """The part of the hub this needs: control messages to and from every instance."""

    def on_control(self, callback: ControlCallback) -> None: ...

    async def send_control(self, payload: dict[str, Any]) -> None: ...


class LiveCredentials:
    """Which open connections each credential (an opaque key from auth) holds on this instance."""

    def __init__(self, hub: ControlHub) -> None:
        self.hub = hub
        self._open: dict[str, set[Connection]] = {}
        self._revoked: dict[str, float] = {}
        hub.on_control(self._received)

    def opened(self, credential: str | None, connection: Connection) -> None:
        if credential is None:
            return
        if credential in self._revoked:
            connection.close(WS_POLICY_VIOLATION, drain=False)
            return
        self._open.setdefault(credential, set()).add(connection)

    def ended(self, credential: str | None, connection: Connection) -> None:
        held = self._open.get(credential) if credential is not None else None
        if held is not None:
            held.discard(connection)
            if not held:
                del self._open[credential]

    async def revoke(self, credential: str) -> None:
        """Close the credential's connections on every instance (1008; an SSE stream ends)."""
        payload = {"type": CREDENTIAL_REVOKED, "credential": credential}
        try:
            await self.hub.send_control(payload)
        except BrokerUnavailableError:
            # Other instances refuse the credential from now on but keep its open connections.
            log.warning("Could not tell other instances that a credential was revoked")
            self._received(payload)

    def _received(self, payload: dict[str, Any]) -> None:
        if payload.get("type") != CREDENTIAL_REVOKED:
            return
        credential = str(payload.get("credential"))
        now = time.monotonic()
        self._revoked = {k: t for k, t in self._revoked.items() if now - t < REMEMBER_SECONDS}
        self._revoked[credential] = now
        connections = self._open.pop(credential, set())
        for connection in connections:
            connection.close(WS_POLICY_VIOLATION, drain=False)
        if connections:
            log.info("Closed %d live connection(s) of a revoked credential", len(connections))
