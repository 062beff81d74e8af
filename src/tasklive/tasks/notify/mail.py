"""Reminder e-mail over SMTP (aiosmtplib): a plain-text and an HTML body."""

import html
import re
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import aiosmtplib


@dataclass(frozen=True)
class MailServer:
    """Where mail goes: `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`."""

    hostname: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool
    sender: str
    timeout: float = 20.0

    @classmethod
    def from_url(cls, url: str, sender: str) -> "MailServer":
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("TASKLIVE_SMTP_URL must look like smtp://user:pass@host:587")
        tls = parts.scheme == "smtps"
        return cls(
            hostname=parts.hostname,
            port=parts.port or (465 if tls else 25),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=tls,
            sender=sender,
        )

    async def send(self, message: EmailMessage) -> None:
        """Hand one message to the server; raises on refusal or a network failure."""
        await aiosmtplib.send(
            message,
            hostname=self.hostname,
            port=self.port,
            username=self.username,
            password=self.password,
            use_tls=self.use_tls,
            timeout=self.timeout,
        )


def shown_due(due: date | datetime | None, zone: ZoneInfo) -> str | None:
    """A due value as the user reads it, in their time zone."""
    if due is None:
        return None
    if isinstance(due, datetime):
        local = due.astimezone(zone)
        return f"{local:%A %d %B %Y, %H:%M} ({zone.key})"
    return f"{due:%A %d %B %Y}"


# Line breaks, tabs and other control characters: a header value may hold none of them.
_UNFIT_FOR_HEADER = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")


def one_line(text: str) -> str:
    """`text` as a single header line: each run of spaces or control characters is one space."""
    return _UNFIT_FOR_HEADER.sub(" ", text).strip()


def reminder_mail(
    *,
    sender: str,
    to: str,
    number: int,
    title: str,
    due: str | None,
    link: str,
) -> EmailMessage:
    """The reminder of one task: its title, due time and a link to it."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = f"Reminder: {one_line(title)}"
    lines = [f"Reminder: #{number} {title}"]
    if due:
        lines.append(f"Due: {due}")
    lines += ["", f"Open it: {link}", "", "-- tasklive"]
    message.set_content("\n".join(lines))
    due_html = f"<p>Due: {html.escape(due)}</p>" if due else ""
    message.add_alternative(
        "<!doctype html><html><body>"
        f"<h1 style='font-size:1.2em'>Reminder: #{number} {html.escape(title)}</h1>"
        f"{due_html}<p><a href='{html.escape(link, quote=True)}'>Open the task</a></p>"
        "<p style='color:#666'>tasklive</p></body></html>",
        subtype="html",
    )
    return message
