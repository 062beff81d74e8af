"""A Web Push endpoint recorder on 127.0.0.1: a push service that checks and decrypts every message.

Each subscription has its own P-256 key pair and auth secret, like a browser's. A message must
say `Content-Encoding: aes128gcm`, a TTL, and `Authorization: vapid t=<ES256 JWT>, k=<key>` whose
JWT verifies with that key, names the endpoint's origin as `aud` and expires within 24 hours; its
body is decrypted with the subscription's private key. Anything else is answered 400 and kept in
`errors`. Statuses to answer can be scripted per subscription (404, 410, 429, 500, or HANG:
no answer until `release()`).
"""

import asyncio
import base64
import json
import os
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import http_ece
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.support.live import serving

HANG = 0  # a scripted answer: hold the request without answering


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Subscriber:
    """One browser's subscription: its keys, and statuses to answer before the usual 201."""

    id: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    answers: deque[int] = field(default_factory=deque)

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64(point)


@dataclass(frozen=True)
class Received:
    """A message the recorder accepted (or answered with a scripted status)."""

    subscriber: str
    payload: dict[str, Any]
    headers: dict[str, str]
    status: int
    at: float


class PushRecorder:
    """The push service: `subscribe()` gives a browser-like subscription; messages are checked."""

    def __init__(self) -> None:
        self.base_url = ""
        self.subscribers: dict[str, Subscriber] = {}
        self.received: list[Received] = []
        self.errors: list[str] = []
        self._changed = asyncio.Condition()
        self._released = asyncio.Event()
        self._verified: set[str] = set()  # VAPID tokens already checked (reused for hours)
        self.app = Starlette(
            routes=[
                Route("/push/{sid}", self._push, methods=["POST"]),
                Route("/subscribe", self._subscribe_many, methods=["POST"]),
                Route("/stats", self._stats, methods=["GET"]),
            ]
        )

    def subscribe(self, *answers: int) -> dict[str, Any]:
        """A new subscription (as `PushSubscription.toJSON()`); `answers` are scripted statuses."""
        sid = b64(os.urandom(12))
        subscriber = Subscriber(sid, ec.generate_private_key(ec.SECP256R1()), os.urandom(16))
        subscriber.answers.extend(answers)
        self.subscribers[sid] = subscriber
        return {
            "endpoint": f"{self.base_url}/push/{sid}",
            "keys": {"p256dh": subscriber.p256dh, "auth": b64(subscriber.auth)},
        }

    def delivered(self, endpoint: str | None = None) -> list[Received]:
        """Messages answered with 201, to one endpoint or all."""
        sid = endpoint.rsplit("/", 1)[-1] if endpoint else None
        return [r for r in self.received if r.status == 201 and sid in (None, r.subscriber)]

    async def wait_for(self, count: int, timeout: float = 30.0) -> list[Received]:
        """Once `count` messages were accepted, all accepted so far."""
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: len(self.delivered()) >= count)
        return self.delivered()

    async def wait_for_hung(self, timeout: float = 30.0) -> None:
        """Once a request is being held (a HANG answer)."""
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: any(r.status == HANG for r in self.received))

    def release(self) -> None:
        """Let held requests answer (201)."""
        self._released.set()

    def _refuse(self, reason: str) -> Response:
        self.errors.append(reason)
        return Response(reason, status_code=400)

    async def _push(self, request: Request) -> Response:
        subscriber = self.subscribers.get(request.path_params["sid"])
        if subscriber is None:
            return Response(status_code=404)
        headers = {k.lower(): v for k, v in request.headers.items()}
        if headers.get("content-encoding") != "aes128gcm":
            return self._refuse(f"Content-Encoding is {headers.get('content-encoding')!r}")
        if not headers.get("ttl", "").isdigit():
            return self._refuse(f"TTL is {headers.get('ttl')!r}")
        origin = f"{request.url.scheme}://{headers.get('host', '')}"  # the endpoint's origin
        reason = self._check_vapid(headers.get("authorization", ""), origin)
        if reason:
            return self._refuse(reason)
        try:
            plain = http_ece.decrypt(
                await request.body(),
                private_key=subscriber.private_key,
                auth_secret=subscriber.auth,
                version="aes128gcm",
            )
            payload = json.loads(plain)
        except Exception as exc:  # any failure to decrypt is the sender's fault here
            return self._refuse(f"payload did not decrypt: {exc!r}")
        status = subscriber.answers.popleft() if subscriber.answers else 201
        if status in (404, 410):
            self.subscribers.pop(subscriber.id, None)
        async with self._changed:
            self.received.append(Received(subscriber.id, payload, headers, status, time.time()))
            self._changed.notify_all()
        if status == HANG:
            await self._released.wait()
            status = 201
        return Response(status_code=status)

    async def _subscribe_many(self, request: Request) -> Response:
        """For a recorder in its own process (bench/): `?count=N` new subscriptions."""
        count = int(request.query_params.get("count", "1"))
        body = json.dumps([self.subscribe() for _ in range(count)])
        return Response(body, media_type="application/json")

    async def _stats(self, _: Request) -> Response:
        """Accepted messages, duplicates (a subscription given one task twice), refusals, times."""
        accepted = self.delivered()
        distinct = {(r.subscriber, r.payload.get("task_id")) for r in accepted}
        times = [r.at for r in accepted]
        stats = {
            "delivered": len(accepted),
            "duplicates": len(accepted) - len(distinct),
            "errors": len(self.errors),
            "first_error": self.errors[0] if self.errors else None,
            "first_at": min(times, default=None),
            "last_at": max(times, default=None),
        }
        return Response(json.dumps(stats), media_type="application/json")

    def _check_vapid(self, authorization: str, origin: str) -> str | None:
        key = f"{origin} {authorization}"
        if key in self._verified:
            return None
        reason = self._verify_vapid(authorization, origin)
        if reason is None:
            self._verified.add(key)
        return reason

    @staticmethod
    def _verify_vapid(authorization: str, origin: str) -> str | None:
        scheme, _, rest = authorization.partition(" ")
        if scheme.lower() != "vapid":
            return f"Authorization scheme is {scheme!r}, not vapid"
        params = dict(part.strip().split("=", 1) for part in rest.split(",") if "=" in part)
        if "t" not in params or "k" not in params:
            return "Authorization lacks t= or k="
        try:
            key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(params["k"]))
            claims = jwt.decode(
                params["t"], key, algorithms=["ES256"], audience=origin,
                options={"require": ["aud", "exp", "sub"]},
            )  # fmt: skip
        except Exception as exc:
            return f"VAPID JWT does not verify: {exc!r}"
        if not 0 < claims["exp"] - time.time() <= 24 * 3600:
            return f"VAPID JWT exp is not within 24 h: {claims['exp']}"
        if not str(claims["sub"]).startswith(("mailto:", "https://")):
            return f"VAPID sub is {claims['sub']!r}"
        return None


@asynccontextmanager
async def push_recorder() -> AsyncIterator[PushRecorder]:
    """A running recorder on a free 127.0.0.1 port."""
    recorder = PushRecorder()
    async with serving(recorder.app) as url:
        recorder.base_url = url
        yield recorder


def main() -> None:
    """Run a recorder on its own: `python -m tests.support.push_service --port 8470`."""
    import argparse

    import uvicorn

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    recorder = PushRecorder()
    recorder.base_url = f"http://127.0.0.1:{args.port}"
    uvicorn.run(recorder.app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
