"""One-time SMS codes for signing in and for signing an application.

A code is 6 digits, kept only as a keyed hash, valid for a few minutes, single use, and dies
after CODE_MAX_ATTEMPTS (5) wrong tries. A resend gives a new code in the same record, so it does
not forgive the wrong tries already made.

Decisions (issue 6), and why:

- **Tries are counted atomically.** A check first claims a try with one conditional UPDATE
  (``attempts = attempts + 1 WHERE attempts < 5 AND used_at IS NULL AND not expired``); only a
  claimed try compares the code. However many guesses arrive at once, at most 5 are compared, and
  a right code sent after them finds no try left.
- **Sends are counted atomically.** Every send for one person first updates that person's
  `send_guard` row (PostgreSQL locks the row, SQLite takes its write lock) and counts the codes
  already sent in the same transaction, so CODES_PER_HOUR holds across workers and app servers.
- **A code belongs to whoever holds the phone, not to the browser that asked.** Asking to sign in
  with an IIN that has a live code (not used, not expired, not killed) sends nothing and leads
  to that code (`obtain`). A stranger who types someone's IIN again and again makes one SMS, and
  the person with the phone types the code from it and is in.
- **A killed code does not shut its owner out for long.** After 5 wrong tries the code is dead,
  but a new code (with 5 new tries) can be asked as soon as CODE_RESEND_SECONDS (60 s) have
  passed since the last SMS. There is no hour-long lock any more.
- **Guessing stays hopeless.** At most CODES_PER_HOUR (5) codes per person and purpose in any
  hour, 5 tries each: at most 25 guesses an hour against 1,000,000 possible codes (1 chance in
  40,000 an hour), and every 5 of them put a new SMS on the owner's phone and an audit record
  (`code_locked`) in the log.
- **The price.** Someone who keeps killing codes can use up an hour's 5 codes and keep the owner
  waiting for the rest of that hour; that takes 25 wrong guesses and warns the owner by 5 SMS.
  We accept it: any budget of guesses per person can be spent by a stranger, and without one
  the code could be guessed.
- The cooldown does not apply after a code that was used: its holder proved they have the phone,
  so signing out and in again at once is fine.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal import sms
from portal.clock import as_utc, now
from portal.domain import limits
from portal.extensions import db
from portal.models import AuditEvent, OneTimeCode, SendGuard, SmsMessage, SmsStatus
from portal.services.errors import Refused

CODES_PER_HOUR = limits.CODES_PER_PERSON_PER_HOUR  # per person and purpose: no flooded phone
HOUR = dt.timedelta(hours=1)


class Check(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    LOCKED = "locked"
    USED = "used"


class CodeRefused(Refused):
    """No code can be sent now; `seconds` says how long to wait (the one refusal style:
    portal.services.errors.Refused)."""

    def __init__(self, reason: str, seconds: int):
        super().__init__(reason, seconds=seconds)  # "cooldown", "too_many", "used"


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


def _max_attempts() -> int:
    return current_app.config["CODE_MAX_ATTEMPTS"]


def _salt_of(purpose: str, iin: str, application_id: int | None, sends: int) -> str:
    return f"{purpose}:{iin}:{application_id or ''}:{sends}"


def _salt(row: OneTimeCode) -> str:
    return _salt_of(row.purpose, row.iin, row.application_id, row.sends)


def is_locked(row: OneTimeCode) -> bool:
    return row.attempts >= _max_attempts()


def is_expired(row: OneTimeCode) -> bool:
    return now() >= row.expires_at


def is_live(row: OneTimeCode) -> bool:
    return row.used_at is None and not is_locked(row) and not is_expired(row)


# --- Sending ------------------------------------------------------------------------------------


def _take_turn(iin: str) -> None:
    """Wait for, then hold until commit, the right to send codes to this person."""
    key = f"code:{iin}"
    dialect = db.session.get_bind().dialect.name
    insert = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}.get(dialect)
    if insert is not None:
        db.session.execute(insert(SendGuard).values(key=key, touched_at=now())
                           .on_conflict_do_nothing())
    elif db.session.get(SendGuard, key) is None:  # pragma: no cover - other databases
        db.session.add(SendGuard(key=key, touched_at=now()))
        db.session.flush()
    db.session.execute(sa.update(SendGuard).where(SendGuard.key == key)
                       .values(touched_at=now()))


def _latest(purpose: str, iin: str, application_id: int | None) -> OneTimeCode | None:
    """The newest code of this kind, read afresh from the database (not the session's cache)."""
    return db.session.scalars(
        sa.select(OneTimeCode)
        .where(OneTimeCode.purpose == purpose, OneTimeCode.iin == iin,
               OneTimeCode.application_id.is_(None) if application_id is None
               else OneTimeCode.application_id == application_id)
        .order_by(OneTimeCode.id.desc()).limit(1)
        .execution_options(populate_existing=True)
    ).first()


def _ensure_allowed(purpose: str, iin: str, latest: OneTimeCode | None) -> None:
    """Raise CodeRefused when the cooldown since the last unused code, or the hourly cap, says
    no. Called while holding the person's turn, so parallel requests count one after another."""
    moment = now()
    if latest is not None and latest.used_at is None:
        cooldown = dt.timedelta(seconds=current_app.config["CODE_RESEND_SECONDS"])
        wait = (latest.last_sent_at + cooldown - moment).total_seconds()
        if wait > 0:
            raise CodeRefused("cooldown", math.ceil(wait))
    recent = db.session.execute(
        sa.select(OneTimeCode.created_at, OneTimeCode.sends)
        .where(OneTimeCode.purpose == purpose, OneTimeCode.iin == iin,
               OneTimeCode.created_at > moment - HOUR)
    ).all()
    if sum(sends for _, sends in recent) >= CODES_PER_HOUR:
        oldest = min(as_utc(created) for created, _ in recent)
        raise CodeRefused("too_many", math.ceil((oldest + HOUR - moment).total_seconds()))


def _send_new(purpose: str, iin: str, phone: str, sms_text: str,
              application_id: int | None) -> OneTimeCode:
    """A new record with a new code; the caller holds the turn. Commits, then delivers."""
    code = new_code()
    moment = now()
    row = OneTimeCode(purpose=purpose, iin=iin, phone=phone, application_id=application_id,
                      expires_at=moment + _lifetime(), code_hash="", sends=1, attempts=0,
                      created_at=moment, last_sent_at=moment)
    db.session.add(row)
    db.session.flush()
    row.code_hash = hash_code(code, _salt(row))
    message = sms.enqueue(phone, sms_text.format(code=code), purpose=purpose)
    row.sms_id = message.id
    db.session.commit()
    sms.deliver(message)
    return row


def issue(purpose: str, iin: str, phone: str, sms_text: str,
          application_id: int | None = None) -> OneTimeCode:
    """Create a code and send it by SMS. `sms_text` has a `{code}` placeholder."""
    try:
        _take_turn(iin)
        _ensure_allowed(purpose, iin, _latest(purpose, iin, application_id))
    except CodeRefused:
        db.session.rollback()
        raise
    return _send_new(purpose, iin, phone, sms_text, application_id)


def obtain(purpose: str, iin: str, phone: str, sms_text: str,
           application_id: int | None = None) -> tuple[OneTimeCode, bool]:
    """The live code for this person if there is one (nothing is sent: whoever holds the phone
    has it), else a new code sent by SMS. Returns (code, sent)."""
    try:
        _take_turn(iin)
        latest = _latest(purpose, iin, application_id)
        if latest is not None and is_live(latest):
            db.session.commit()
            return latest, False
        _ensure_allowed(purpose, iin, latest)
    except CodeRefused:
        db.session.rollback()
        raise
    return _send_new(purpose, iin, phone, sms_text, application_id), True


def resend(row: OneTimeCode, sms_text: str) -> OneTimeCode:
    """A new code after the cooldown. In the same record while it still takes tries (wrong tries
    are not forgiven); a code killed by wrong tries is replaced by a new record. Returns the
    record that now holds the code."""
    try:
        _take_turn(row.iin)
        db.session.refresh(row)
        if row.used_at is not None:
            raise CodeRefused("used", 0)
        _ensure_allowed(row.purpose, row.iin, _latest(row.purpose, row.iin, row.application_id))
    except CodeRefused:
        db.session.rollback()
        raise
    if is_locked(row):
        return _send_new(row.purpose, row.iin, row.phone, sms_text, row.application_id)
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


# --- Checking -----------------------------------------------------------------------------------


def check(row: OneTimeCode, entered: str, ip: str | None = None) -> CheckResult:
    """Compare a typed code; counts the try, marks a right code used. Commits.

    The try is claimed before the code is compared, by one conditional UPDATE, so parallel
    requests can never compare more than CODE_MAX_ATTEMPTS codes between them."""
    limit = _max_attempts()
    moment = now()
    claimed = db.session.execute(
        sa.update(OneTimeCode)
        .where(OneTimeCode.id == row.id, OneTimeCode.used_at.is_(None),
               OneTimeCode.attempts < limit, OneTimeCode.expires_at > moment)
        .values(attempts=OneTimeCode.attempts + 1)
        .returning(OneTimeCode.attempts, OneTimeCode.code_hash, OneTimeCode.sends)
    ).first()
    if claimed is None:
        db.session.commit()
        db.session.refresh(row)
        if row.used_at is not None:
            return CheckResult(Check.USED)
        return CheckResult(Check.LOCKED if is_locked(row) else Check.EXPIRED)
    attempts, code_hash, sends = claimed
    salt = _salt_of(row.purpose, row.iin, row.application_id, sends)
    if codes_match(code_hash, entered, salt):
        # The right code gives its try back (attempts count wrong tries) and is used up; only
        # one of two parallel right answers can do that.
        used = db.session.execute(
            sa.update(OneTimeCode)
            .where(OneTimeCode.id == row.id, OneTimeCode.used_at.is_(None))
            .values(used_at=moment, attempts=OneTimeCode.attempts - 1)
        ).rowcount
        db.session.commit()
        return CheckResult(Check.OK if used else Check.USED)
    if attempts >= limit:
        db.session.add(AuditEvent(kind="code_locked", iin=row.iin, ip=ip, detail=row.purpose))
    db.session.commit()
    left = limit - attempts
    return CheckResult(Check.WRONG if left > 0 else Check.LOCKED, left)
