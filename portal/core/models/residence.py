"""Residence registration's own tables: the owners' consents."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.models.base import UtcDateTime
from portal.core.models.shared import Application, SmsMessage
from portal.domain.consent import ConsentStatus
from portal.extensions import db


class ConsentRequest(db.Model):
    """One owner's consent to one application: their own code, their own hour."""

    __tablename__ = "consent_request"
    __table_args__ = (sa.UniqueConstraint("application_id", "owner_iin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id"), index=True)
    owner_iin: Mapped[str] = mapped_column(sa.String(12), index=True)
    owner_phone: Mapped[str | None] = mapped_column(sa.String(16), index=True)
    owner_masked: Mapped[str] = mapped_column(sa.String(64))
    link_token: Mapped[str] = mapped_column(sa.String(32), unique=True)
    code_hash: Mapped[str] = mapped_column(sa.String(128), index=True)
    code_lookup: Mapped[str] = mapped_column(sa.String(64), index=True)  # keyed hash, for /consent
    status: Mapped[str] = mapped_column(sa.String(16), default=ConsentStatus.WAITING)
    attempts: Mapped[int] = mapped_column(default=0)
    sms_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sms_message.id"))
    # The same request in the second language (owners get a Kazakh and a Russian SMS).
    sms_second_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sms_message.id"))
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)  # the hour runs from here
    expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    answered_via: Mapped[str | None] = mapped_column(sa.String(16))  # link, code, cabinet, sms

    application: Mapped[Application] = relationship(back_populates="consents")
    sms: Mapped[SmsMessage | None] = relationship(foreign_keys=[sms_id])
