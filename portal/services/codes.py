"""One-time SMS codes for signing in and for signing an application.

A code is 6 digits, kept only as a keyed hash, valid for a few minutes, single use, and dies
after CODE_MAX_ATTEMPTS wrong tries. A resend gives a new code in the same record, so it does not
reset the count of wrong tries; after a lock the person waits before asking again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa
from flask import current_app

from portal import sms
from portal.clock import now
from portal.extensions import db
from portal.models import AuditEvent, OneTimeCode, SmsMessage, SmsStatus

LOCK_WAIT = dt.timedelta(minutes=15)
CODES_PER_HOUR = 5  # per person and purpose: nobody can make the portal flood a phone


class Check(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    LOCKED = "locked"
    USED = "used"


class CodeRefused(Exception):
    """No code can be sent now; `seconds` says how long to wait."""

    def __init__(self, reason: str, seconds: int):
        super().__init__(reason)
        self.reason = reason  # "cooldown", "locked", "too_many"
        self.seconds = seconds


@dataclass
class CheckResult:
    check: Check
    attempts_left: int = 0


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def hash_code(code: str, salt: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{salt}:{code}".encode(), hashlib.sha256).hexdigest()


def codes_match(stored_hash: str, code: str, salt: str) -> bool:
    return hmac.compare_digest(stored_hash, hash_code(code.strip(), salt))


def _lifetime() -> dt.timedelta:
    return dt.timedelta(minutes=current_app.config["SIGN_IN_CODE_MINUTES"])


def _salt(row: OneTimeCode) -> str:
    return f"{row.purpose}:{row.iin}:{row.application_id or ''}:{row.sends}"


def is_locked(row: OneTimeCode) -> bool:
    return row.attempts >= current_app.config["CODE_MAX_ATTEMPTS"]


def is_expired(row: OneTimeCode) -> bool:
    return now() >= row.expires_at


def _ensure_allowed(purpose: str, iin: str, application_id: int | None) -> None:
    moment = now()
    recent = db.session.scalars(
        sa.select(OneTimeCode)
        .where(OneTimeCode.purpose == purpose, OneTimeCode.iin == iin,
               OneTimeCode.created_at > moment - dt.timedelta(hours=1))
        .order_by(OneTimeCode.id.desc())
    ).all()
    for row in recent:
        if is_locked(row) and row.application_id == application_id:
            wait = row.last_sent_at + LOCK_WAIT - moment
            if wait.total_seconds() > 0:
                raise CodeRefused("locked", int(wait.total_seconds()) + 1)
    if sum(row.sends for row in recent) >= CODES_PER_HOUR:
        oldest = min(row.created_at for row in recent)
        wait = oldest + dt.timedelta(hours=1) - moment
        raise CodeRefused("too_many", int(wait.total_seconds()) + 1)


def issue(purpose: str, iin: str, phone: str, sms_text: str,
          application_id: int | None = None) -> OneTimeCode:
    """Create a code and send it by SMS. `sms_text` has a `{code}` placeholder."""
    _ensure_allowed(purpose, iin, application_id)
    code = new_code()
    row = OneTimeCode(purpose=purpose, iin=iin, phone=phone, application_id=application_id,
                      expires_at=now() + _lifetime(), code_hash="", sends=1,
                      created_at=now(), last_sent_at=now())
    db.session.add(row)
    db.session.flush()
    row.code_hash = hash_code(code, _salt(row))
    message = sms.enqueue(phone, sms_text.format(code=code), purpose=purpose)
    row.sms_id = message.id
    db.session.commit()
    sms.deliver(message)
    return row


def resend(row: OneTimeCode, sms_text: str) -> OneTimeCode:
    """A new code in the same record, after the cooldown; wrong tries are not forgiven."""
    cooldown = current_app.config["CODE_RESEND_SECONDS"]
    wait = (row.last_sent_at + dt.timedelta(seconds=cooldown) - now()).total_seconds()
    if wait > 0:
        raise CodeRefused("cooldown", int(wait) + 1)
    if row.used_at is not None:
        raise CodeRefused("used", 0)
    _ensure_allowed(row.purpose, row.iin, row.application_id)
    if is_locked(row):
        raise CodeRefused("locked", int(LOCK_WAIT.total_seconds()))
    code = new_code()
    row.sends += 1
    row.code_hash = hash_code(code, _salt(row))
    row.last_sent_at = now()
    row.expires_at = now() + _lifetime()
    message = sms.enqueue(row.phone, sms_text.format(code=code), purpose=row.purpose)
    row.sms_id = message.id
    db.session.commit()
    sms.deliver(message)
    return row


def seconds_until_resend(row: OneTimeCode) -> int:
    cooldown = dt.timedelta(seconds=current_app.config["CODE_RESEND_SECONDS"])
    return max(0, int((row.last_sent_at + cooldown - now()).total_seconds()))


def sms_delayed(row: OneTimeCode) -> bool:
    """True when the provider has not taken the code's SMS yet (it is being retried)."""
    message = db.session.get(SmsMessage, row.sms_id) if row.sms_id else None
    return message is not None and message.status != SmsStatus.SENT


def check(row: OneTimeCode, entered: str, ip: str | None = None) -> CheckResult:
    """Compare a typed code; counts the try, marks a right code used. Commits."""
    limit = current_app.config["CODE_MAX_ATTEMPTS"]
    if row.used_at is not None:
        return CheckResult(Check.USED)
    if is_locked(row):
        return CheckResult(Check.LOCKED)
    if is_expired(row):
        return CheckResult(Check.EXPIRED)
    if codes_match(row.code_hash, entered, _salt(row)):
        row.used_at = now()
        db.session.commit()
        return CheckResult(Check.OK)
    row.attempts += 1
    if is_locked(row):
        db.session.add(AuditEvent(kind="code_locked", iin=row.iin, ip=ip, detail=row.purpose))
    db.session.commit()
    left = limit - row.attempts
    return CheckResult(Check.WRONG if left > 0 else Check.LOCKED, left)
