"""Sending e-mail notices: one interface, two backends (outbox, smtp), built as SMS is
(portal.core.sms). Every message is first stored in mail_message in the caller's transaction,
then handed to the backend; a failed send stays queued and is retried, never lost, and never
undoes or slows what the citizen did.

A web request only commits the message (the outbox); the SMS worker (`flask sms worker`, one
process for both) sends it, woken by PostgreSQL's NOTIFY on the same channel as SMS, each row
claimed as an SMS is (portal.core.outbox). SMS_SEND_IN_REQUEST=True sends in the request
instead (the tests). Signing and sign-in codes never come here: they go by SMS only."""

from __future__ import annotations

import logging

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup

from portal.clock import now
from portal.config import ConfigError
from portal.core import outbox
from portal.core.mail.backends import MailBackend, MailSendError, OutboxBackend, SmtpBackend
from portal.core.models import MailMessage, SmsStatus
from portal.extensions import db

__all__ = [
    "MailBackend", "MailSendError", "OutboxBackend", "SmtpBackend",
    "backend", "deliver", "dispatch", "enqueue", "init_app", "recent", "retry_due",
]

CHANNEL = "sms_outbox"  # PostgreSQL LISTEN/NOTIFY channel of the worker (SMS and e-mail)
MAX_SUBJECT = 200

log = logging.getLogger(__name__)
cli = AppGroup("mail", help="Outgoing e-mail.")


def backend() -> MailBackend:
    """The configured provider; a test may put its own in app.extensions["mail_backend"]."""
    return current_app.extensions["mail_backend"]


def enqueue(recipient: str, subject: str, body: str, purpose: str = "") -> MailMessage:
    """Store the message in the caller's transaction, so it exists before anything is sent."""
    message = MailMessage(recipient=recipient, subject=" ".join(subject.split())[:MAX_SUBJECT],
                          body=body, purpose=purpose, status=SmsStatus.QUEUED, attempts=0,
                          next_attempt_at=now())
    db.session.add(message)
    db.session.flush()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text(f"NOTIFY {CHANNEL}"))  # delivered at COMMIT only
    return message


def dispatch(message: MailMessage | None) -> None:
    """After the caller's commit: send now (SMS_SEND_IN_REQUEST, the tests) or leave it to
    the worker, which the commit has already woken."""
    if message is not None and current_app.config.get("SMS_SEND_IN_REQUEST"):
        deliver(message)


def deliver(message: MailMessage) -> bool:
    """One attempt, then commit. A server failure is recorded and scheduled, never raised."""
    if not outbox.claim(message):  # already sent, given up, or being sent by another worker
        db.session.commit()
        return message.status == SmsStatus.SENT
    try:
        ref = backend().send(message.recipient, current_app.config["MAIL_FROM"],
                             message.subject, message.body)
    except MailSendError as exc:
        if outbox.failed(message, exc, current_app.config["SMS_MAX_ATTEMPTS"]):
            log.error("Mail %s failed for good: %s", message.id, exc)
        else:
            log.warning("Mail %s attempt %s failed: %s", message.id, message.attempts, exc)
    else:
        outbox.sent(message, ref)
    db.session.commit()
    return message.status == SmsStatus.SENT


def retry_due(limit: int = 100) -> int:
    """Send queued messages whose time has come, oldest first; returns how many went out."""
    sent = 0
    for _ in range(limit):
        message = outbox.next_due(MailMessage)
        if message is None:
            break
        sent += deliver(message)
    db.session.commit()
    return sent


def recent(recipient: str, limit: int) -> list[MailMessage]:
    """Stored e-mail, newest first; only those to `recipient` if given (the demo page)."""
    query = sa.select(MailMessage).order_by(MailMessage.created_at.desc(),
                                            MailMessage.id.desc())
    if recipient:
        query = query.where(sa.func.lower(MailMessage.recipient) == recipient.lower())
    return list(db.session.scalars(query.limit(limit)))


@cli.command("retry")
@click.option("--limit", default=100, show_default=True, help="Most messages in one run.")
def retry_command(limit: int) -> None:
    """Retry queued e-mail that is due (`flask sms worker` does it too)."""
    click.echo(retry_due(limit))


def _build_backend(config) -> MailBackend:
    kind = config.get("MAIL_BACKEND", "outbox")
    if kind == "outbox":
        return OutboxBackend()
    if kind == "smtp":
        try:
            return SmtpBackend(config.get("MAIL_SMTP_HOST", ""),
                               int(config.get("MAIL_SMTP_PORT") or 587),
                               bool(config.get("MAIL_SMTP_STARTTLS", True)),
                               config.get("MAIL_SMTP_USER", ""),
                               config.get("MAIL_SMTP_PASSWORD", ""))
        except ValueError as exc:
            raise ConfigError(f"MAIL_BACKEND=smtp: {exc} (PORTAL_MAIL_SMTP_HOST)") from exc
    raise ConfigError(f"Unknown MAIL_BACKEND {kind!r}: use 'outbox' or 'smtp'")


def init_app(app: Flask) -> None:
    """Choose the backend from MAIL_BACKEND; register `flask mail retry`."""
    app.extensions["mail_backend"] = _build_backend(app.config)
    app.cli.add_command(cli)
