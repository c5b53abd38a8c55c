"""Staff sign-in: password (argon2) and a TOTP code, lockout, and server-side staff sessions.

Decisions, with their reasons:
- Password and code are checked together and a refusal never says which was wrong, so a
  guessed password cannot be confirmed without the phone. Only a staff member who has not set
  up the authenticator app yet is taken to its set-up after a right password (they have no
  code to give).
- Five wrong codes given with the right password lock the account for 15 minutes: NIST SP
  800-63B 5.2.2 asks for a limit on failed attempts; 15 minutes makes online guessing hopeless
  (at most 480 tries a day) while a mistyping officer is back before the next visitor. Only
  someone who knows the password can cause this lock.
- Every try is taken *before* its secret is checked, by one conditional UPDATE (`_claim`):
  however many requests arrive at once, at most 5 codes are compared, and a right code sent
  after them finds the account locked (the password check is slow, so checking the lock
  before it and counting after it let 30 parallel requests compare 30 codes).
- Wrong passwords, which anyone who knows (or guesses) a login can make, are counted apart and
  never stop an officer who gives the right password and code. After 5 in a row the password
  alone tells nothing for 15 minutes: no set-up for an account without its app yet, no lock
  message; only the right password with the right code gets in. So a stranger cannot lock an
  officer out, and can learn nothing from a lock.
- An unknown or disabled login is answered like a real one: the same message, and a password
  hash is verified (against a dummy hash), so neither the words nor the time tell.
- A code is good once: the accepted 30-second step is stored and only a later step passes
  (RFC 6238 section 5.2), again as one conditional UPDATE.
- The staff session is our own table (a random token in the `mk_staff` cookie, its SHA-256 in
  the row), not Flask-Session: an app has one session interface, and the citizens' already
  uses it. So the two can never be confused, and ending a staff session is a row update.

Every function here takes plain values; the web layer passes the cookie's token and the IP.
SQLite note: each write transaction starts with its write (reads are committed first), so
parallel sign-ins wait for the lock instead of failing with a stale snapshot.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import secrets
from enum import StrEnum

import pyotp
import qrcode
import qrcode.image.svg
import sqlalchemy as sa
from argon2.exceptions import InvalidHashError, VerificationError
from pyotp.utils import strings_equal

from portal.clock import as_utc, now
from portal.extensions import db

from . import audit
from .accounts import by_login, hasher
from .audit import Action
from .models import SessionStage, StaffMember, StaffSession

MAX_FAILED_ATTEMPTS = 5  # wrong codes after a right password before the account locks
LOCKOUT = dt.timedelta(minutes=15)  # long enough to stop guessing, short for a mistyping officer
MAX_PASSWORD_FAILURES = 5  # wrong passwords in a row before a password alone tells nothing
PASSWORD_PAUSE = dt.timedelta(minutes=15)
IDLE_TIMEOUT = dt.timedelta(minutes=15)  # an unattended office screen closes itself
ABSOLUTE_LIFETIME = dt.timedelta(hours=10)  # one working day (9:00-18:30) plus a margin
SETUP_LIFETIME = dt.timedelta(minutes=10)  # time to install the app and scan the code
TOTP_ISSUER = "Mekenjai"
TOTP_VALID_WINDOW = 1  # the step before and after too: a phone's clock may be 30 s off
TOUCH_EVERY = dt.timedelta(seconds=30)  # last_seen_at is written at most this often

# Verified against when the login is unknown, so such an answer takes as long as any other.
_DUMMY_HASH = hasher.hash(secrets.token_hex(16))


class Outcome(StrEnum):
    SIGNED_IN = "signed_in"
    SETUP = "setup"  # right password, the authenticator app is to be set up
    REFUSED = "refused"  # wrong login, password or code (never says which)
    LOCKED = "locked"


@dataclasses.dataclass(frozen=True)
class Result:
    outcome: Outcome
    token: str | None = None  # for the staff cookie
    retry_after: dt.timedelta | None = None  # when locked


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _password_ok(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def _matching_step(secret: str, code: str, at: dt.datetime) -> int | None:
    """The time step whose code this is, within TOTP_VALID_WINDOW (what pyotp's
    verify(code, valid_window=1) accepts, but telling which step matched)."""
    code = "".join((code or "").split())
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(at)
    for step in range(current - TOTP_VALID_WINDOW, current + TOTP_VALID_WINDOW + 1):
        if strings_equal(code, totp.generate_otp(step)):
            return step
    return None


def _use_code(member_id: int, secret: str, code: str, at: dt.datetime) -> bool:
    """Accept a code once: only a step later than the last accepted one passes."""
    step = _matching_step(secret, code, at)
    if step is None:
        return False
    result = db.session.execute(
        sa.update(StaffMember)
        .where(StaffMember.id == member_id,
               sa.or_(StaffMember.totp_last_step.is_(None), StaffMember.totp_last_step < step))
        .values(totp_last_step=step),
        execution_options={"synchronize_session": False})
    return result.rowcount == 1


@dataclasses.dataclass(frozen=True)
class _Counter:
    """A budget of tries on the account: a count and the moment its pause ends."""

    count: sa.Column
    until: sa.Column
    limit: int
    pause: dt.timedelta


_CODE_TRIES = _Counter(StaffMember.failed_attempts, StaffMember.locked_until,
                       MAX_FAILED_ATTEMPTS, LOCKOUT)
_PASSWORD_TRIES = _Counter(StaffMember.password_failures, StaffMember.password_paused_until,
                           MAX_PASSWORD_FAILURES, PASSWORD_PAUSE)


def _claim(counter: _Counter, member_id: int, at: dt.datetime) -> int | None:
    """Take a try *before* checking, by one conditional UPDATE, so parallel requests can never
    check more than `limit` between them. The try that reaches the limit starts the pause at
    once (a right answer lifts it again). Returns the count with this try, or None while
    paused (no try left)."""
    base = sa.case((counter.until.is_(None), counter.count), else_=0)  # a past pause restarts
    reached = base + 1 >= counter.limit
    row = db.session.execute(
        sa.update(StaffMember)
        .where(StaffMember.id == member_id,
               sa.or_(counter.until.is_(None), counter.until <= at))
        .values({counter.count: base + 1,
                 counter.until: sa.case((reached, at + counter.pause), else_=None)})
        .returning(counter.count),
        execution_options={"synchronize_session": False}).first()
    db.session.commit()
    return None if row is None else row[0]


def _give_back(counter: _Counter, member_id: int) -> None:
    """A right answer: the count starts again and the pause it may have started is lifted."""
    db.session.execute(
        sa.update(StaffMember).where(StaffMember.id == member_id)
        .values({counter.count: 0, counter.until: None}),
        execution_options={"synchronize_session": False})


def _paused_for(member_id: int, at: dt.datetime) -> dt.timedelta | None:
    until = db.session.scalar(sa.select(StaffMember.locked_until)
                              .where(StaffMember.id == member_id))
    return as_utc(until) - at if until is not None and as_utc(until) > at else None


def _fail(member_id: int | None, login: str, ip: str | None, reason: str,
          locked: dt.datetime | None = None, tell: dt.timedelta | None = None) -> Result:
    """Audit a refusal; `locked` when this try locked the account, `tell` when the answer may
    say how long the account is locked (only to someone who gave the right password)."""
    member = db.session.get(StaffMember, member_id) if member_id else None
    audit.record(member, Action.SIGN_IN_FAILED, after={"reason": reason}, ip=ip, login=login)
    if locked is not None:
        audit.record(member, Action.LOCKOUT, after={"until": locked.isoformat()}, ip=ip)
    db.session.commit()
    return Result(Outcome.LOCKED, retry_after=tell) if tell else Result(Outcome.REFUSED)


def _start_session(member_id: int, stage: SessionStage, ip: str | None) -> str:
    token = secrets.token_urlsafe(32)
    at = now()
    db.session.add(StaffSession(token_hash=_hash_token(token), staff_id=member_id, stage=stage,
                                created_at=at, last_seen_at=at, ip=ip))
    return token


@dataclasses.dataclass(frozen=True)
class _Account:
    """What sign-in needs of the account, read before any write (see the SQLite note)."""

    id: int
    password_hash: str
    totp_secret: str | None
    confirmed: bool
    disabled: bool


def _read_account(login: str) -> _Account | None:
    member = by_login(login or "")
    account = None if member is None else _Account(
        member.id, member.password_hash, member.totp_secret,
        member.totp_confirmed_at is not None, member.disabled_at is not None)
    db.session.commit()  # end the read, so the writes below start their own transaction
    return account


def sign_in(login: str, password: str, code: str, ip: str | None = None) -> Result:
    """Check login, password and (once set up) the TOTP code. Commits.

    Each secret's try is taken before it is checked (`_claim`). Wrong passwords, which anyone
    who knows a login can make, pause only what a password alone would tell (the set-up, the
    lock message); wrong codes, which only someone with the password can make, lock."""
    login = (login or "").strip()[:64]
    account = _read_account(login)
    at = now()
    if account is None or account.disabled:
        _password_ok(_DUMMY_HASH, password)  # the same work as for a real login
        return _fail(None, login, ip, "unknown_or_disabled")
    told = _claim(_PASSWORD_TRIES, account.id, at) is not None  # may a password alone tell?
    if not _password_ok(account.password_hash, password):
        return _fail(account.id, login, ip, "wrong" if told else "wrong_paused")
    if not told:
        if not account.confirmed:  # a set-up now would confirm a guessed password
            return _fail(account.id, login, ip, "password_paused")
    else:
        _give_back(_PASSWORD_TRIES, account.id)
        db.session.commit()
        if not account.confirmed:
            locked = _paused_for(account.id, at)  # wrong set-up codes lock the set-up too
            return _fail(account.id, login, ip, "locked", tell=locked) if locked \
                else _begin_setup(account, ip)
    return _check_code(account, login, code, ip, at, tell=told)


def _check_code(account: _Account, login: str, code: str, ip: str | None, at: dt.datetime,
                tell: bool, reason: str = "wrong") -> Result:
    """The code, after a right password: its try is taken first; the fifth wrong one locks."""
    tries = _claim(_CODE_TRIES, account.id, at)
    if tries is None:
        return _fail(account.id, login, ip, "locked",
                     tell=_paused_for(account.id, at) if tell else None)
    if not _use_code(account.id, account.totp_secret, code, at):
        locked = at + LOCKOUT if tries >= MAX_FAILED_ATTEMPTS else None
        return _fail(account.id, login, ip, reason, locked=locked,
                     tell=LOCKOUT if locked and tell else None)
    return _signed_in(account.id, ip, Action.SIGN_IN)


def _begin_setup(account: _Account, ip: str | None) -> Result:
    """Right password, no authenticator yet: a short set-up session (the secret is kept
    until confirmed, so a code already scanned stays good on a second try)."""
    db.session.execute(
        sa.update(StaffMember).where(StaffMember.id == account.id,
                                     StaffMember.totp_secret.is_(None))
        .values(totp_secret=pyotp.random_base32()),
        execution_options={"synchronize_session": False})
    token = _start_session(account.id, SessionStage.SETUP, ip)
    db.session.commit()
    return Result(Outcome.SETUP, token=token)


def _signed_in(member_id: int, ip: str | None, action: str) -> Result:
    db.session.execute(
        sa.update(StaffMember).where(StaffMember.id == member_id)
        .values(failed_attempts=0, locked_until=None, password_failures=0,
                password_paused_until=None),
        execution_options={"synchronize_session": False})
    token = _start_session(member_id, SessionStage.SIGNED_IN, ip)
    audit.record(db.session.get(StaffMember, member_id), action, ip=ip)
    db.session.commit()
    return Result(Outcome.SIGNED_IN, token=token)


@functools.cache
def _live_statement() -> sa.Select:
    # Built once (every staff page asks it): building it cost more than running it.
    return (sa.select(StaffSession, StaffMember).join(StaffMember)
            .where(StaffSession.token_hash == sa.bindparam("token_hash"),
                   StaffSession.stage == sa.bindparam("stage"),
                   StaffSession.ended_at.is_(None), StaffMember.disabled_at.is_(None)))


def _live(token: str | None, stage: SessionStage, at: dt.datetime):
    if not token:
        return None
    row = db.session.execute(_live_statement(), {"token_hash": _hash_token(token),
                                                 "stage": stage}).first()
    if row is None:
        return None
    staff_session, member = row
    lifetime = SETUP_LIFETIME if stage == SessionStage.SETUP else ABSOLUTE_LIFETIME
    if at - staff_session.last_seen_at >= IDLE_TIMEOUT or at - staff_session.created_at >= lifetime:
        return None
    return staff_session, member


def resume(token: str | None) -> StaffMember | None:
    """The signed-in staff member whose cookie carries this token, or None (unknown, ended,
    idle for IDLE_TIMEOUT, older than ABSOLUTE_LIFETIME, or the account disabled)."""
    at = now()
    found = _live(token, SessionStage.SIGNED_IN, at)
    if found is None:
        return None
    staff_session, member = found
    if at - staff_session.last_seen_at >= TOUCH_EVERY:
        session_id = staff_session.id
        db.session.commit()
        db.session.execute(sa.update(StaffSession).where(StaffSession.id == session_id)
                           .values(last_seen_at=at),
                           execution_options={"synchronize_session": False})
        db.session.commit()
    return member


def setup_member(token: str | None) -> StaffMember | None:
    """The half-signed-in staff member setting up their authenticator app, if any."""
    found = _live(token, SessionStage.SETUP, now())
    return found[1] if found and found[1].totp_confirmed_at is None else None


def provisioning_uri(member: StaffMember) -> str:
    return pyotp.TOTP(member.totp_secret).provisioning_uri(name=member.login,
                                                           issuer_name=TOTP_ISSUER)


def qr_svg(member: StaffMember) -> bytes:
    """The otpauth:// URI as an SVG QR code for the authenticator app to scan."""
    image = qrcode.make(provisioning_uri(member), image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string()


def confirm_setup(token: str | None, code: str, ip: str | None = None) -> Result:
    """The first code from the newly set-up app: confirms it and signs in (a new token)."""
    member = setup_member(token)
    if member is None:
        db.session.commit()
        return Result(Outcome.REFUSED)
    account = _Account(member.id, member.password_hash, member.totp_secret, False, False)
    login = member.login
    db.session.commit()  # end the read (see the SQLite note)
    at = now()
    tries = _claim(_CODE_TRIES, account.id, at)
    if tries is None:
        return Result(Outcome.LOCKED, retry_after=_paused_for(account.id, at))
    if not _use_code(account.id, account.totp_secret, code, at):
        locked = at + LOCKOUT if tries >= MAX_FAILED_ATTEMPTS else None
        return _fail(account.id, login, ip, "wrong_setup_code", locked=locked,
                     tell=LOCKOUT if locked else None)
    db.session.execute(sa.update(StaffMember).where(StaffMember.id == account.id)
                       .values(totp_confirmed_at=at),
                       execution_options={"synchronize_session": False})
    _end(token, at)
    audit.record(db.session.get(StaffMember, account.id), Action.TOTP_SETUP, ip=ip)
    return _signed_in(account.id, ip, Action.SIGN_IN)


def _end(token: str, at: dt.datetime) -> int:
    return db.session.execute(
        sa.update(StaffSession).where(StaffSession.token_hash == _hash_token(token),
                                      StaffSession.ended_at.is_(None))
        .values(ended_at=at), execution_options={"synchronize_session": False}).rowcount


def sign_out(token: str | None, ip: str | None = None) -> None:
    """End the session on the server: the cookie's token opens nothing any more."""
    if not token:
        return
    member = resume(token) or setup_member(token)
    member_id = member.id if member else None
    db.session.commit()
    if _end(token, now()) and member_id:
        audit.record(db.session.get(StaffMember, member_id), Action.SIGN_OUT, ip=ip)
    db.session.commit()
