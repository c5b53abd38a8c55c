"""Signing what a citizen sends, by one of two methods, with one record of it (Signature).

What is signed is a canonical text the journey produces (the check page's lines, in the
citizen's language; for ЭЦП with a server nonce inside, see portal.ecp.canonical). The text is
stored with its SHA-256 in the Signature, so the office can always show what was signed.

1. SMS one-time code (`Method.SMS_CODE`): the code goes to the phone the mobile citizens'
   database holds. `send_code` issues or resends it, `sign_with_code` checks it and records the
   Signature. Both wrap portal.core.services.codes unchanged; its CodeRefused and Check results are
   turned into `CodeRejected(reason, **context)` (a `Refused`), the same for every one-time
   code: sign-in, signing, and later the owner's consent. `check_code` / `send` / `resend` are
   the purpose-neutral halves the sign-in uses.
2. ЭЦП (`Method.ECP`): `issue_challenge` stores a single-use nonce bound to the application and
   the digest of the text; the browser has NCALayer sign the text (CMS, base64);
   `sign_with_ecp` consumes the nonce once (a conditional UPDATE), hands the CMS to the
   configured verifier (`app.extensions["ecp_verifier"]`, see `Verifier`) and records the
   Signature with the CMS and the certificate's serial. The verifier raises
   `SignatureRejected(reason)`; we turn it into `Refused("ecp_<reason>")`.

Nothing here commits except where portal.core.services.codes does (a code's try is counted even when
the use case fails, on purpose); the Signature is added to the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass
from typing import Any, Protocol

import sqlalchemy as sa
from flask import current_app

from portal.clock import now
from portal.core.models import (
    Application,
    CodePurpose,
    OneTimeCode,
    Signature,
    SignatureMethod,
    SigningChallenge,
)
from portal.core.services import codes
from portal.core.services.errors import Refused
from portal.extensions import db

Method = SignatureMethod
SUBMIT = "submit"  # the purpose of the signature that submits an application
CHALLENGE_LIFETIME = dt.timedelta(minutes=5)  # as portal.ecp.nonce.NONCE_LIFETIME


class CodeRejected(Refused):
    """A one-time code could not be sent or was not accepted. Reasons (stable):
    sending: "cooldown" (seconds), "locked" (seconds), "too_many" (seconds), "used";
    checking: "wrong" (attempts_left), "expired", "locked", "used", "missing"."""


class SignatureRejected(Exception):
    """What a Verifier raises. Same shape as portal.ecp.errors.SignatureRejected (phase 2 makes
    this name an alias of that class)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason = str(reason)
        self.detail = detail


class Verifier(Protocol):
    """The ЭЦП verification interface (portal.ecp provides the RSA one and a GOST adapter).
    Returns something with the certificate's serial (`certificate_serial` or `serial`)."""

    def verify(self, cms_b64: str, expected_content: str, expected_iin: str, purpose: str,
               at: dt.datetime) -> Any: ...


# --- The text ---------------------------------------------------------------------------------

