"""The push API: the VAPID key, subscriptions, and the service worker's Done and Snooze."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.requests import HTTPConnection

from tasklive.auth import tokens
from tasklive.db import utcnow
from tasklive.deps import CurrentUser, PrincipalDep, SessionDep, SettingsDep
from tasklive.errors import AuthenticationError
from tasklive.openapi import errors
from tasklive.services import get_services
from tasklive.tasks.notify import subscriptions
from tasklive.tasks.notify.guard import check_endpoint
from tasklive.tasks.notify.models import PushSubscription
from tasklive.tasks.notify.schemas import (
    PushKey,
    SnoozeIn,
    SubscriptionCreated,
    SubscriptionIn,
    SubscriptionOut,
)
from tasklive.tasks.schemas import TaskOut
from tasklive.tasks.service import TaskService
from tasklive.text import Identifier

router = APIRouter(prefix="/api/push", tags=["push"])
_worker_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="PushCredential",
    description="A push subscription's own credential (tlw_...), for its service worker.",
)


async def push_caller(
    session: SessionDep,
    offered: Annotated[HTTPAuthorizationCredentials | None, Depends(_worker_bearer)],
) -> PushSubscription:
    """The subscription whose service worker is calling, by its scoped credential."""
    if offered is None:
        raise AuthenticationError(subscriptions.BAD_CREDENTIAL)
    return await subscriptions.by_credential(session, offered.credentials)


PushCaller = Annotated[PushSubscription, Depends(push_caller)]


@router.get("/key")
async def push_key(connection: HTTPConnection) -> PushKey:
    """The key browsers subscribe with (applicationServerKey), and whether e-mail is offered."""
    services = get_services(connection)
    return PushKey(
        public_key=services.push_signer.public_key,
        email=services.reminder_channels.mail is not None,
    )


async def _checked(body: SubscriptionIn, connection: HTTPConnection) -> None:
    allow_http = get_services(connection).settings.push_allow_http
    await check_endpoint(body.endpoint, allow_http=allow_http)


@router.post("/subscriptions", status_code=status.HTTP_201_CREATED, responses=errors(422))
async def subscribe(
    body: SubscriptionIn,
    principal: PrincipalDep,
    settings: SettingsDep,
    session: SessionDep,
    request: Request,
) -> SubscriptionCreated:
    """Remember this browser's push subscription (until it is removed or its sign-in signs
    out); its credential is shown only now."""
    await _checked(body, request)
    row, credential = await subscriptions.subscribe(
        session,
        principal.user.id,
        body.endpoint,
        body.keys.p256dh,
        body.keys.auth,
        request.headers.get("user-agent", ""),
        tokens.session_of(principal.token, settings.resolved_secret_key),
    )
    return SubscriptionCreated(
        **SubscriptionOut.model_validate(row).model_dump(), credential=credential
    )


@router.get("/subscriptions")
async def list_subscriptions(user: CurrentUser, session: SessionDep) -> list[SubscriptionOut]:
    """The caller's push subscriptions, newest first."""
    rows = await subscriptions.listed(session, user.id)
    return [SubscriptionOut.model_validate(row) for row in rows]


@router.delete("/subscriptions/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT)
async def unsubscribe(subscription_id: Identifier, user: CurrentUser, session: SessionDep) -> None:
    """Stop pushing to one subscription."""
    await subscriptions.remove(session, user.id, subscription_id)


@router.post("/renew", responses=errors(401, 422))
async def renew(
    body: SubscriptionIn, caller: PushCaller, session: SessionDep, request: Request
) -> SubscriptionOut:
    """The service worker's new subscription after `pushsubscriptionchange`."""
    await _checked(body, request)
    row = await subscriptions.renew(
        session, caller, body.endpoint, body.keys.p256dh, body.keys.auth
    )
    return SubscriptionOut.model_validate(row)


def _tasks(
    connection: HTTPConnection, session: SessionDep, caller: PushSubscription
) -> TaskService:
    notifier = get_services(connection).task_notifier
    return TaskService(session, caller.user_id, notifier, source="push")


@router.post("/actions/{task_id}/done", responses=errors(401, 404))
async def done(
    task_id: Identifier, caller: PushCaller, session: SessionDep, request: Request
) -> TaskOut:
    """Complete a task from its notification (no tab needed)."""
    tasks = _tasks(request, session, caller)
    task = await tasks.update(await tasks.get(task_id), completed=True)
    return TaskOut.model_validate(task)


@router.post("/actions/{task_id}/snooze", responses=errors(401, 404))
async def snooze(
    task_id: Identifier,
    caller: PushCaller,
    session: SessionDep,
    request: Request,
    body: SnoozeIn | None = None,
) -> TaskOut:
    """Remind again in `minutes` (10 unless said)."""
    minutes = (body or SnoozeIn()).minutes
    tasks = _tasks(request, session, caller)
    task = await tasks.get(task_id)
    task = await tasks.update(task, remind_at=utcnow() + timedelta(minutes=minutes))
    return TaskOut.model_validate(task)
