"""The citizen's sign-in as use cases: the code for an IIN, the pending code, the audit events
of signing in and out (one transaction each)."""

from __future__ import annotations

from portal.extensions import db
from portal.models import AuditEvent, CodePurpose, OneTimeCode
from portal.services import codes, sms_texts


def obtain_sign_in_code(person) -> OneTimeCode:
    """The live sign-in code of this person's phone, or a new one sent to it (raises
    codes.CodeRefused)."""
    row, _sent = codes.obtain(CodePurpose.SIGN_IN, person.iin, person.phone, sms_texts.SIGN_IN)
    return row


def pending_sign_in_code(code_id) -> OneTimeCode | None:
    """The sign-in code a session is typing (its id kept in the session), if it is one."""
    row = db.session.get(OneTimeCode, code_id) if isinstance(code_id, int) else None
    return row if row and row.purpose == CodePurpose.SIGN_IN else None


def resend_sign_in_code(row: OneTimeCode) -> OneTimeCode:
    return codes.resend(row, sms_texts.SIGN_IN)


def _audit(kind: str, iin: str, ip: str | None) -> None:
    db.session.add(AuditEvent(kind=kind, iin=iin, ip=ip))
    db.session.commit()


def signed_in(iin: str, ip: str | None) -> None:
    _audit("sign_in", iin, ip)


def signed_out(iin: str, ip: str | None) -> None:
    _audit("sign_out", iin, ip)