def normalize(text: str) -> str:
    """The exact form that is signed and stored: NFC, "\\n" line ends, no trailing spaces."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def digest(text: str) -> str:
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


def signature_of(application: Application, purpose: str = SUBMIT) -> Signature | None:
    """From the application's signatures: one look-up, or none where the page loaded them
    with the application (the status page)."""
    return next((s for s in application.signatures if s.purpose == purpose), None)


def _record(application: Application, method: str, signer_iin: str, content: str, purpose: str,
            at: dt.datetime | None = None, **extra) -> Signature:
    text = normalize(content)
    # Through the relationship, so application.signatures holds it before the commit too.
    signature = Signature(application=application, purpose=purpose, method=method,
                          signer_iin=signer_iin, signed_at=at or now(), content=text,
                          content_sha256=digest(text), **extra)
    db.session.add(signature)
    db.session.flush()
    return signature


# --- One-time codes (every purpose) ----------------------------------------------------------

def _refused(exc: codes.CodeRefused) -> CodeRejected:
    return CodeRejected(exc.reason, seconds=exc.seconds)


def send(purpose: str, iin: str, phone: str, sms_text: str,
         application_id: int | None = None) -> OneTimeCode:
    """A new code by SMS (commits, sends). `sms_text` has a `{code}` placeholder."""
    try:
        return codes.issue(purpose, iin, phone, sms_text, application_id=application_id)
    except codes.CodeRefused as exc:
        raise _refused(exc) from None


def resend(row: OneTimeCode, sms_text: str) -> OneTimeCode:
    try:
        return codes.resend(row, sms_text)
    except codes.CodeRefused as exc:
        raise _refused(exc) from None


def check_code(row: OneTimeCode | None, entered: str, ip: str | None = None) -> OneTimeCode:
    """Accept the typed code or raise CodeRejected; the try is counted (committed) either way."""
    if row is None:
        raise CodeRejected("missing")
    result = codes.check(row, entered, ip)
    if result.check != codes.Check.OK:
        raise CodeRejected(str(result.check), attempts_left=result.attempts_left)
    return row


@dataclass(frozen=True)
class CodeState:
    """What the shared code page shows about the code being typed."""

    phone: str
    lifetime_minutes: int
    wait_seconds: int
    delayed: bool
    locked: bool
    expired: bool


def state_of(row: OneTimeCode) -> CodeState:
    return CodeState(phone=row.phone,
                     lifetime_minutes=current_app.config["SIGN_IN_CODE_MINUTES"],
                     wait_seconds=codes.seconds_until_resend(row),
                     delayed=codes.sms_delayed(row), locked=codes.is_locked(row),
                     expired=codes.is_expired(row))


# --- Signing an application with an SMS code ------------------------------------------------

def signing_code(application: Application) -> OneTimeCode | None:
    """The newest unused signing code of this application (the view's former query)."""
    return db.session.scalars(
        sa.select(OneTimeCode)
        .where(OneTimeCode.purpose == CodePurpose.SIGN_APPLICATION,
               OneTimeCode.application_id == application.id, OneTimeCode.used_at.is_(None))
        .order_by(OneTimeCode.id.desc()).limit(1)).first()


def send_code(application: Application, signer_iin: str, phone: str,
              sms_text: str) -> OneTimeCode:
    """Send the code that signs this application, or a new one in the same record after the
    cooldown (wrong tries are not forgiven by a resend)."""
    row = signing_code(application)
    if row is None or codes.is_expired(row):
        return send(CodePurpose.SIGN_APPLICATION, signer_iin, phone, sms_text,
                    application_id=application.id)
    return resend(row, sms_text)


def sign_with_code(application: Application, signer_iin: str, entered: str, content: str,
                   ip: str | None = None, purpose: str = SUBMIT) -> Signature:
    """Check the typed code against this application's signing code and record the Signature of
    `content` in the caller's transaction. Raises CodeRejected."""
    row = signing_code(application)
    if row is not None and row.iin != signer_iin:
        row = None  # a code is personal: nobody signs with someone else's
    check_code(row, entered, ip)
    return _record(application, Method.SMS_CODE, signer_iin, content, purpose, code_id=row.id)


# --- ЭЦП ---------------------------------------------------------------------------------------

def verifier() -> Verifier:
    found = current_app.extensions.get("ecp_verifier")
    if found is None:
        raise Refused("ecp_unavailable")
    return found


def issue_challenge(nonce: str, content: str, purpose: str = SUBMIT,
                    application: Application | None = None, iin: str | None = None,
                    lifetime: dt.timedelta = CHALLENGE_LIFETIME) -> SigningChallenge:
    """Remember a nonce the browser is about to have signed, bound to the digest of the text
    that contains it (the journey builds that text with the nonce inside). Not committed."""
    moment = now()
    challenge = SigningChallenge(nonce=nonce, purpose=purpose, iin=iin,
                                 application_id=application.id if application else None,
                                 content_sha256=digest(content), created_at=moment,
                                 expires_at=moment + lifetime)
    db.session.add(challenge)
    db.session.flush()
    return challenge


def _challenge(nonce: str, purpose: str, application: Application | None,
               content: str) -> SigningChallenge:
    """The open challenge for this nonce, application and text, or a refusal."""
    challenge = db.session.scalar(sa.select(SigningChallenge).where(
        SigningChallenge.nonce == nonce, SigningChallenge.purpose == purpose))
    app_id = application.id if application else None
    if challenge is None or challenge.application_id != app_id:
        raise Refused("ecp_challenge_unknown")
    if challenge.used_at is not None:
        raise Refused("ecp_challenge_used")
    if now() >= challenge.expires_at:
        raise Refused("ecp_challenge_expired")
    if challenge.content_sha256 != digest(content):
        raise Refused("ecp_content_changed")
    return challenge


def consume_challenge(nonce: str, purpose: str, application: Application | None,
                      content: str) -> SigningChallenge:
    """Use a nonce exactly once (a conditional UPDATE: of two racing requests one wins), before
    it expires, for the text it was issued with."""
    challenge = _challenge(nonce, purpose, application, content)
    moment = now()
    taken = db.session.execute(
        sa.update(SigningChallenge)
        .where(SigningChallenge.id == challenge.id, SigningChallenge.used_at.is_(None))
        .values(used_at=moment).execution_options(synchronize_session=False)).rowcount
    if taken != 1:
        raise Refused("ecp_challenge_used")
    challenge.used_at = moment
    return challenge


def _serial_of(result: Any) -> str | None:
    for name in ("certificate_serial", "serial_number", "serial"):
        value = getattr(result, name, None)
        if value is not None:
            return str(value)
    return None


def sign_with_ecp(application: Application, signer_iin: str, nonce: str, cms_b64: str,
                  content: str, purpose: str = SUBMIT) -> Signature:
    """Verify a CMS over `content` (the text with `nonce` inside) made by the applicant's key and
    record the Signature in the caller's transaction. Raises Refused("ecp_<reason>")."""
    _challenge(nonce, purpose, application, content)  # refuse early: no verifier call
    moment = now()
    try:
        result = verifier().verify(cms_b64, normalize(content), signer_iin, purpose, moment)
    except SignatureRejected as exc:
        raise Refused(f"ecp_{exc.reason}") from None
    consume_challenge(nonce, purpose, application, content)  # a rejected CMS may be retried
    return _record(application, Method.ECP, signer_iin, content, purpose, at=moment,
                   cms=cms_b64, certificate_serial=_serial_of(result))
