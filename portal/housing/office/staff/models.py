"""Staff tables: accounts, server-side staff sessions, and the append-only audit trail."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy import DDL, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.core.models import UtcDateTime, _now
from portal.extensions import db


class Role(StrEnum):
    OFFICER = "officer"  # reviews emergency cases, holds hearings for their settlements
    HEAD = "head"  # head of the provider: answers complaints, reads any audit trail


class StaffMember(db.Model):
    __tablename__ = "staff_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(sa.String(64), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(16))
    # Where ЭЦП is configured, final decisions are signed with the staff member's own key: its
    # certificate's SERIALNUMBER must be this IIN (portal.housing.office.services.office_signing).
    iin: Mapped[str | None] = mapped_column(sa.String(12))
    # Settlement codes (portal.core.registries.settlements.SETTLEMENTS) whose applications they
    # handle.
    settlements: Mapped[list] = mapped_column(sa.JSON, default=list)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    # Base32 TOTP secret. Shown only while set-up is unconfirmed; never again after.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_confirmed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # The last 30-second time step whose code was accepted: a code is good once.
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    # Wrong codes given after a right password (only someone who knows the password can
    # make them): the lock that stops everyone (portal.housing.office.staff.signin).
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # Wrong passwords (anyone who knows the login can make them): they pause only what a
    # password alone would tell, never an officer who also gives the right code.
    password_failures: Mapped[int] = mapped_column(default=0, server_default="0")
    password_paused_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)

    @property
    def is_head(self) -> bool:
        return self.role == Role.HEAD

    def serves(self, settlement_code: str) -> bool:
        return settlement_code in (self.settlements or [])


class SessionStage(StrEnum):
    SETUP = "setup"  # password accepted, the authenticator app is being set up
    SIGNED_IN = "signed_in"


class StaffSession(db.Model):
    """A staff sign-in. The cookie carries a random token; only its SHA-256 is stored, so a
    copy of the table signs nobody in. Ending a session is a row update, effective at once."""

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_member.id"), index=True)
    stage: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    ip: Mapped[str | None] = mapped_column(sa.String(64))


class StaffAudit(db.Model):
    """Append-only: who did what, when, to which application, with the state before and after.
    Updates and deletes are refused by the ORM (below) and, on PostgreSQL, by a trigger."""

    __tablename__ = "staff_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now, index=True)
    staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_member.id"), index=True)
    # The login as typed or held at the time (kept even for unknown logins and renamed staff).
    login: Mapped[str] = mapped_column(sa.String(64), default="")
    action: Mapped[str] = mapped_column(sa.String(40))
    # Any journey's application id; no foreign key, so every journey's records can be audited.
    application_id: Mapped[int | None] = mapped_column(index=True)
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)
    ip: Mapped[str | None] = mapped_column(sa.String(64))


class AppendOnlyError(RuntimeError):
    pass


@event.listens_for(StaffAudit, "before_update")
@event.listens_for(StaffAudit, "before_delete")
def _refuse_change(mapper, connection, target):
    raise AppendOnlyError("staff_audit is append-only: records are never changed or removed")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(orm_execute_state):
    """Bulk `update(StaffAudit)` / `delete(StaffAudit)` skip the mapper events above."""
    if orm_execute_state.is_update or orm_execute_state.is_delete:
        mapper = orm_execute_state.bind_mapper
        if mapper is not None and mapper.class_ is StaffAudit:
            raise AppendOnlyError("staff_audit is append-only: records are never changed")


# The same rule in the database itself on PostgreSQL (raw SQL cannot get around it either).
PG_APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION staff_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'staff_audit is append-only';
END;
$$ LANGUAGE plpgsql
"""
PG_APPEND_ONLY_TRIGGER = """
CREATE TRIGGER staff_audit_append_only BEFORE UPDATE OR DELETE ON staff_audit
FOR EACH ROW EXECUTE FUNCTION staff_audit_append_only()
"""
event.listen(StaffAudit.__table__, "after_create",
             DDL(PG_APPEND_ONLY_FUNCTION).execute_if(dialect="postgresql"))
event.listen(StaffAudit.__table__, "after_create",
             DDL(PG_APPEND_ONLY_TRIGGER).execute_if(dialect="postgresql"))
