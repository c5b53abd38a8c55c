"""The staff audit trail: one append-only record per staff action (sign-ins and lockouts too).

record() adds to the caller's transaction; the service that changes state commits both, so a
change without its record cannot happen.
"""

from __future__ import annotations

import sqlalchemy as sa

from portal.extensions import db

from .models import StaffAudit, StaffMember


class Action:
    """Action names in the trail (the office shows them translated: portal.housing.office.texts)."""

    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    LOCKOUT = "lockout"
    SIGN_OUT = "sign_out"
    TOTP_SETUP = "totp_setup"
    # Reads of personal data: an inspector asks who saw which file when, not only who changed.
    APPLICATION_VIEWED = "housing_application_viewed"
    DOCUMENT_VIEWED = "housing_document_viewed"
    TRAIL_EXPORTED = "housing_audit_exported"


def record(
    staff: StaffMember | None,
    action: str,
    *,
    application_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    ip: str | None = None,
    login: str | None = None,
) -> StaffAudit:
    """Append one record to the current transaction (the caller commits)."""
    row = StaffAudit(
        staff_id=staff.id if staff else None,
        login=(login if login is not None else staff.login if staff else "")[:64],
        action=action,
        application_id=application_id,
        before=before,
        after=after,
        ip=ip,
    )
    db.session.add(row)
    return row


def trail(application_id: int) -> list[StaffAudit]:
    """Everything staff did to one application, oldest first."""
    return list(db.session.scalars(
        sa.select(StaffAudit).where(StaffAudit.application_id == application_id)
        .order_by(StaffAudit.at, StaffAudit.id)))


EXPORT_FIELDS = ("id", "at", "login", "action", "application_id", "before", "after", "ip")


def export_rows(records: list[StaffAudit]) -> list[dict]:
    """The trail as plain rows (JSON-ready; CSV writes before/after as JSON text)."""
    return [{"id": r.id, "at": r.at.isoformat(), "login": r.login, "action": r.action,
             "application_id": r.application_id, "before": r.before, "after": r.after,
             "ip": r.ip} for r in records]


def record_read(staff: StaffMember, action: str, application_id: int, ip: str | None,
                **what) -> None:
    """Record that `staff` read an application's personal data, and commit it at once: a
    page served is a read done, whatever the request does next."""
    record(staff, action, application_id=application_id, after=what or None, ip=ip)
    db.session.commit()


def recent_security_events(limit: int = 50) -> list[StaffAudit]:
    """The latest sign-ins, failures, lockouts and sign-outs, newest first."""
    return list(db.session.scalars(
        sa.select(StaffAudit).where(StaffAudit.application_id.is_(None))
        .order_by(StaffAudit.at.desc(), StaffAudit.id.desc()).limit(limit)))
