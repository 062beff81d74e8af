"""One Web Push message (RFC 8030/8291): encrypted with http_ece, POSTed with httpx.

pywebpush's own sender is synchronous (requests); a thread per message would cap delivery at
the thread pool's size, so only the encryption is done here and the POST is async.
"""

import asyncio
import json
import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import http_ece
import httpcore
import httpx
from cryptography.hazmat.primitives.asymmetric import ec

from tasklive.backoff import backoff_seconds
from tasklive.tasks.notify.guard import EndpointRefusedError, GuardedBackend
from tasklive.tasks.notify.vapid import VapidSigner, raw_public_key

RETRIES = 3


class TooLateError(Exception):
    """The lease's deadline passed before the push could go: leave it to the next claim."""


@dataclass(frozen=True)
class Target:
    """Where one push goes: a subscription's endpoint and its keys."""

    subscription_id: str
    endpoint: str
    p256dh: str
    auth: str


@dataclass(frozen=True)
class PushResult:
    """How one push ended: sent, gone (the subscription is dead) or failed."""

    status: str
    attempts: int
    code: int | None = None


def encrypt(payload: dict[str, Any], target: Target) -> bytes:
    """The payload as an aes128gcm body only the subscriber can read (RFC 8291)."""
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    body: bytes = http_ece.encrypt(
        json.dumps(payload, separators=(",", ":")).encode(),
        salt=os.urandom(16),
        private_key=ephemeral,
        dh=raw_public_key(target.p256dh),
        auth_secret=raw_public_key(target.auth),
        version="aes128gcm",
    )
    return body


def origin_of(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"


def push_client(
    *, allow_private: bool, timeout: float, connections: int = 100
) -> httpx.AsyncClient:
    """An HTTP client that reaches only public addresses (unless allowed), never via a proxy."""
    transport = httpx.AsyncHTTPTransport()
    transport._pool = httpcore.AsyncConnectionPool(  # the one way to choose its network backend
        ssl_context=httpx.create_ssl_context(),
        max_connections=connections,
        max_keepalive_connections=connections,
        keepalive_expiry=30.0,
        network_backend=GuardedBackend(allow_private=allow_private),
    )
    return httpx.AsyncClient(transport=transport, timeout=timeout, trust_env=False)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    return float(value) if value.isdigit() else None


class WebPusher:
    """Sends pushes with `TTL`, `Urgency: high` and a `Topic`; retries 429 and 5xx with backoff.

    At most `in_flight` requests are out at once, no more than the client's connections: a
    request queued inside httpcore's pool costs a scan of the whole queue at every change.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        signer: VapidSigner,
        *,
        ttl: int,
        backoff: float = 1.0,
        in_flight: int = 100,
    ) -> None:
        self.client = client
        self.signer = signer
        self.ttl = ttl
        self.backoff = backoff
        self._gate = asyncio.Semaphore(in_flight)

    async def send(
        self, target: Target, payload: dict[str, Any], topic: str, deadline: float
    ) -> PushResult:
        """Deliver one message, retrying while `deadline` (loop time) allows; TooLateError when
        the deadline passed before the first attempt."""
        loop = asyncio.get_running_loop()
        headers = {
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "TTL": str(self.ttl),
            "Urgency": "high",
            "Topic": topic[:32],
            "Authorization": self.signer.authorization(origin_of(target.endpoint)),
        }
        body = encrypt(payload, target)
        attempts = 0
        while True:
            attempts += 1
            code: int | None = None
            try:
                async with self._gate:
                    if loop.time() >= deadline:
                        if attempts == 1:
                            raise TooLateError(target.subscription_id)
                        return PushResult("failed", attempts - 1)
                    response = await self.client.post(
                        target.endpoint, content=body, headers=headers
                    )
                code = response.status_code
            except EndpointRefusedError:
                return PushResult("failed", attempts)  # its host now resolves to a private address
            except httpx.HTTPError:
                response = None
            if code is not None and 200 <= code < 300:
                return PushResult("sent", attempts, code)
            if code in (404, 410):
                return PushResult("gone", attempts, code)
            retryable = code is None or code == 429 or code >= 500
            hinted = _retry_after(response) if response is not None else None
            wait = backoff_seconds(self.backoff, attempts, hinted)
            if not retryable or attempts >= RETRIES or loop.time() + wait >= deadline:
                return PushResult("failed", attempts, code)
            await asyncio.sleep(wait)
