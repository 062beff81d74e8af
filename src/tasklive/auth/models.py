"""User accounts, their sign-in sessions and personal access tokens, and sign-in throttling."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from tasklive.db import Base, UTCDateTime, new_id, utcnow


class User(Base):
    """A person with a login; owns tasks and conversations."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    last_task_number: Mapped[int] = mapped_column(Integer, default=0)
    # The number of the user's latest task change (the task change log's `seq`).
    change_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    calendar_secret: Mapped[str | None] = mapped_column(
        String(64), unique=True, index=True, nullable=True
    )
    # Single deletes wait for approval too, not only the bulk-destructive tools.
    approve_deletes: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Where reminders go beyond open tabs: push, email or both.
    reminder_channel: Mapped[str] = mapped_column(String(8), default="push", server_default="push")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuthThrottle(Base):
    """Sign-in and sign-up attempts in the current window, per hashed email or client address."""

    __tablename__ = "auth_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer)


class AuthSession(Base):
    """One sign-in: its access token names this row (`sid`) and stops working once it is revoked."""

    __tablename__ = "auth_sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class PersonalAccessToken(Base):
    """A named, long-lived token for MCP clients and scripts; only its SHA-256 is kept."""

    __tablename__ = "personal_access_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
