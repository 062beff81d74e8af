"""Settings from TASKLIVE_* environment variables and .env; the one place defaults live."""

import os
import secrets
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Service configuration."""

    model_config = SettingsConfigDict(env_prefix="TASKLIVE_", env_file=".env", extra="ignore")

    data_dir: Path = Path(".tasklive")
    database_url: str | None = None
    broker_url: str = "memory://"
    model: str = "offline"
    openai_base_url: str | None = None
    openai_api_key: str | None = None
    secret_key: str | None = None
    daily_message_limit: int = 100
    allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    retention_days: int = 90
    purge_interval_seconds: int = 3600

    access_token_minutes: int = 60 * 24 * 7
    cookie_name: str = "tasklive_session"
    cookie_secure: bool = False
    auth_attempts_per_email: int = 10
    auth_attempts_per_address: int = 100
    auth_throttle_window_seconds: int = 300

    history_window: int = 30
    max_message_chars: int = 10_000
    model_retries: int = 3
    model_retry_base_seconds: float = 0.5
    model_timeout_seconds: float = 20.0
    # auto: stream until a server fails a streamed request with tools, then send them unstreamed
    model_streaming: Literal["auto", "on", "off"] = "auto"
    model_request_limit: int = Field(default=10, ge=1)  # model requests in one turn
    turn_deadline_seconds: float = 40.0
    approval_seconds: float = 600.0
    chat_wait_seconds: float = 50.0

    instance_id: str | None = None
    run_lease_seconds: float = 20.0
    run_renew_seconds: float = 5.0
    run_sweep_seconds: float = 10.0

    max_active_turns: int = 32
    gc_tuning: bool = True  # False keeps Python's garbage-collector defaults (for comparing)
    db_pool_size: int = 20
    db_max_overflow: int = 10
    db_pool_timeout_seconds: float = 30.0

    max_request_bytes: int = 1024 * 1024  # a JSON body (chat, tasks, MCP)
    max_import_bytes: int = 100 * 1024 * 1024  # an import upload (a whole account's JSON export)
    max_caldav_bytes: int = 4 * 1024 * 1024  # a CalDAV request (one calendar object is 256 KiB)

    ws_queue_size: int = 512
    ws_auth_timeout_seconds: float = 10.0
    ws_concurrent_checks: int = Field(8, ge=1)  # live connections checking a credential at once
    ws_ping_interval_seconds: float = 20.0
    ws_max_frame_bytes: int = 64 * 1024
    event_history_size: int = 1000
    event_history_seconds: int = 3600
    max_connections_per_user: int = 100
    event_position_check_seconds: float = 5.0

    # Reminders beyond the tab: Web Push (VAPID) and e-mail.
    public_url: str | None = None  # links in reminders; default: the first allowed origin
    vapid_private_key: str | None = None
    vapid_subject: str | None = None  # default: the public URL when it is https
    push_allow_http: bool = False
    push_ttl_seconds: int = 3600
    push_timeout_seconds: float = 10.0
    push_retry_base_seconds: float = 1.0
    push_connections: int = 100
    smtp_url: str | None = None
    mail_from: str | None = None
    reminder_concurrency: int = 100
    reminder_poll_seconds: float = 5.0
    reminder_lease_seconds: float = 60.0

    log_format: Literal["text", "json"] = "text"
    shutdown_grace_seconds: float = 10.0

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip().rstrip("/") for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("vapid_subject")
    @classmethod
    def _check_subject(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not (value.startswith("mailto:") and "@" in value) and not value.startswith("https://"):
            raise ValueError("TASKLIVE_VAPID_SUBJECT must be a mailto: or https:// URL")
        return value

    @property
    def mail_enabled(self) -> bool:
        """Whether reminders can be e-mailed."""
        return bool(self.smtp_url and self.mail_from)

    @property
    def resolved_public_url(self) -> str:
        """The page's address, for links in reminders."""
        if self.public_url:
            return self.public_url.rstrip("/")
        return self.allowed_origins[0] if self.allowed_origins else "http://127.0.0.1:8000"

    @property
    def resolved_vapid_subject(self) -> str:
        """Whom push services may contact: the setting, else the page's https address, else a
        placeholder some push services refuse (start-up warns about it)."""
        if self.vapid_subject:
            return self.vapid_subject
        if self.resolved_public_url.startswith("https://"):
            return self.resolved_public_url
        return "mailto:tasklive@localhost"

    @cached_property
    def resolved_database_url(self) -> str:
        """The configured database URL, or a SQLite file in the data dir."""
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite+aiosqlite:///{(self.data_dir / 'tasklive.db').resolve()}"

    @cached_property
    def resolved_secret_key(self) -> str:
        """The configured secret, or one generated once and kept in the data dir (mode 0600)."""
        if self.secret_key:
            return self.secret_key
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path = self.data_dir / "secret_key"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        key = secrets.token_urlsafe(48)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key
