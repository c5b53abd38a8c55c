"""The citizen's sign-in as use cases: the code for an IIN, the pending code, the audit events
of signing in and out (one transaction each)."""

from __future__ import annotations

from portal.core.models import AuditEvent, CodePurpose, OneTimeCode
from portal.core.services import codes, sms_texts
from portal.extensions import db


def obtain_sign_in_code(person, asker: codes.Asker) -> OneTimeCode:
    """The live sign-in code of this person's phone that this asker may type, or a new one
    sent to it (raises codes.CodeRefused)."""
    row, _sent = codes.obtain(CodePurpose.SIGN_IN, person.iin, person.phone, sms_texts.SIGN_IN,
                              asker=asker)
    return row


def pending_sign_in_code(code_id, asker_tag: str | None) -> OneTimeCode | None:
    """The sign-in code a session is typing (its id kept in the session), if it is one and
    this session may type it (a bound code only in the session that asked for it)."""
    row = db.session.get(OneTimeCode, code_id) if isinstance(code_id, int) else None
    if row is None or row.purpose != CodePurpose.SIGN_IN:
        return None
    return row if codes.may_type(row, asker_tag) else None


def resend_sign_in_code(row: OneTimeCode, asker: codes.Asker) -> OneTimeCode:
    return codes.resend(row, sms_texts.SIGN_IN, asker=asker)


def _audit(kind: str, iin: str, ip: str | None) -> None:
    db.session.add(AuditEvent(kind=kind, iin=iin, ip=ip))
    db.session.commit()


def signed_in(iin: str, ip: str | None) -> None:
    _audit("sign_in", iin, ip)


def signed_out(iin: str, ip: str | None) -> None:
    _audit("sign_out", iin, ip)
