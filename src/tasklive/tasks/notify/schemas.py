"""Bodies of the push API."""

import base64
from datetime import datetime
from typing import Annotated, Literal

from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from tasklive.tasks.schemas import TaskOut
from tasklive.text import storable

Channel = Literal["push", "email", "both"]


def _b64(value: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except ValueError:
        raise ValueError("must be URL-safe base64") from None


def _check_p256dh(value: str) -> str:
    raw = _b64(value)
    try:
        if len(raw) != 65 or raw[0] != 4:
            raise ValueError
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        raise ValueError(
            "must be the browser's P-256 public key (an uncompressed point, URL-safe base64)"
        ) from None
    return value.rstrip("=")


def _check_auth(value: str) -> str:
    if len(_b64(value)) != 16:
        raise ValueError("must be a 16-byte auth secret (URL-safe base64)")
    return value.rstrip("=")


class SubscriptionKeys(BaseModel):
    p256dh: Annotated[str, Field(max_length=128), AfterValidator(_check_p256dh)]
    auth: Annotated[str, Field(max_length=64), AfterValidator(_check_auth)]


class SubscriptionIn(BaseModel):
    """A browser's PushSubscription, as `subscription.toJSON()` gives it."""

    endpoint: Annotated[str, Field(max_length=2048), AfterValidator(storable)]
    keys: SubscriptionKeys
    expirationTime: float | None = None


class SubscriptionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    endpoint: str
    user_agent: str
    created_at: datetime
    last_used_at: datetime | None


class SubscriptionCreated(SubscriptionOut):
    credential: str = Field(
        description="Shown once: the service worker's credential for Done and Snooze "
        "(Authorization: Bearer) on /api/push/actions."
    )


class PushKey(BaseModel):
    public_key: str = Field(description="The VAPID public key (applicationServerKey), base64url.")
    email: bool = Field(description="Whether this service can also e-mail reminders.")


class SnoozeIn(BaseModel):
    minutes: int = Field(default=10, ge=1, le=24 * 60)


class DeliveryOut(BaseModel):
    """Where one reminder went."""

    model_config = ConfigDict(from_attributes=True)

    channel: str = Field(description="push or email")
    status: str = Field(description="sent, failed, or gone (the subscription no longer exists)")
    at: datetime


class TaskDetail(TaskOut):
    """One task, with where its reminders went."""

    reminder_deliveries: list[DeliveryOut] = Field(
        default_factory=list, description="Each delivery of the task's reminders, oldest first."
    )
