"""Outgoing mail through `MAIL_URL`.

- `file:///path/outbox` (the embedded default): one .eml file per message.
- `smtp://user:pass@host:port`: SMTP with STARTTLS when the server offers it
  (`?starttls=require` makes it mandatory); `smtps://` uses implicit TLS.

Messages of people's actions (confirmations, resets, notices) are not sent inside the
request: `send_mail` puts them in the mail queue (portal/mail_queue.py), in the request's
transaction, and a background job delivers them.
"""

from __future__ import annotations

import email.policy
import smtplib
import ssl
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app, render_template

from portal.models.base import utcnow


@dataclass(frozen=True)
class Transport:
    """Where messages go, parsed from MAIL_URL."""

    scheme: str
    path: str = ""
    host: str = ""
    port: int = 0
    username: str = ""
    password: str = ""
    require_starttls: bool = False

    @classmethod
    def from_url(cls, url: str) -> Transport:
        parts = urlsplit(url)
        if parts.scheme == "file":
            return cls(scheme="file", path=unquote(parts.path))
        if parts.scheme in {"smtp", "smtps"}:
            query = parse_qs(parts.query)
            default_port = 465 if parts.scheme == "smtps" else 587
            return cls(
                scheme=parts.scheme,
                host=parts.hostname or "localhost",
                port=parts.port or default_port,
                username=unquote(parts.username or ""),
                password=unquote(parts.password or ""),
                require_starttls=query.get("starttls", [""])[0] == "require",
            )
        raise ValueError(f"Unsupported MAIL_URL scheme: {parts.scheme!r}")

    def deliver(self, message: EmailMessage) -> None:
        with self.session() as session:
            session.send(message)

    @contextmanager
    def session(self):
        """One connection for many messages (SMTP); `send` raises smtplib errors as they come."""
        if self.scheme == "file":
            yield _FileSession(self)
            return
        client = self._connect()
        try:
            yield client
        finally:
            try:
                client.quit()
            except smtplib.SMTPException:
                client.close()
            except OSError:
                pass

    def _write_file(self, data: bytes) -> None:
        folder = Path(self.path)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
        tmp = folder / f".{name}.tmp"
        tmp.write_bytes(data)
        tmp.rename(folder / name)  # atomic: readers never see half a message

    def _connect(self) -> _SmtpSession:
        context = ssl.create_default_context()
        if self.scheme == "smtps":
            client: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=30, context=context)
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=30)
        client.ehlo()
        if self.scheme == "smtp" and (client.has_extn("starttls") or self.require_starttls):
            client.starttls(context=context)
            client.ehlo()
        if self.username:
            client.login(self.username, self.password)
        return _SmtpSession(client)


class _FileSession:
    supports_raw = True

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    def send(self, message: EmailMessage) -> None:
        self.transport._write_file(bytes(message))

    def send_raw(self, sender: str, recipients: list[str], data: bytes) -> None:
        self.transport._write_file(data)


class _SmtpSession:
    def __init__(self, client: smtplib.SMTP) -> None:
        self.client = client
        # Pre-built 8-bit messages need a server that takes them (nearly all do).
        self.supports_raw = client.has_extn("8bitmime")

    def send(self, message: EmailMessage) -> None:
        self.client.send_message(message)

    def send_raw(self, sender: str, recipients: list[str], data: bytes) -> None:
        """A message already serialised (bulk mail built once per language)."""
        self.client.sendmail(sender, recipients, data, mail_options=["BODY=8BITMIME"])

    def quit(self) -> None:
        self.client.quit()

    def close(self) -> None:
        self.client.close()


# Lines up to RFC 5322's 998 characters: a long header such as List-Unsubscribe stays one raw
# line (<https://…>) instead of being folded into RFC 2047 encoded-words, which mail providers
# do not read as a URL.
POLICY = email.policy.default.clone(max_line_length=998)


def build_message(
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    reply_to: str | None = None,
    headers: dict[str, str] | None = None,
    sender: str | None = None,
    eight_bit: bool = False,
) -> EmailMessage:
    """A multipart (text + optional HTML) message with Date and Message-ID; `eight_bit` keeps
    the bodies unencoded, so a serialised copy can serve as a template (bulk mail)."""
    message = EmailMessage(policy=POLICY)
    sender = sender or current_app.config["MAIL_FROM"]
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    domain = sender.rsplit("@", 1)[-1].strip(">") or "crocevia.example"
    message["Message-ID"] = make_msgid(domain=domain)
    if reply_to:
        message["Reply-To"] = reply_to
    for name, value in (headers or {}).items():
        message[name] = value
    if eight_bit:
        message.set_content(text, cte="8bit")
        if html:
            message.add_alternative(html, subtype="html", cte="8bit")
    else:
        message.set_content(text)
        if html:
            message.add_alternative(html, subtype="html")
    return message


BULK_TO = "crocevia-recipient-placeholder@placeholder.invalid"
BULK_MESSAGE_ID = "<crocevia-message-id-placeholder@placeholder.invalid>"


class BulkTemplate:
    """A message serialised once (8-bit bodies, placeholders for the address and Message-ID):
    each recipient's copy is a few byte replacements, so thousands cost little more than one.
    Used for newsletter issues and alerts; other per-recipient marks (a personal token) are
    replaced the same way."""

    def __init__(self, message: EmailMessage, linesep: str = "\n") -> None:
        message.replace_header("Message-ID", BULK_MESSAGE_ID)
        self.raw = message.as_bytes(policy=POLICY.clone(linesep=linesep))

    @staticmethod
    def fits(to: str, message_id: str) -> bool:
        """Plain ASCII address and id (others take the ordinary, encoded path)."""
        return to.isascii() and message_id.isascii()

    def fill(self, to: str, message_id: str, marks: dict[str, str] | None = None) -> bytes:
        raw = self.raw.replace(BULK_TO.encode(), to.encode()).replace(BULK_MESSAGE_ID.encode(), message_id.encode())
        for mark, value in (marks or {}).items():
            raw = raw.replace(mark.encode(), value.encode())
        return raw


def transport() -> Transport:
    return Transport.from_url(current_app.config["MAIL_URL"])


def send_mail(to: str, subject: str, text: str, html: str | None = None, **kwargs) -> EmailMessage:
    """Build one message and queue it; it leaves when the caller's transaction commits."""
    from portal.mail_queue import enqueue

    message = build_message(to, subject, text, html, **kwargs)
    enqueue(message)
    return message


def send_templated_mail(to: str, subject: str, template: str, reply_to: str | None = None, **context) -> EmailMessage:
    """Render `<template>.txt` and `<template>.html` and send them."""
    text = render_template(f"{template}.txt", **context)
    html = render_template(f"{template}.html", **context)
    return send_mail(to, subject, text, html, reply_to=reply_to)
