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
- **A stranger who kills codes cannot keep the holder of the phone out** (hardening item 6).
  While no sign-in code of a person has been killed within the hour, codes are shared as above.
  Once one has been killed by wrong tries, every new code is *bound* to the session that asked
  for it (`Asker`: a hash of the session's own tag, and its address): it is handed to, and typed
  in, that session only. So a stranger's wrong tries kill only the codes the stranger is shown,
  and the holder, asking in their own session, gets a code the stranger never sees.
- **The caps count per asker as well as per person.** At most CODES_PER_ASKER_PER_HOUR (3)
  codes an hour per person for one asking session, and as many for one asking address; at most
  CODES_PER_HOUR (10) per person and purpose from everyone together, which bounds the SMS one
  phone gets. The cooldown (CODE_RESEND_SECONDS) counts from the asker's own last code, so the
  holder does not wait for the stranger's.
- **Guessing stays hopeless.** At most 10 codes an hour, 5 tries each: at most 50 guesses an
  hour against 1,000,000 possible codes (1 chance in 20,000 an hour), and every killed code
  leaves an audit record (`code_locked`); one address gets 15 guesses an hour at most.
- **What is left.** A stranger with only an IIN, from one address, can make the phone get at
  most 3 SMS an hour and kill only the codes of their own sessions. Only one who uses four or
  more addresses within the hour can use up the person's 10 codes and so keep the holder
  waiting for the rest of that hour (the README says the same); every one of those codes
  reaches the holder's phone as an SMS, which is the warning.
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

from portal.clock import as_utc, now
from portal.core import sms
from portal.core.models import AuditEvent, OneTimeCode, SendGuard, SmsMessage, SmsStatus
from portal.core.services.errors import Gone, Refused
from portal.domain import limits
from portal.extensions import db

CODES_PER_HOUR = limits.CODES_PER_PERSON_PER_HOUR  # per person and purpose: no flooded phone
CODES_PER_ASKER_PER_HOUR = limits.CODES_PER_ASKER_PER_HOUR  # per asking session, per address
HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Asker:
    """Who asks for a sign-in code: a hash of the asking session's own random tag, and the
    address (portal.channels.client_key) it asks from."""

    tag: str
    ip: str


class Check(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    LOCKED = "locked"
    USED = "used"


class CodeRefused(Refused):
    """No code can be sent now; `seconds` says how long to wait (the one refusal style:
    portal.core.services.errors.Refused)."""

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


def _asked_by(asker: Asker):
    return sa.or_(OneTimeCode.asker == asker.tag, OneTimeCode.asker_ip == asker.ip)


def _cooldown_from(purpose: str, iin: str, application_id: int | None,
                   asker: Asker | None) -> OneTimeCode | None:
    """The code whose sending the cooldown counts from: the newest one, or with an asker the
    newest that this session or address asked for (the holder never waits for a stranger)."""
    if asker is None:
        return _latest(purpose, iin, application_id)
    return db.session.scalars(
        sa.select(OneTimeCode)
        .where(OneTimeCode.purpose == purpose, OneTimeCode.iin == iin, _asked_by(asker))
        .order_by(OneTimeCode.id.desc()).limit(1)
        .execution_options(populate_existing=True)).first()


def _sends_within_hour(purpose: str, iin: str, moment: dt.datetime, *where) -> tuple[int, list]:
    recent = db.session.execute(
        sa.select(OneTimeCode.created_at, OneTimeCode.sends)
        .where(OneTimeCode.purpose == purpose, OneTimeCode.iin == iin,
               OneTimeCode.created_at > moment - HOUR, *where)).all()
    return sum(sends for _, sends in recent), [as_utc(created) for created, _ in recent]


def _ensure_allowed(purpose: str, iin: str, latest: OneTimeCode | None,
                    asker: Asker | None = None) -> None:
    """Raise CodeRefused when the cooldown since the last unused code, or an hourly cap, says
    no. Called while holding the person's turn, so parallel requests count one after another."""
    moment = now()
    if latest is not None and latest.used_at is None:
        cooldown = dt.timedelta(seconds=current_app.config["CODE_RESEND_SECONDS"])
        wait = (latest.last_sent_at + cooldown - moment).total_seconds()
        if wait > 0:
            raise CodeRefused("cooldown", math.ceil(wait))
    caps = [(CODES_PER_HOUR, ())]
    if asker is not None:
        caps += [(CODES_PER_ASKER_PER_HOUR, (OneTimeCode.asker == asker.tag,)),
                 (CODES_PER_ASKER_PER_HOUR, (OneTimeCode.asker_ip == asker.ip,))]
    for cap, where in caps:
        sent, times = _sends_within_hour(purpose, iin, moment, *where)
        if sent >= cap:
            raise CodeRefused("too_many", math.ceil((min(times) + HOUR - moment).total_seconds()))


def _killed_lately(purpose: str, iin: str, application_id: int | None) -> bool:
    """Has a code of this kind been killed by wrong tries within the hour? Then new codes are
    bound to whoever asks for them."""
    return db.session.scalar(
        sa.select(sa.exists().where(
            OneTimeCode.purpose == purpose, OneTimeCode.iin == iin,
            OneTimeCode.application_id.is_(None) if application_id is None
            else OneTimeCode.application_id == application_id,
            OneTimeCode.attempts >= _max_attempts(),
            OneTimeCode.last_sent_at > now() - HOUR)))


def _live_for(purpose: str, iin: str, application_id: int | None,
              asker: Asker | None) -> OneTimeCode | None:
    """The live code this asker may be led to: the newest one without an asker; with one, the
    newest that is shared or bound to this very session."""
    if asker is None:
        latest = _latest(purpose, iin, application_id)
        return latest if latest is not None and is_live(latest) else None
    return db.session.scalars(
        sa.select(OneTimeCode)
        .where(OneTimeCode.purpose == purpose, OneTimeCode.iin == iin,
               OneTimeCode.application_id.is_(None) if application_id is None
               else OneTimeCode.application_id == application_id,
               OneTimeCode.used_at.is_(None), OneTimeCode.expires_at > now(),
               OneTimeCode.attempts < _max_attempts(),
               sa.or_(OneTimeCode.bound.is_(False), OneTimeCode.asker == asker.tag))
        .order_by(OneTimeCode.id.desc()).limit(1)
        .execution_options(populate_existing=True)).first()


def may_type(row: OneTimeCode, asker_tag: str | None) -> bool:
    """A bound code is typed only in the session that asked for it."""
    return not row.bound or (asker_tag is not None and row.asker == asker_tag)


def _send_new(purpose: str, iin: str, phone: str, sms_text: str,
              application_id: int | None, asker: Asker | None = None) -> OneTimeCode:
    """A new record with a new code, bound to its asker after a kill; the caller holds the
    turn. Commits, then delivers."""
    code = new_code()
    moment = now()
    bound = asker is not None and _killed_lately(purpose, iin, application_id)
    row = OneTimeCode(purpose=purpose, iin=iin, phone=phone, application_id=application_id,
                      expires_at=moment + _lifetime(), code_hash="", sends=1, attempts=0,
                      created_at=moment, last_sent_at=moment, bound=bound,
                      asker=asker.tag if asker else None, asker_ip=asker.ip if asker else None)
    db.session.add(row)
    db.session.flush()
    row.code_hash = hash_code(code, _salt(row))
    message = sms.enqueue(phone, sms_text.format(code=code), purpose=purpose)
    row.sms_id = message.id
    db.session.commit()
    sms.dispatch(message)
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
           application_id: int | None = None,
           asker: Asker | None = None) -> tuple[OneTimeCode, bool]:
    """The live code for this person that this asker may type, if there is one (nothing is
    sent: whoever holds the phone has it), else a new code sent by SMS. Returns (code, sent)."""
    try:
        _take_turn(iin)
        live = _live_for(purpose, iin, application_id, asker)
        if live is not None:
            db.session.commit()
            return live, False
        _ensure_allowed(purpose, iin, _cooldown_from(purpose, iin, application_id, asker), asker)
    except CodeRefused:
        db.session.rollback()
        raise
    return _send_new(purpose, iin, phone, sms_text, application_id, asker), True


def resend(row: OneTimeCode, sms_text: str, asker: Asker | None = None) -> OneTimeCode:
    """A new code after the cooldown. In the same record while it still takes tries (wrong tries
    are not forgiven) and was asked for by this asker; otherwise (killed by wrong tries, or a
    shared code someone else asked for) a new record. Returns the record that now holds it."""
    try:
        _take_turn(row.iin)
        db.session.refresh(row)
        if row.used_at is not None:
            raise CodeRefused("used", 0)
        _ensure_allowed(row.purpose, row.iin,
                        _cooldown_from(row.purpose, row.iin, row.application_id, asker), asker)
    except CodeRefused:
        db.session.rollback()
        raise
    if is_locked(row) or (asker is not None and row.asker != asker.tag):
        return _send_new(row.purpose, row.iin, row.phone, sms_text, row.application_id, asker)
    code = new_code()
    row.sends += 1
    row.code_hash = hash_code(code, _salt(row))
    row.last_sent_at = now()
    row.expires_at = now() + _lifetime()
    message = sms.enqueue(row.phone, sms_text.format(code=code), purpose=row.purpose)
    row.sms_id = message.id
    db.session.commit()
    sms.dispatch(message)
    return row


def seconds_until_resend(row: OneTimeCode) -> int:
    cooldown = dt.timedelta(seconds=current_app.config["CODE_RESEND_SECONDS"])
    return max(0, int((row.last_sent_at + cooldown - now()).total_seconds()))


def sms_delayed(row: OneTimeCode) -> bool:
    """True when an attempt to send the code's SMS has failed (it is being retried). A message
    still waiting for its first attempt (the SMS worker has it) is just being sent."""
    message = db.session.get(SmsMessage, row.sms_id) if row.sms_id else None
    return message is not None and message.status != SmsStatus.SENT and (
        message.attempts > 0 or message.status == SmsStatus.FAILED)


# --- Checking -----------------------------------------------------------------------------------


def _still_there(row: OneTimeCode, code_id: int) -> None:
    """Raise errors.Gone when the code's row was deleted while this request held it: its draft
    was erased in another tab (portal.core.services.drafts), the code with it. `code_id` is
    read before the commit (reading row.id after it would reload the vanished row)."""
    if db.session.scalar(sa.select(OneTimeCode.id).where(OneTimeCode.id == code_id)) is None:
        db.session.expunge(row)  # never refreshed: it is no longer in the database
        raise Gone()


def check(row: OneTimeCode, entered: str, ip: str | None = None) -> CheckResult:
    """Compare a typed code; counts the try, marks a right code used. Commits.

    The try is claimed before the code is compared, by one conditional UPDATE, so parallel
    requests can never compare more than CODE_MAX_ATTEMPTS codes between them. Raises
    errors.Gone when the code went with its draft meanwhile (nothing written)."""
    limit = _max_attempts()
    moment = now()
    code_id = row.id
    claimed = db.session.execute(
        sa.update(OneTimeCode)
        .where(OneTimeCode.id == row.id, OneTimeCode.used_at.is_(None),
               OneTimeCode.attempts < limit, OneTimeCode.expires_at > moment)
        .values(attempts=OneTimeCode.attempts + 1)
        .returning(OneTimeCode.attempts, OneTimeCode.code_hash, OneTimeCode.sends)
    ).first()
    if claimed is None:
        db.session.commit()
        _still_there(row, code_id)
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
        if not used:
            _still_there(row, code_id)
        return CheckResult(Check.OK if used else Check.USED)
    if attempts >= limit:
        db.session.add(AuditEvent(kind="code_locked", iin=row.iin, ip=ip, detail=row.purpose))
    db.session.commit()
    left = limit - attempts
    return CheckResult(Check.WRONG if left > 0 else Check.LOCKED, left)
