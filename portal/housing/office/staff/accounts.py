"""Creating, disabling and listing staff accounts (used by `flask staff ...`)."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from argon2 import PasswordHasher

from portal.clock import now
from portal.core.registries.settlements import SETTLEMENTS
from portal.domain import iin as iin_rules
from portal.extensions import db

from .audit import record
from .models import Role, StaffMember, StaffSession

# argon2-cffi's defaults (RFC 9106 "low memory" profile): about 100 ms a hash here.
hasher = PasswordHasher()

# A generated password: 16 characters from an alphabet without look-alikes (0/O, 1/l/I).
GENERATED_PASSWORD_LENGTH = 16
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MIN_PASSWORD_LENGTH = 12  # NIST SP 800-63B asks at least 8; staff see citizens' data


class AccountError(ValueError):
    pass


def generate_password() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(GENERATED_PASSWORD_LENGTH))


def by_login(login: str) -> StaffMember | None:
    return db.session.scalar(sa.select(StaffMember).where(StaffMember.login == login.strip()))


def add(login: str, full_name: str, role: str, settlements: list[str], password: str,
        totp_secret: str | None = None, iin: str | None = None) -> StaffMember:
    """A new account. Its TOTP is set up on first sign-in unless a secret is given (demo)."""
    login = login.strip()
    if not login or len(login) > 64 or not login.isprintable() or " " in login:
        raise AccountError("the login must be 1-64 characters without spaces")
    if role not in {r.value for r in Role}:
        raise AccountError(f"the role must be one of: {', '.join(r.value for r in Role)}")
    _check_settlements(settlements)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    if by_login(login):
        raise AccountError(f"the login {login!r} is taken")
    iin = _checked_iin(iin)
    member = StaffMember(login=login, full_name=full_name.strip(), role=role,
                         settlements=sorted(set(settlements)),
                         password_hash=hasher.hash(password), totp_secret=totp_secret,
                         totp_confirmed_at=now() if totp_secret else None, iin=iin)
    db.session.add(member)
    db.session.commit()
    return member


def _check_settlements(settlements) -> None:
    unknown = sorted(set(settlements) - set(SETTLEMENTS))
    if unknown or not settlements:
        raise AccountError(f"settlements must be some of: {', '.join(SETTLEMENTS)}")


def set_settlements(login: str, settlements: list[str]) -> StaffMember:
    """The settlements whose applications the staff member handles, replaced; recorded in the
    audit trail with before and after."""
    member = by_login(login)
    if member is None:
        raise AccountError(f"no staff member with the login {login!r}")
    _check_settlements(settlements)
    before = {"settlements": list(member.settlements)}
    member.settlements = sorted(set(settlements))
    record(None, "staff_settlements", before=before,
           after={"settlements": member.settlements}, login=member.login)
    db.session.commit()
    return member


def _checked_iin(iin: str | None) -> str | None:
    if iin is None or not iin.strip():
        return None
    if not iin_rules.is_valid(iin.strip()):
        raise AccountError("the IIN must be 12 digits with a valid check digit")
    return iin.strip()


def set_iin(login: str, iin: str) -> StaffMember:
    """The IIN of the staff member's ЭЦП certificate (needed to sign decisions with ЭЦП)."""
    member = by_login(login)
    if member is None:
        raise AccountError(f"no staff member with the login {login!r}")
    member.iin = _checked_iin(iin)
    db.session.commit()
    return member


def disable(login: str) -> StaffMember:
    """No more sign-ins; every open session of theirs ends now."""
    member = by_login(login)
    if member is None:
        raise AccountError(f"no staff member with the login {login!r}")
    at = now()
    member.disabled_at = member.disabled_at or at
    db.session.execute(sa.update(StaffSession).where(
        StaffSession.staff_id == member.id, StaffSession.ended_at.is_(None)).values(ended_at=at))
    db.session.commit()
    return member


def reset_totp(login: str) -> StaffMember:
    """A lost phone: the next sign-in sets the authenticator app up again."""
    member = by_login(login)
    if member is None:
        raise AccountError(f"no staff member with the login {login!r}")
    member.totp_secret = None
    member.totp_confirmed_at = None
    member.totp_last_step = None
    db.session.execute(sa.update(StaffSession).where(
        StaffSession.staff_id == member.id, StaffSession.ended_at.is_(None)
    ).values(ended_at=now()))
    db.session.commit()
    return member


def all_members() -> list[StaffMember]:
    return list(db.session.scalars(sa.select(StaffMember).order_by(StaffMember.login)))
