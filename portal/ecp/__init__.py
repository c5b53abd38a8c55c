"""ЭЦП (NCALayer CMS) verification, the canonical signed text and sign-in nonces.

No Flask, no database, no blueprint imports: the signing core and the web layer wire it.
Public API:

    verifier = build_verifier(trust_dir, ocsp="off"|"on", ocsp_url=None, ncanode_url=None)
    sig = verifier.verify(cms_b64, expected_content, expected_iin, "sign"|"auth", at)
        -> VerifiedSignature, or raise SignatureRejected (.reason: Reason)
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from .canonical import canonical_bytes, canonical_text, sign_in_text
from .errors import Reason, SignatureRejected
from .gost import GostVerdict, GostVerifier, NcaNodeVerifier
from .nonce import NONCE_LIFETIME, expires_at, is_expired, is_well_formed, new_nonce
from .ocsp import HttpOcspChecker, NoRevocationCheck, OcspChecker, RevocationStatus
from .trust import TrustStore
from .verifier import (
    SIGNER_EMPLOYEE,
    SIGNER_INDIVIDUAL,
    EcpVerifier,
    VerifiedSignature,
)

__all__ = [
    "NONCE_LIFETIME", "SIGNER_EMPLOYEE", "SIGNER_INDIVIDUAL", "EcpVerifier", "GostVerdict",
    "GostVerifier", "HttpOcspChecker", "NcaNodeVerifier", "NoRevocationCheck", "OcspChecker",
    "Reason", "RevocationStatus", "SignatureRejected", "TrustStore", "VerifiedSignature",
    "build_verifier", "canonical_bytes", "canonical_text", "expires_at", "is_expired",
    "is_well_formed", "new_nonce", "sign_in_text",
]


def build_verifier(trust_dir: str | Path, *, ocsp: str = "off", ocsp_url: str | None = None,
                   ocsp_timeout: float = 5.0, ocsp_unknown: str = "reject",
                   ocsp_unavailable: str = "reject",
                   ncanode_url: str | None = None, ncanode_timeout: float = 10.0,
                   max_age: timedelta = timedelta(minutes=30)) -> EcpVerifier:
    """From settings: PORTAL_ECP_TRUST_DIR, PORTAL_ECP_OCSP (off|on), PORTAL_ECP_OCSP_URL,
    PORTAL_ECP_OCSP_UNKNOWN and PORTAL_ECP_OCSP_UNAVAILABLE (reject|accept),
    PORTAL_NCANODE_URL (empty: GOST signatures are refused with Reason.GOST_UNSUPPORTED)."""
    if ocsp not in ("off", "on"):
        raise ValueError("ocsp must be 'off' or 'on'")
    checker: OcspChecker = (
        HttpOcspChecker(ocsp_url, timeout=ocsp_timeout, on_unknown=ocsp_unknown,
                        on_unavailable=ocsp_unavailable)
        if ocsp == "on" else NoRevocationCheck()
    )
    gost = NcaNodeVerifier(ncanode_url, timeout=ncanode_timeout,
                           check_ocsp=ocsp == "on") if ncanode_url else None
    return EcpVerifier(trust_dir, ocsp=checker, gost=gost, max_age=max_age)
