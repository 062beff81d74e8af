"""The server's VAPID key (RFC 8292): from the settings, or generated once into the data dir."""

import base64
import ipaddress
import logging
import os
import time
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02, b64urlencode

from tasklive.config import Settings

logger = logging.getLogger(__name__)

KEY_FILE = "vapid_private_key.pem"
LOCAL_SUFFIXES = (".localhost", ".local", ".invalid", ".internal", ".test")
# A signed token is reused for this long per push service (RFC 8292 allows up to 24 h).
TOKEN_SECONDS = 12 * 3600


class VapidKeyError(ValueError):
    """TASKLIVE_VAPID_PRIVATE_KEY is neither a raw P-256 key nor a PEM one."""


def _from_setting(value: str) -> Vapid02:
    text = value.strip()
    try:
        if text.startswith("-----BEGIN"):
            return Vapid02.from_pem(text.encode())
        raw = raw_public_key(text)
        if len(raw) != 32:
            raise VapidKeyError("TASKLIVE_VAPID_PRIVATE_KEY must be 32 bytes (URL-safe base64)")
        return Vapid02(ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1()))
    except VapidKeyError:
        raise
    except Exception as exc:
        raise VapidKeyError(
            "TASKLIVE_VAPID_PRIVATE_KEY is not a P-256 private key (raw URL-safe base64 or PEM)"
        ) from exc


def _from_data_dir(data_dir: Path) -> Vapid02:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return Vapid02.from_pem(path.read_bytes())
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return Vapid02(key)


class VapidSigner:
    """Signs the `Authorization: vapid` header per push service origin, reusing each for hours."""

    def __init__(self, vapid: Vapid02, subject: str) -> None:
        self.vapid = vapid
        self.subject = subject
        point = vapid.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.public_key = b64urlencode(point)
        self._tokens: dict[str, tuple[float, str]] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> "VapidSigner":
        """The configured key, or the data dir's (generated on first use, mode 0600)."""
        if settings.vapid_private_key:
            vapid = _from_setting(settings.vapid_private_key)
        else:
            vapid = _from_data_dir(settings.data_dir)
        subject = settings.resolved_vapid_subject
        if unreachable(subject):
            logger.warning(
                "The VAPID subject %s is not an address anyone can reach; Apple's push service "
                "refuses it (403 BadJwtToken), so reminders will not reach Safari or iPhones. "
                "Set TASKLIVE_VAPID_SUBJECT=mailto:you@your-domain (or an https:// URL), or "
                "TASKLIVE_PUBLIC_URL=https://… to use the page's address.",
                subject,
            )
        return cls(vapid, subject)

    def authorization(self, audience: str, now: float | None = None) -> str:
        """`vapid t=<ES256 JWT>, k=<public key>` for a push service origin."""
        now = time.time() if now is None else now
        cached = self._tokens.get(audience)
        if cached is not None and cached[0] - now > 3600:
            return cached[1]
        expires = int(now) + TOKEN_SECONDS
        claims = {"aud": audience, "sub": self.subject, "exp": expires}
        header: str = self.vapid.sign(claims)["Authorization"]
        self._tokens[audience] = (expires, header)
        return header


def unreachable(subject: str) -> bool:
    """Whether a subject's host is local or reserved (localhost, .local, .invalid), which
    Apple's push service refuses."""
    if subject.startswith("mailto:"):
        host = subject.rsplit("@", 1)[-1]
    else:
        host = urlsplit(subject).hostname or ""
    host = host.strip().rstrip(".>").lower()
    if not host or host == "localhost" or host.endswith(LOCAL_SUFFIXES):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return not address.is_global


def raw_public_key(encoded: str) -> bytes:
    """A URL-safe base64 value as bytes (padding optional)."""
    return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
