"""Tables every journey shares: applications and their status history, SMS, one-time codes,
audit events."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.models.base import UtcDateTime, _now
from portal.domain.statuses import AppStatus, Service  # noqa: F401  (re-exported by portal.core.models)
from portal.extensions import db

if TYPE_CHECKING:  # the journey's table, imported by portal.core.models
    from portal.core.models.residence import ConsentRequest
    from portal.core.models.signing import Signature

class SmsStatus(StrEnum):
    QUEUED = "queued"  # waiting for its first or next attempt
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry


class SmsMessage(db.Model):
    __tablename__ = "sms_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(sa.String(16), index=True)
    sender: Mapped[str] = mapped_column(sa.String(16), default="1414")
    body: Mapped[str] = mapped_column(sa.Text)
    purpose: Mapped[str] = mapped_column(sa.String(32), default="")
    status: Mapped[str] = mapped_column(sa.String(16), default=SmsStatus.QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    provider_ref: Mapped[str | None] = mapped_column(sa.String(128), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, index=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)  # the provider accepted it
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)  # delivery report


class MailMessage(db.Model):
    """An e-mail notice in the outbox (portal.core.mail), kept like an SMS: queued, sent or
    failed, with its attempts (the same claim, portal.core.outbox). Statuses are SmsStatus's."""

    __tablename__ = "mail_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254), index=True)
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    purpose: Mapped[str] = mapped_column(sa.String(32), default="")
    status: Mapped[str] = mapped_column(sa.String(16), default=SmsStatus.QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    provider_ref: Mapped[str | None] = mapped_column(sa.String(255))  # the Message-ID
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, index=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)  # the server accepted it


class PhoneLock(db.Model):
    """One row per phone, updated to serialise "how many consent SMS in the last hour" checks
    across workers (the UPDATE takes the row lock; SQLite's write lock does the same)."""

    __tablename__ = "phone_lock"

    phone: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    touched_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)


class InboundSms(db.Model):
    """A reply from a phone, received through the provider's webhook (kept for idempotency)."""

    __tablename__ = "inbound_sms"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[str] = mapped_column(sa.String(128), unique=True)
    phone: Mapped[str] = mapped_column(sa.String(16))
    body: Mapped[str] = mapped_column(sa.Text)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    outcome: Mapped[str] = mapped_column(sa.String(32), default="")


class CodePurpose(StrEnum):
    SIGN_IN = "sign_in"
    SIGN_APPLICATION = "sign_application"


class OneTimeCode(db.Model):
    """A 6-digit code sent by SMS to sign in or to sign an application. Stored hashed."""

    __tablename__ = "one_time_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(sa.String(32))
    iin: Mapped[str] = mapped_column(sa.String(12), index=True)
    phone: Mapped[str] = mapped_column(sa.String(16))
    application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("application.id"))
    code_hash: Mapped[str] = mapped_column(sa.String(128))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    last_sent_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    sends: Mapped[int] = mapped_column(default=1)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    sms_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sms_message.id"))
    # Who asked for a sign-in code: a hash of the asking session's own tag, and its address
    # (the per-asker caps count these). A bound code is typed only in the session that asked
    # (portal.core.services.codes: after a code was killed by wrong tries).
    asker: Mapped[str | None] = mapped_column(sa.String(64))
    asker_ip: Mapped[str | None] = mapped_column(sa.String(64))
    bound: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


class SendGuard(db.Model):
    """One row per person (or other key) that sends of one-time codes take in turn: a send first
    updates this row, which locks it (PostgreSQL) or takes the write lock (SQLite) until commit,
    so caps counted in that transaction hold across workers and app servers."""

    __tablename__ = "send_guard"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    touched_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)


class Application(db.Model):
    __tablename__ = "application"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(sa.String(32), unique=True)
    service: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(32), default=AppStatus.DRAFT, index=True)
    applicant_iin: Mapped[str] = mapped_column(sa.String(12), index=True)
    subject_iin: Mapped[str | None] = mapped_column(sa.String(12))
    address_id: Mapped[int | None] = mapped_column()
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # the draft's answers
    status_token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    outcome: Mapped[str | None] = mapped_column(sa.String(64))  # reason code of a rejection
    channel: Mapped[str] = mapped_column(sa.String(32), default="portal")  # or "kiosk:<id>"
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now, onupdate=_now)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    consents: Mapped[list[ConsentRequest]] = relationship(
        back_populates="application", order_by="ConsentRequest.id"
    )
    events: Mapped[list[StatusEvent]] = relationship(
        back_populates="application", order_by="StatusEvent.id"
    )
    # How it was signed (portal.core.models.signing; at most one per purpose).
    signatures: Mapped[list[Signature]] = relationship(back_populates="application")


class StatusEvent(db.Model):
    """The audit trail: every state change of an application, who made it and when."""

    __tablename__ = "status_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    status: Mapped[str] = mapped_column(sa.String(32))
    actor: Mapped[str] = mapped_column(sa.String(64))  # "applicant", "owner:<masked>", "system"
    note: Mapped[str] = mapped_column(sa.String(255), default="")

    application: Mapped[Application] = relationship(back_populates="events")


class AuditEvent(db.Model):
    """Security-relevant events outside applications: sign-ins, lockouts, uploads (counted
    per person for the daily cap, so they outlive a deleted draft)."""

    __tablename__ = "audit_event"
    __table_args__ = (sa.Index("ix_audit_event_iin_kind_at", "iin", "kind", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    kind: Mapped[str] = mapped_column(sa.String(32))
    iin: Mapped[str | None] = mapped_column(sa.String(12))
    ip: Mapped[str | None] = mapped_column(sa.String(64))
    detail: Mapped[str] = mapped_column(sa.String(255), default="")
