"""The kiosks of ЦОН self-service zones: each an enrolled device with its own identity."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.clock import now
from portal.core.models import UtcDateTime
from portal.extensions import db


class KioskDevice(db.Model):
    """A touch screen in a hall. Enrolled once by a one-time link; afterwards the browser holds a
    long-lived device cookie whose secret is kept here only as a hash. Revoking stops it at once
    (every kiosk request reads this row)."""

    __tablename__ = "kiosk_device"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    enrol_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    enrol_expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    secret_hash: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=now)
    enrolled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        return "enrolled" if self.enrolled_at else "waiting"


class KioskHandoff(db.Model):
    """A draft started at a kiosk, offered to the visitor's own phone by a QR code (one use)."""

    __tablename__ = "kiosk_handoff"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("application.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    taken_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class KioskSpeech(db.Model):
    """The words a kiosk page speaks, under the content address of their audio (kiosk.speech).
    Kept here so that every app server can make the audio of a page another server drew; the
    audio itself is each server's disk cache. Only what the page showed, masked as there."""

    __tablename__ = "kiosk_speech"

    key: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    lang: Mapped[str] = mapped_column(sa.String(8))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=now)
