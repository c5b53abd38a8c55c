"""Enrolling, recognising and revoking kiosks, and ending a visitor's visit at one.

A kiosk proves who it is with a device cookie "<id>.<secret>"; only a keyed hash of the secret is
stored, so a database leak does not let anyone pose as a kiosk. Enrolment links are one-time and
expire (ENROL_LINK_LIFETIME): an old link found in a mailbox enrols nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

import sqlalchemy as sa
from flask import current_app

from kiosk.models import KioskDevice
from portal.clock import now
from portal.core.models import Application, AppStatus
from portal.core.services import drafts
from portal.extensions import db

ENROL_LINK_LIFETIME = dt.timedelta(hours=24)  # [design] long enough to walk to the hall
CHANNEL_PREFIX = "kiosk:"  # Application.channel of drafts made at a kiosk
HANDED_TO_PHONE = "phone"  # Application.channel once the visitor took the draft to their phone
# [design] A kiosk draft unchanged this long belongs to no visit (SPEC §3: nothing of one
# visitor is left for the next): far beyond a visit's 90 s idle reset and a ЦОН's 20 min wait.
ABANDONED_AFTER = dt.timedelta(hours=1)


def _hash(value: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"kiosk:{value}".encode(), hashlib.sha256).hexdigest()


def add(name: str) -> tuple[KioskDevice, str]:
    """A new kiosk waiting for enrolment, and the one-time token of its enrolment link."""
    token = secrets.token_urlsafe(24)
    device = KioskDevice(name=name.strip(), enrol_token_hash=_hash(token),
                         enrol_expires_at=now() + ENROL_LINK_LIFETIME, created_at=now())
    db.session.add(device)
    db.session.commit()
    return device, token


def pending(token: str) -> KioskDevice | None:
    """The kiosk an enrolment link belongs to, while the link is unused and fresh."""
    device = db.session.scalar(sa.select(KioskDevice).where(
        KioskDevice.enrol_token_hash == _hash(token)))
    if device is None or device.revoked_at or device.enrolled_at:
        return None
    if device.enrol_expires_at is None or now() >= device.enrol_expires_at:
        return None
    return device


def enrol(token: str) -> str | None:
    """Use the link once: returns the device cookie's value, or None for a dead link.
    A conditional UPDATE, so two browsers opening one link cannot both become the kiosk."""
    device = pending(token)
    if device is None:
        return None
    secret = secrets.token_urlsafe(32)
    moved = db.session.execute(
        sa.update(KioskDevice)
        .where(KioskDevice.id == device.id, KioskDevice.enrolled_at.is_(None),
               KioskDevice.revoked_at.is_(None))
        .values(enrolled_at=now(), enrol_token_hash=None, secret_hash=_hash(secret))
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return f"{device.id}.{secret}" if moved == 1 else None


def from_cookie(value: str | None) -> KioskDevice | None:
    """The enrolled, unrevoked kiosk a device cookie names; None for anything else."""
    if not value or "." not in value:
        return None
    raw_id, secret = value.split(".", 1)
    if not raw_id.isdigit() or len(raw_id) > 9 or not secret:
        return None
    device = db.session.get(KioskDevice, int(raw_id))
    if device is None or device.revoked_at or not device.secret_hash:
        return None
    if not hmac.compare_digest(device.secret_hash, _hash(secret)):
        return None
    return device


def revoke(device_id: int) -> bool:
    device = db.session.get(KioskDevice, device_id)
    if device is None or device.revoked_at:
        return False
    device.revoked_at = now()
    device.enrol_token_hash = None
    db.session.commit()
    return True


def all_devices() -> list[KioskDevice]:
    return db.session.scalars(sa.select(KioskDevice).order_by(KioskDevice.id)).all()


def channel(device: KioskDevice) -> str:
    return f"{CHANNEL_PREFIX}{device.id}"


def erase_unsigned_drafts(device: KioskDevice, applicant_iin: str | None) -> int:
    """Nothing of one visitor is left for the next: drafts made at this kiosk and never signed
    go, with their codes, challenges and events (a draft handed to the visitor's phone has
    another channel by then and stays)."""
    if not applicant_iin:
        return 0
    return drafts.erase_unsigned_of(applicant_iin, channel(device))


def erase_abandoned_drafts() -> int:
    """Kiosk drafts no visit is using any more (`flask jobs run`): a visit ends after
    IDLE_RESET_SECONDS without a touch, and its reset erases its drafts; one whose erasing
    failed (logged) goes here, ABANDONED_AFTER after its last change."""
    return drafts.erase_untouched(CHANNEL_PREFIX, now() - ABANDONED_AFTER)


def find_for_status(number_digits: str, applicant_iin: str) -> Application | None:
    """A submitted application by the digits of its number, for its own applicant only: the
    number alone is sequential and would let anyone at the kiosk page through strangers'."""
    digits = "".join(ch for ch in number_digits if ch.isdigit())
    if not digits:
        return None
    candidates = db.session.scalars(sa.select(Application).where(
        Application.applicant_iin == applicant_iin, Application.status != AppStatus.DRAFT,
        Application.number.is_not(None))).all()
    for application in candidates:
        if "".join(ch for ch in application.number if ch.isdigit()) == digits:
            return application
    return None


def kiosk_draft_owned(application: Application, device: KioskDevice) -> bool:
    return application.channel == channel(device)
