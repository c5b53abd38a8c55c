"""What the SMS and the e-mail outboxes share: a stored message (a row with `id`, `status`,
`attempts`, `next_attempt_at`, `last_error`) is claimed for one attempt before it is handed to
its provider, so that of several workers exactly one sends it; a failure is scheduled again
with a growing pause, and given up after the last attempt. portal.core.sms and portal.core.mail
send through these steps; each keeps its own table and provider."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from portal.clock import now
from portal.core.models import SmsStatus
from portal.extensions import db

FIRST_RETRY = dt.timedelta(seconds=30)
MAX_RETRY = dt.timedelta(minutes=30)


def backoff(attempts: int) -> dt.timedelta:
    """30 s after the first failure, then 1, 2, 4, 8 … minutes, never more than 30."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), MAX_RETRY)


def claim(message) -> bool:
    """Take the message for this attempt, so a second worker cannot send it as well: a
    conditional UPDATE of its attempt count (SQLite ignores FOR UPDATE; this holds on both,
    and on PostgreSQL keeps the row locked until the attempt is committed)."""
    model = type(message)
    seen = db.session.scalar(sa.select(model.attempts).where(model.id == message.id))
    if seen is None:
        return False
    claimed = db.session.execute(
        sa.update(model)
        .where(model.id == message.id, model.status == SmsStatus.QUEUED,
               model.attempts == seen)
        .values(attempts=seen + 1)
        .execution_options(synchronize_session=False)).rowcount == 1
    db.session.refresh(message)
    return claimed


def failed(message, error: Exception, max_attempts: int) -> bool:
    """Record a failed attempt: scheduled again after backoff(), or given up after the last
    one (FAILED). Returns whether it was given up. The caller commits."""
    message.last_error = str(error)[:500]
    if message.attempts >= max_attempts:
        message.status, message.next_attempt_at = SmsStatus.FAILED, None
        return True
    message.next_attempt_at = now() + backoff(message.attempts)
    return False


def sent(message, ref: str) -> None:
    """Record that the provider took it (its reference). The caller commits."""
    message.status, message.sent_at, message.provider_ref = SmsStatus.SENT, now(), ref
    message.next_attempt_at = None


def next_due(model):
    """The oldest queued message whose time has come, its row taken with SKIP LOCKED
    (PostgreSQL), so several machines may look at once; None when none is due."""
    return db.session.scalars(
        sa.select(model)
        .where(model.status == SmsStatus.QUEUED, model.next_attempt_at <= now())
        .order_by(model.created_at, model.id)
        .limit(1)
        .with_for_update(skip_locked=True)).first()
