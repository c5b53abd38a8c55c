"""The shared core's signing and numbering tables: signatures, signing challenges (ЭЦП nonces)
and the per-service, per-year application number counters (migration c0a3e5b1d2f4)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.models.base import UtcDateTime, _now
from portal.core.models.shared import Application
from portal.extensions import db


class SignatureMethod(StrEnum):
    SMS_CODE = "sms_code"  # a one-time code sent to the phone in the mobile citizens' database
    ECP = "ecp"  # ЭЦП: a CMS made by NCALayer, verified on the server


class Signature(db.Model):
    """Proof that a person signed one text about one application, and how.

    `content` is the canonical text the journey produced (the same text the check page shows),
    kept as it was signed; `content_sha256` lets anyone see it was not changed later. For an
    SMS code, `code_id` names the code; for ЭЦП, `cms` holds the CMS (base64) and
    `certificate_serial` the signer's certificate."""

    __tablename__ = "signature"
    __table_args__ = (sa.UniqueConstraint("application_id", "purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(32), default="submit")
    method: Mapped[str] = mapped_column(sa.String(16))
    signer_iin: Mapped[str] = mapped_column(sa.String(12), index=True)
    signed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    content: Mapped[str] = mapped_column(sa.Text)
    content_sha256: Mapped[str] = mapped_column(sa.String(64))
    code_id: Mapped[int | None] = mapped_column(sa.ForeignKey("one_time_code.id"))
    cms: Mapped[str | None] = mapped_column(sa.Text)
    certificate_serial: Mapped[str | None] = mapped_column(sa.String(128))

    application: Mapped[Application] = relationship(back_populates="signatures")


class SigningChallenge(db.Model):
    """A server nonce for an ЭЦП signature: short-lived, single use, bound to one application
    (or to nothing, for sign-in by ЭЦП) and to the digest of the text it was issued with."""

    __tablename__ = "signing_challenge"

    id: Mapped[int] = mapped_column(primary_key=True)
    nonce: Mapped[str] = mapped_column(sa.String(64), unique=True)
    purpose: Mapped[str] = mapped_column(sa.String(32))
    iin: Mapped[str | None] = mapped_column(sa.String(12))
    application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("application.id"),
                                                       index=True)
    content_sha256: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class NumberCounter(db.Model):
    """The last application number given per service prefix and Almaty year (gapless)."""

    __tablename__ = "number_counter"

    prefix: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)
