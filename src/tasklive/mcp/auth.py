"""The MCP token verifier: the service's own access tokens, for users that still exist."""

from mcp.server.auth.middleware.auth_context import get_access_token
from mcp.server.auth.provider import AccessToken
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.auth.tokens import user_from_token
from tasklive.errors import AuthenticationError


class AccessTokenVerifier:
    """Accepts a tasklive access token; the MCP client and subject are the token's user."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], secret: str) -> None:
        self.sessionmaker = sessionmaker
        self.secret = secret

    async def verify_token(self, token: str) -> AccessToken | None:
        try:
            async with self.sessionmaker() as session:
                user, expires_at = await user_from_token(session, token, self.secret)
        except AuthenticationError:
            return None
        return AccessToken(
            token=token,
            client_id=user.id,
            subject=user.id,
            scopes=[],
            expires_at=int(expires_at.timestamp()),
        )


def caller_id() -> str:
    """The user id of the verified token behind the current MCP request."""
    token = get_access_token()
    if token is None or token.subject is None:
        raise AuthenticationError("Sign in to continue.")
    return token.subject
