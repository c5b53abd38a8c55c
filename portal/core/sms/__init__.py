"""Sending SMS: one interface, two backends (outbox, http). Every message is first stored in
sms_message, then handed to the backend; a failed send stays queued and is retried, never lost."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup

from portal.clock import now
from portal.config import ConfigError
from portal.core.models import SmsMessage, SmsStatus
from portal.core.sms.backends import HttpBackend, OutboxBackend, SmsBackend, SmsSendError
from portal.extensions import db

__all__ = [
    "HttpBackend", "OutboxBackend", "SmsBackend", "SmsSendError",
    "backend", "deliver", "enqueue", "init_app", "on_retry", "record_delivery", "retry_due",
    "send_now",
]

SENDER = "1414"
FIRST_RETRY = dt.timedelta(seconds=30)
MAX_RETRY = dt.timedelta(minutes=30)

log = logging.getLogger(__name__)
cli = AppGroup("sms", help="Outgoing SMS.")
_before_retry: dict[str, Callable[[SmsMessage], None]] = {}


def on_retry(purpose: str, hook: Callable[[SmsMessage], None]) -> None:
    """Let the owner of a purpose rewrite a message before a retry goes out (a deadline it
    prints is then counted again from the real sending time)."""
    _before_retry[purpose] = hook


def backend() -> SmsBackend:
    """The configured provider; a test may put its own in app.extensions["sms_backend"]."""
    return current_app.extensions["sms_backend"]


def enqueue(phone: str, body: str, purpose: str = "") -> SmsMessage:
    """Store the message in the caller's transaction, so it exists before anything is sent."""
    message = SmsMessage(phone=phone, sender=SENDER, body=body, purpose=purpose,
                         status=SmsStatus.QUEUED, attempts=0, next_attempt_at=now())
    db.session.add(message)
    db.session.flush()
    return message


def recent(phone_digits: str, limit: int) -> list[SmsMessage]:
    """Stored SMS, newest first; only those to a phone ending in `phone_digits` if given (the
    demo outbox page)."""
    query = sa.select(SmsMessage).order_by(SmsMessage.created_at.desc(), SmsMessage.id.desc())
    if phone_digits:
        query = query.where(SmsMessage.phone.endswith(phone_digits, autoescape=True))
    return list(db.session.scalars(query.limit(limit)))


def backoff(attempts: int) -> dt.timedelta:
    """30 s after the first failure, then 1, 2, 4, 8 … minutes, never more than 30."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), MAX_RETRY)


def _claim(message: SmsMessage) -> bool:
    """Lock the row while it is being sent, so a second worker cannot send it as well."""
    query = (sa.select(SmsMessage.id)
             .where(SmsMessage.id == message.id, SmsMessage.status == SmsStatus.QUEUED)
             .with_for_update(skip_locked=True))
    return db.session.scalar(query) is not None


def deliver(message: SmsMessage) -> bool:
    """One attempt, then commit. A provider failure is recorded and scheduled, never raised:
    a dead provider must not lose an application or answer with a 500."""
    if not _claim(message):  # already sent, given up, or being sent by another worker
        db.session.commit()
        return message.status == SmsStatus.SENT
    if message.attempts and message.purpose in _before_retry:
        _before_retry[message.purpose](message)
    message.attempts += 1
    try:
        ref = backend().send(message.phone, message.sender, message.body)
    except SmsSendError as exc:
        message.last_error = str(exc)[:500]
        if message.attempts >= current_app.config["SMS_MAX_ATTEMPTS"]:
            message.status, message.next_attempt_at = SmsStatus.FAILED, None
            log.error("SMS %s to %s failed for good: %s", message.id, message.phone, exc)
        else:
            message.next_attempt_at = now() + backoff(message.attempts)
            log.warning("SMS %s attempt %s failed: %s", message.id, message.attempts, exc)
    else:
        message.status, message.sent_at, message.provider_ref = SmsStatus.SENT, now(), ref
        message.next_attempt_at = None
    db.session.commit()
    return message.status == SmsStatus.SENT


def record_delivery(provider_ref: str, delivered_at: dt.datetime) -> SmsMessage | None:
    """A provider's delivery report: note when the phone got the message, once (the first
    report counts; repeats change nothing). Never before the provider accepted it, nor in the
    future (clocks differ). The caller commits."""
    message = db.session.scalar(sa.select(SmsMessage).where(
        SmsMessage.provider_ref == provider_ref, SmsMessage.status == SmsStatus.SENT))
    if message is None:
        return None
    if message.delivered_at is None:
        moment = min(max(delivered_at, message.sent_at or delivered_at), now())
        db.session.execute(
            sa.update(SmsMessage)
            .where(SmsMessage.id == message.id, SmsMessage.delivered_at.is_(None))
            .values(delivered_at=moment)
            .execution_options(synchronize_session=False))
        db.session.refresh(message)
    return message


def send_now(phone: str, body: str, purpose: str = "") -> SmsMessage:
    """Store, commit, try once: the message survives whatever the provider does."""
    message = enqueue(phone, body, purpose)
    db.session.commit()
    deliver(message)
    return message


def retry_due(limit: int = 100) -> int:
    """Send queued messages whose time has come, oldest first; returns how many went out.
    Each row is claimed with SKIP LOCKED (PostgreSQL), so several machines may run this."""
    sent = 0
    for _ in range(limit):
        query = (sa.select(SmsMessage)
                 .where(SmsMessage.status == SmsStatus.QUEUED, SmsMessage.next_attempt_at <= now())
                 .order_by(SmsMessage.created_at, SmsMessage.id)
                 .limit(1)
                 .with_for_update(skip_locked=True))
        message = db.session.scalars(query).first()
        if message is None:
            break
        sent += deliver(message)
    db.session.commit()
    return sent


@cli.command("retry")
@click.option("--limit", default=100, show_default=True, help="Most messages in one run.")
def retry_command(limit: int) -> None:
    """Retry queued SMS that are due (safe to run from cron on several machines)."""
    click.echo(retry_due(limit))


def _build_backend(config) -> SmsBackend:
    kind = config.get("SMS_BACKEND", "outbox")
    if kind == "outbox":
        return OutboxBackend()
    if kind == "http":
        if not config.get("SMS_HTTP_URL"):
            raise ConfigError("SMS_BACKEND=http needs PORTAL_SMS_HTTP_URL (the provider's URL)")
        try:
            return HttpBackend(config["SMS_HTTP_URL"], config.get("SMS_HTTP_TOKEN", ""))
        except ValueError as exc:
            raise ConfigError(str(exc)) from exc
    raise ConfigError(f"Unknown SMS_BACKEND {kind!r}: use 'outbox' or 'http'")


def init_app(app: Flask) -> None:
    """Choose the backend from SMS_BACKEND; register the `flask sms retry` command."""
    app.extensions["sms_backend"] = _build_backend(app.config)
    app.cli.add_command(cli)
