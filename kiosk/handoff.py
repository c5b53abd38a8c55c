"""Continue on your phone: a kiosk draft handed over by a one-time QR code.

The phone must sign in as the same person before it sees the draft, so a photographed QR code
is worth nothing to a stranger. Once taken, the draft leaves the kiosk's channel: the kiosk's
reset no longer erases it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

import sqlalchemy as sa
from flask import current_app

from kiosk.devices import HANDED_TO_PHONE, kiosk_draft_owned
from kiosk.models import KioskHandoff
from portal.clock import now
from portal.core.models import Application, AppStatus
from portal.extensions import db

HANDOFF_LIFETIME = dt.timedelta(minutes=30)  # [design] the walk home is not part of it


def lifetime_minutes() -> int:
    return int(HANDOFF_LIFETIME.total_seconds() // 60)


def _hash(token: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"handoff:{token}".encode(), hashlib.sha256).hexdigest()


def kiosk_draft(app_id: int, applicant_iin: str, device) -> Application | None:
    draft = db.session.get(Application, app_id)
    if draft is None or device is None or draft.applicant_iin != applicant_iin:
        return None
    if draft.status != AppStatus.DRAFT or not kiosk_draft_owned(draft, device):
        return None
    return draft


def start(draft: Application) -> str:
    token = secrets.token_urlsafe(16)
    db.session.add(KioskHandoff(application_id=draft.id, token_hash=_hash(token),
                                expires_at=now() + HANDOFF_LIFETIME))
    db.session.commit()
    return token


def pending(token: str) -> KioskHandoff | None:
    row = db.session.scalar(sa.select(KioskHandoff).where(KioskHandoff.token_hash == _hash(token)))
    if row is None or row.taken_at is not None or now() >= row.expires_at:
        return None
    return row


def take(token: str, applicant_iin: str) -> Application | None:
    """The signed-in phone takes the draft, once; another person's phone gets nothing."""
    row = pending(token)
    if row is None:
        return None
    draft = db.session.get(Application, row.application_id)
    if draft is None or draft.applicant_iin != applicant_iin or draft.status != AppStatus.DRAFT:
        return None
    moved = db.session.execute(
        sa.update(KioskHandoff).where(KioskHandoff.id == row.id, KioskHandoff.taken_at.is_(None))
        .values(taken_at=now()).execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        db.session.rollback()
        return None
    draft.channel = HANDED_TO_PHONE
    db.session.commit()
    return draft
