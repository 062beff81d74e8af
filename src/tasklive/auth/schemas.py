"""Request and response bodies for the account endpoints."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, StringConstraints

from tasklive.auth.zones import TimeZoneName
from tasklive.text import Email, Password, storable

NewPassword = Annotated[
    str, StringConstraints(min_length=8, max_length=1024), AfterValidator(storable)
]
DisplayName = Annotated[str, StringConstraints(max_length=200), AfterValidator(storable)]
TokenName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(storable),
]


class UserOut(BaseModel):
    """A user as clients see it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    email: str
    name: str
    timezone: str = "UTC"
    created_at: datetime


class SignUpIn(BaseModel):
    email: EmailStr
    password: NewPassword
    name: DisplayName | None = None
    timezone: TimeZoneName | None = None


class SignInIn(BaseModel):
    email: Email
    password: Password


class TokenOut(BaseModel):
    user: UserOut
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime


class SessionOut(BaseModel):
    user: UserOut
    expires_at: datetime


class PersonalTokenCreate(BaseModel):
    name: TokenName


class PersonalTokenOut(BaseModel):
    """A personal access token as listed: never its secret."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    created_at: datetime


class PersonalTokenCreated(PersonalTokenOut):
    """A new personal access token; `token` is shown this once."""

    token: str


class AccountDelete(BaseModel):
    """The account's password, re-typed to confirm deleting it."""

    password: Password
