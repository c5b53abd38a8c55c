"""Revocation by OCSP, behind one small interface.

`NoRevocationCheck` (demo) says plainly that nothing was checked; `HttpOcspChecker`
(production) asks the responder named in the certificate's AIA, or a configured one, with
`cryptography.x509.ocsp`, and checks the answer's signature, freshness, nonce and serial.
"""

from __future__ import annotations

import logging
import os
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID

from .errors import Reason, SignatureRejected

log = logging.getLogger(__name__)


class RevocationStatus(StrEnum):
    GOOD = "good"
    NOT_CHECKED = "not_checked"  # revocation checking is off (demo)
    UNKNOWN_ACCEPTED = "unknown_accepted"  # responder said unknown/unreachable, policy accepts


class OcspChecker(Protocol):
    def check(self, cert: x509.Certificate, issuer: x509.Certificate,
              at: datetime) -> RevocationStatus:
        """GOOD / NOT_CHECKED / UNKNOWN_ACCEPTED, or raise SignatureRejected
        (REVOKED, REVOCATION_UNKNOWN)."""


class NoRevocationCheck:
    """Demo: revocation is not checked, and the result says so."""

    enabled = False

    def check(self, cert, issuer, at) -> RevocationStatus:
        return RevocationStatus.NOT_CHECKED


def responder_url(cert: x509.Certificate) -> str | None:
    try:
        aia = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    except x509.ExtensionNotFound:
        return None
    for desc in aia:
        if desc.access_method == AuthorityInformationAccessOID.OCSP:
            return desc.access_location.value
    return None


def _verify(public_key, signature: bytes, data: bytes, algorithm) -> None:
    if isinstance(public_key, rsa.RSAPublicKey):
        public_key.verify(signature, data, padding.PKCS1v15(), algorithm)
    elif isinstance(public_key, ec.EllipticCurvePublicKey):
        public_key.verify(signature, data, ec.ECDSA(algorithm))
    else:
        raise InvalidSignature("unsupported responder key")


class HttpOcspChecker:
    """OCSP over HTTP POST. `on_unknown` / `on_unavailable`: "reject" (default) or "accept"
    for a responder that answers "unknown" / cannot be reached or answers nonsense."""

    enabled = True

    def __init__(self, url: str | None = None, *, timeout: float = 5.0,
                 on_unknown: str = "reject", on_unavailable: str = "reject",
                 max_age: timedelta = timedelta(days=2),
                 clock_skew: timedelta = timedelta(minutes=5)) -> None:
        for name, value in (("on_unknown", on_unknown), ("on_unavailable", on_unavailable)):
            if value not in ("reject", "accept"):
                raise ValueError(f"{name} must be 'reject' or 'accept'")
        self.url, self.timeout = url, timeout
        self.on_unknown, self.on_unavailable = on_unknown, on_unavailable
        self.max_age, self.clock_skew = max_age, clock_skew

    def _unknown(self, setting: str, detail: str) -> RevocationStatus:
        if setting == "accept":
            log.warning("OCSP: %s; accepted by configuration", detail)
            return RevocationStatus.UNKNOWN_ACCEPTED
        raise SignatureRejected(Reason.REVOCATION_UNKNOWN, detail)

    def check(self, cert, issuer, at) -> RevocationStatus:
        url = self.url or responder_url(cert)
        if not url:
            return self._unknown(self.on_unavailable, "no OCSP responder for this certificate")
        nonce = os.urandom(16)
        request = (
            ocsp.OCSPRequestBuilder()
            .add_certificate(cert, issuer, hashes.SHA1())  # SHA-1 CertID: what responders expect
            .add_extension(x509.OCSPNonce(nonce), critical=False)
            .build()
        )
        try:
            body = self._post(url, request.public_bytes(serialization.Encoding.DER))
            response = ocsp.load_der_ocsp_response(body)
        except (OSError, ValueError) as exc:  # URLError/timeouts are OSError
            return self._unknown(self.on_unavailable, f"responder unreachable: {exc}")
        single, problem = self._judge(response, request, issuer, nonce, at)
        if problem:
            return self._unknown(self.on_unavailable, problem)
        if single.certificate_status == ocsp.OCSPCertStatus.REVOKED:
            raise SignatureRejected(Reason.REVOKED, f"revoked at {single.revocation_time_utc}")
        if single.certificate_status == ocsp.OCSPCertStatus.UNKNOWN:
            return self._unknown(self.on_unknown, "the responder does not know the certificate")
        return RevocationStatus.GOOD

    def _post(self, url: str, der: bytes) -> bytes:
        req = urllib.request.Request(url, data=der, method="POST",
                                     headers={"Content-Type": "application/ocsp-request"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310
                return resp.read(1024 * 1024)
        except urllib.error.HTTPError as exc:
            exc.close()  # it holds the connection open
            raise

    def _judge(self, response, request, issuer, nonce: bytes, at: datetime):
        """(the single response about our certificate, None) or (None, what is wrong)."""
        if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
            return None, f"responder status {response.response_status.name}"
        single = next((r for r in response.responses
                       if r.serial_number == request.serial_number
                       and r.issuer_key_hash == request.issuer_key_hash
                       and r.issuer_name_hash == request.issuer_name_hash), None)
        if single is None:
            return None, "no answer about this certificate"
        signer = self._responder_cert(response, issuer)
        if signer is None:
            return None, "responder not authorised by the issuer"
        try:
            _verify(signer.public_key(), response.signature, response.tbs_response_bytes,
                    response.signature_hash_algorithm)
        except (InvalidSignature, TypeError, ValueError):
            return None, "bad responder signature"
        try:
            if response.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce != nonce:
                return None, "nonce mismatch"
        except x509.ExtensionNotFound:
            pass  # nonces are optional for responders (RFC 8954)
        if single.this_update_utc > at + self.clock_skew:
            return None, "answer from the future"
        latest = single.next_update_utc or single.this_update_utc + self.max_age
        if latest < at - self.clock_skew:
            return None, "stale answer"
        return single, None

    @staticmethod
    def _responder_cert(response, issuer: x509.Certificate) -> x509.Certificate | None:
        """The issuer itself, or a delegated responder it issued with EKU OCSPSigning."""
        if _responder_matches(response, issuer):
            return issuer
        for cand in response.certificates:
            if not _responder_matches(response, cand) or cand.issuer != issuer.subject:
                continue
            try:
                cand.verify_directly_issued_by(issuer)
                eku = cand.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
            except (InvalidSignature, ValueError, TypeError, x509.ExtensionNotFound):
                continue
            if ExtendedKeyUsageOID.OCSP_SIGNING in eku:
                return cand
        return None


def _responder_matches(response, cert: x509.Certificate) -> bool:
    if response.responder_name is not None:
        return response.responder_name == cert.subject
    # KeyHash (RFC 6960): SHA-1 of the subjectPublicKey BIT STRING, as in a method-1 SKI.
    return response.responder_key_hash == \
        x509.SubjectKeyIdentifier.from_public_key(cert.public_key()).digest
