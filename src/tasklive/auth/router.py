"""Sign-up, sign-in, sign-out and session endpoints."""

from fastapi import APIRouter, Request, Response, status

from tasklive.auth import service
from tasklive.auth.dependencies import PrincipalDep, SettingsDep
from tasklive.auth.models import User
from tasklive.auth.schemas import SessionOut, SignInIn, SignUpIn, TokenOut, UserOut
from tasklive.auth.throttle import ThrottleRules
from tasklive.config import Settings
from tasklive.db import SessionDep
from tasklive.openapi import errors

router = APIRouter(prefix="/api/auth", tags=["auth"])


def _signed_in(user: User, settings: Settings, response: Response) -> TokenOut:
    token = service.issue_token(
        user.id, settings.resolved_secret_key, settings.access_token_minutes
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
    return _signed_in(user, settings, response)


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
    return _signed_in(user, settings, response)


@router.post("/sign-out", status_code=status.HTTP_204_NO_CONTENT)
async def sign_out(settings: SettingsDep, response: Response) -> None:
    """Forget the session cookie."""
    response.delete_cookie(settings.cookie_name, path="/")


@router.get("/session")
async def current_session(principal: PrincipalDep) -> SessionOut:
    """Who is signed in, and until when."""
    return SessionOut(user=UserOut.model_validate(principal.user), expires_at=principal.expires_at)
