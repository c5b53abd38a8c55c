"""What the portal reads from and requires of an NCA certificate (pure asn1crypto)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import x509

from . import oids
from .errors import Reason, SignatureRejected

_IIN_RE = re.compile(r"^IIN(\d{12})$")
_BIN_RE = re.compile(r"^BIN(\d{12})$")


@dataclass(frozen=True)
class Subject:
    iin: str | None
    bin: str | None
    full_name: str
    common_name: str
    organization: str | None


def _first(value):
    return value[0] if isinstance(value, list) else value


def subject_of(cert: x509.Certificate) -> Subject:
    """IIN from SERIALNUMBER ("IIN"+12 digits); name = CN ("SURNAME NAME") + G (patronymic)."""
    native = cert.subject.native
    serial = str(_first(native.get("serial_number")) or "")
    match = _IIN_RE.fullmatch(serial)
    units = native.get("organizational_unit_name") or []
    units = units if isinstance(units, list) else [units]
    bin_ = next((m.group(1) for u in units if (m := _BIN_RE.fullmatch(str(u)))), None)
    common_name = str(_first(native.get("common_name")) or "")
    patronymic = str(_first(native.get("given_name")) or "")
    full_name = " ".join(part for part in (common_name, patronymic) if part)
    return Subject(
        iin=match.group(1) if match else None,
        bin=bin_,
        full_name=full_name,
        common_name=common_name,
        organization=_first(native.get("organization_name")),
    )


def check_validity(cert: x509.Certificate, at: datetime) -> None:
    if at < cert.not_valid_before:
        raise SignatureRejected(Reason.NOT_YET_VALID, f"valid from {cert.not_valid_before}")
    if at > cert.not_valid_after:
        raise SignatureRejected(Reason.EXPIRED, f"expired at {cert.not_valid_after}")


def extended_key_usages(cert: x509.Certificate) -> set[str]:
    value = cert.extended_key_usage_value
    return {purpose.dotted for purpose in value} if value is not None else set()


def check_usage(cert: x509.Certificate, purpose: str, key_users: frozenset[str]) -> None:
    """`sign`: the SIGNATURE key (digitalSignature + nonRepudiation); `auth`: the
    AUTHENTICATION key (digitalSignature + EKU clientAuth). Then the key user: one of
    `key_users` (by default the individual, 1.2.398.3.3.4.1.1) must be in the EKU."""
    usage = set(cert.key_usage_value.native) if cert.key_usage_value is not None else set()
    ekus = extended_key_usages(cert)
    if purpose == "sign":
        if not oids.SIGN_KEY_USAGE <= usage:
            raise SignatureRejected(Reason.WRONG_KEY_USAGE, f"key usage {sorted(usage)}")
    elif purpose == "auth":
        if not oids.AUTH_KEY_USAGE <= usage or oids.CLIENT_AUTH not in ekus:
            raise SignatureRejected(Reason.WRONG_KEY_USAGE, f"not an authentication key: {ekus}")
    else:
        raise ValueError(f"purpose must be 'sign' or 'auth', not {purpose!r}")
    if not ekus & key_users:
        raise SignatureRejected(Reason.WRONG_POLICY, f"key user {sorted(ekus)}")


def check_iin(subject: Subject, expected_iin: str | None) -> str:
    if subject.iin is None:
        raise SignatureRejected(Reason.WRONG_POLICY, "no IIN in the certificate's SERIALNUMBER")
    if expected_iin is not None and subject.iin != expected_iin:
        raise SignatureRejected(Reason.IIN_MISMATCH, "the certificate is another person's")
    return subject.iin
