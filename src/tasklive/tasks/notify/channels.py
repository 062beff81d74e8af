"""Builds the reminder channels from the settings, for the app's lifespan."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from tasklive.config import Settings
from tasklive.tasks.notify.deliver import Channels
from tasklive.tasks.notify.mail import MailServer
from tasklive.tasks.notify.vapid import VapidSigner
from tasklive.tasks.notify.webpush import WebPusher, push_client


@asynccontextmanager
async def reminder_channels(settings: Settings) -> AsyncIterator[Channels]:
    """Web Push with the VAPID key (configured, or the data dir's), e-mail when configured."""
    signer = VapidSigner.from_settings(settings)
    mail = None
    if settings.mail_enabled:
        assert settings.smtp_url is not None and settings.mail_from is not None
        mail = MailServer.from_url(settings.smtp_url, settings.mail_from)
    client = push_client(
        allow_private=settings.push_allow_http,
        timeout=settings.push_timeout_seconds,
        connections=settings.push_connections,
    )
    async with client:
        pusher = WebPusher(
            client,
            signer,
            ttl=settings.push_ttl_seconds,
            backoff=settings.push_retry_base_seconds,
            in_flight=settings.push_connections,
        )
        yield Channels(
            pusher=pusher,
            mail=mail,
            public_url=settings.resolved_public_url,
            concurrency=settings.reminder_concurrency,
        )
