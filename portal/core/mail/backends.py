"""The e-mail providers behind one `send()`: the outbox for development and demos (the stored
row is the mail, read on /demo/mail), SMTP for real (smtplib, STARTTLS, a login if given)."""

from __future__ import annotations

import logging
import secrets
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Protocol

log = logging.getLogger(__name__)


class MailSendError(Exception):
    """The server did not take the message; the caller keeps it queued and retries."""


class MailBackend(Protocol):
    def send(self, recipient: str, sender: str, subject: str, body: str) -> str:
        """Hand one message to the provider and return its Message-ID."""


class OutboxBackend:
    """Sends nothing: the stored row is the outbox, readable in the log and on /demo/mail."""

    def send(self, recipient: str, sender: str, subject: str, body: str) -> str:
        log.info("Mail outbox from %s to %s: %s", sender, recipient, subject)
        return f"<outbox-{secrets.token_hex(6)}@mekenjai>"


def message_of(recipient: str, sender: str, subject: str, body: str) -> EmailMessage:
    """A plain-text UTF-8 message (Kazakh and Russian letters need it) with its own id."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, recipient, subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(body, charset="utf-8")
    return message


class SmtpBackend:
    """An SMTP server: STARTTLS when asked (certificate checked), a login when a user is
    given. Every failure of the connection or the dialogue is a MailSendError."""

    def __init__(self, host: str, port: int = 587, starttls: bool = True, user: str = "",
                 password: str = "", timeout: float = 10):
        if not host:
            raise ValueError("the SMTP host is not set")
        self.host, self.port, self.starttls = host, port, starttls
        self.user, self.password, self.timeout = user, password, timeout

    def send(self, recipient: str, sender: str, subject: str, body: str) -> str:
        message = message_of(recipient, sender, subject, body)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as server:
                if self.starttls:
                    server.starttls(context=ssl.create_default_context())
                if self.user:
                    server.login(self.user, self.password)
                refused = server.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            raise MailSendError(f"SMTP {self.host}:{self.port}: {exc!r}"[:500]) from exc
        if refused:
            raise MailSendError(f"SMTP refused {', '.join(refused)}")
        return message["Message-ID"]
