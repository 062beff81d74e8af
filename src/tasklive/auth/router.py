"""Sign-up, sign-in, sign-out, session and personal access token endpoints."""

from fastapi import APIRouter, Request, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from tasklive.auth import service, tokens
from tasklive.auth.credentials import offered_token
from tasklive.auth.models import User
from tasklive.auth.schemas import (
    AccountDelete,
    PersonalTokenCreate,
    PersonalTokenCreated,
    PersonalTokenOut,
    SessionOut,
    SignInIn,
    SignUpIn,
    TokenOut,
    UserOut,
)
from tasklive.auth.throttle import ThrottleRules
from tasklive.config import Settings
from tasklive.deps import CurrentUser, LiveCredentialsDep, PrincipalDep, SessionDep, SettingsDep
from tasklive.errors import PermissionDeniedError
from tasklive.openapi import errors
from tasklive.tasks.notify import subscriptions
from tasklive.text import Identifier

router = APIRouter(prefix="/api/auth", tags=["auth"])


async def _signed_in(
    session: AsyncSession, user: User, settings: Settings, response: Response
) -> TokenOut:
    token = await tokens.start_session(
        session, user.id, settings.resolved_secret_key, settings.access_token_minutes
    )
    response.set_cookie(
        settings.cookie_name,
        token.token,
        max_age=settings.access_token_minutes * 60,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        path="/",
    )
    return TokenOut(
        user=UserOut.model_validate(user), access_token=token.token, expires_at=token.expires_at
    )


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/sign-up", status_code=status.HTTP_201_CREATED, responses=errors(409, 429))
async def sign_up(
    body: SignUpIn, session: SessionDep, settings: SettingsDep, request: Request, response: Response
) -> TokenOut:
    """Create an account and sign in."""
    user = await service.sign_up(
        session,
        body.email,
        body.password,
        body.name,
        rules=ThrottleRules.from_settings(settings),
        address=_client_address(request),
    )
    if body.timezone:
        user.timezone = body.timezone
        await session.commit()
    return await _signed_in(session, user, settings, response)


@router.post("/sign-in", responses=errors(401, 429))
async def sign_in(
    body: SignInIn, session: SessionDep, settings: SettingsDep, request: Request, response: Response
) -> TokenOut:
    """Exchange email and password for an access token and session cookie."""
    user = await service.sign_in(
        session,
        body.email,
        body.password,
        rules=ThrottleRules.from_settings(settings),
        address=_client_address(request),
    )
    return await _signed_in(session, user, settings, response)


@router.post("/sign-out", status_code=status.HTTP_204_NO_CONTENT)
async def sign_out(
    session: SessionDep,
    settings: SettingsDep,
    live: LiveCredentialsDep,
    request: Request,
    response: Response,
) -> None:
    """End the caller's session everywhere (REST, live streams, MCP), stop the push reminders
    of the browser it subscribed, and forget the cookie."""
    try:
        offered = offered_token(request, settings)
    except PermissionDeniedError:
        offered = None  # another site may not sign you out
    if offered is not None:
        secret = settings.resolved_secret_key
        ended = await tokens.revoke_session(session, offered.token, secret)
        if ended is not None:
            await live.revoke(ended)
        if (signed_out := tokens.session_of(offered.token, secret)) is not None:
            await subscriptions.forget_session(session, signed_out)  # that browser's reminders
    response.delete_cookie(settings.cookie_name, path="/")


@router.get("/session")
async def current_session(principal: PrincipalDep) -> SessionOut:
    """Who is signed in, and until when."""
    return SessionOut(user=UserOut.model_validate(principal.user), expires_at=principal.expires_at)


@router.post("/tokens", status_code=status.HTTP_201_CREATED)
async def create_token(
    body: PersonalTokenCreate, user: CurrentUser, session: SessionDep
) -> PersonalTokenCreated:
    """A new personal access token for MCP clients and scripts; its secret is shown only now."""
    row, secret = await tokens.create_personal_token(session, user.id, body.name)
    return PersonalTokenCreated(id=row.id, name=row.name, token=secret, created_at=row.created_at)


@router.get("/tokens")
async def list_tokens(user: CurrentUser, session: SessionDep) -> list[PersonalTokenOut]:
    """The caller's personal access tokens, newest first, without their secrets."""
    rows = await tokens.personal_tokens(session, user.id)
    return [PersonalTokenOut.model_validate(row) for row in rows]


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_token(
    token_id: Identifier, user: CurrentUser, session: SessionDep, live: LiveCredentialsDep
) -> None:
    """Revoke a personal access token; it stops working at once, open streams included."""
    await live.revoke(await tokens.revoke_personal_token(session, user.id, token_id))


@router.delete("/me", status_code=status.HTTP_204_NO_CONTENT, responses=errors(403, 429))
async def delete_account(
    body: AccountDelete,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    live: LiveCredentialsDep,
    request: Request,
    response: Response,
) -> None:
    """Delete the caller's account and everything of it; every token and live connection ends."""
    keys = await service.delete_account(
        session,
        user,
        body.password,
        rules=ThrottleRules.from_settings(settings),
        address=_client_address(request),
    )
    for key in keys:
        await live.revoke(key)
    response.delete_cookie(settings.cookie_name, path="/")
