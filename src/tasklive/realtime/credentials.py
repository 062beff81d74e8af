"""Live connections by the credential that opened them: closed when it is revoked or expires."""

import asyncio
import logging
import time
from datetime import UTC, datetime
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
    """Which open connections each credential (an opaque key from auth) holds on this instance.

    Connections given an `expires_at` are closed with 1008 then: one timer per distinct expiry
    (the tabs of one session share it), not one per connection.
    """

    def __init__(self, hub: ControlHub, concurrent_checks: int) -> None:
        self.hub = hub
        # New connections checking their credential at once (the rest wait in line).
        self.checking = asyncio.Semaphore(concurrent_checks)
        self._open: dict[str, set[Connection]] = {}
        self._revoked: dict[str, float] = {}
        self._expiring: dict[datetime, tuple[asyncio.TimerHandle, set[Connection]]] = {}
        hub.on_control(self._received)

    def opened(
        self, credential: str | None, connection: Connection, expires_at: datetime | None = None
    ) -> None:
        if credential is not None and credential in self._revoked:
            connection.close(WS_POLICY_VIOLATION, drain=False)
            return
        if credential is not None:
            self._open.setdefault(credential, set()).add(connection)
        if expires_at is not None:
            self._expire_at(expires_at, connection)

    def ended(
        self, credential: str | None, connection: Connection, expires_at: datetime | None = None
    ) -> None:
        held = self._open.get(credential) if credential is not None else None
        if held is not None and credential is not None:
            held.discard(connection)
            if not held:
                del self._open[credential]
        timer, expiring = (
            self._expiring.get(expires_at, (None, None)) if expires_at else (None, None)
        )
        if expiring is not None and timer is not None and expires_at is not None:
            expiring.discard(connection)
            if not expiring:
                timer.cancel()
                del self._expiring[expires_at]

    def _expire_at(self, expires_at: datetime, connection: Connection) -> None:
        if expires_at not in self._expiring:
            delay = max(0.0, (expires_at - datetime.now(UTC)).total_seconds())
            timer = asyncio.get_running_loop().call_later(delay, self._expired, expires_at)
            self._expiring[expires_at] = (timer, set())
        self._expiring[expires_at][1].add(connection)

    def _expired(self, expires_at: datetime) -> None:
        _, connections = self._expiring.pop(expires_at, (None, set()))
        for connection in connections:
            connection.expire()

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
