"""`EcpVerifier.verify`: the one verification interface for ЭЦП (CMS from NCALayer).

Checks, in order (the first failure is the reason): the CMS parses; its content is exactly the
expected bytes (attached) or the expected bytes are used (detached); GOST goes to the
configured GOST verifier or is refused; the messageDigest; the RSA signature (PKCS#1 v1.5 or
PSS) over the DER of the signed attributes; the signing time is near `at`; the leaf's validity
window at the signing time; the chain through pinned intermediates to a pinned root; key usage
and key user; the IIN; revocation (OCSP).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from asn1crypto import pem
from asn1crypto import x509 as a_x509
from cryptography import x509 as c_x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from . import certificates, oids
from .cms import ParsedCms, check_content, check_digest, parse_cms
from .errors import Reason, SignatureRejected
from .gost import GostVerifier
from .ocsp import NoRevocationCheck, OcspChecker, RevocationStatus
from .trust import TrustStore

log = logging.getLogger(__name__)

Purpose = Literal["sign", "auth"]

HASH_CLASSES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
PKCS1_ALGORITHMS = {"rsassa_pkcs1v15", "sha256_rsa", "sha384_rsa", "sha512_rsa"}
# Signature algorithm name (asn1crypto) -> the hash it implies, which must match the digest.
IMPLIED_HASH = {"sha256_rsa": "sha256", "sha384_rsa": "sha384", "sha512_rsa": "sha512"}

SIGNER_INDIVIDUAL = frozenset({oids.INDIVIDUAL})
SIGNER_EMPLOYEE = frozenset({oids.ORGANIZATION, oids.ORGANIZATION_HEAD,
                             oids.ORGANIZATION_CAN_SIGN, oids.ORGANIZATION_EMPLOYEE})


@dataclass(frozen=True)
class VerifiedSignature:
    iin: str
    full_name: str
    bin: str | None  # legal entity of an employee's certificate
    organization: str | None
    certificate_serial: str  # hex, lower case
    issuer: str  # human-readable issuer DN
    subject: str  # human-readable subject DN
    not_before: datetime
    not_after: datetime
    signing_time: datetime
    signing_time_from_attribute: bool  # False: no signing-time attribute, `at` was used
    certificate_der: bytes = field(repr=False)
    algorithm: str  # "sha256_rsa", "rsassa_pss/sha256", or the GOST OID
    verified_by: str  # "builtin" (RSA in Python) or "ncanode"
    revocation: RevocationStatus
    purpose: str
    content: bytes = field(repr=False)  # exactly what was signed

    @property
    def certificate_pem(self) -> str:
        return pem.armor("CERTIFICATE", self.certificate_der).decode("ascii")


class EcpVerifier:
    """Verifies NCALayer CMS signatures against a pinned trust store.

    trust_store: a TrustStore or a directory of PEM/DER certificates (roots are self-issued).
    ocsp: NoRevocationCheck() (demo) or HttpOcspChecker(...) (production).
    gost: a GostVerifier (NcaNodeVerifier(url)) or None: GOST is then refused.
    max_age / max_future: how far the signing-time attribute may be before / after `at`.
    """

    def __init__(self, trust_store: TrustStore | str | Path, *,
                 ocsp: OcspChecker | None = None, gost: GostVerifier | None = None,
                 max_age: timedelta = timedelta(minutes=30),
                 max_future: timedelta = timedelta(minutes=5)) -> None:
        if not isinstance(trust_store, TrustStore):
            trust_store = TrustStore.from_directory(trust_store)
        self.trust = trust_store
        self.ocsp = ocsp if ocsp is not None else NoRevocationCheck()
        self.gost = gost
        self.max_age, self.max_future = max_age, max_future

    def verify(self, cms_b64: str, expected_content: bytes, expected_iin: str | None,
               purpose: Purpose, at: datetime, *,
               key_users: frozenset[str] = SIGNER_INDIVIDUAL) -> VerifiedSignature:
        """Return who signed, or raise SignatureRejected. `expected_iin=None` only for sign-in
        (purpose "auth"): the IIN then comes from the verified certificate. `at` is aware."""
        if purpose not in ("sign", "auth"):
            raise ValueError(f"purpose must be 'sign' or 'auth', not {purpose!r}")
        if expected_iin is None and purpose != "auth":
            raise ValueError("an expected IIN is required to verify a signature on a document")
        if at.tzinfo is None:
            raise ValueError("`at` must be timezone-aware")
        if not isinstance(expected_content, bytes | bytearray):
            raise TypeError("expected_content must be the bytes that were signed (UTF-8)")
        try:
            return self._verify(cms_b64, bytes(expected_content), expected_iin, purpose, at,
                                key_users)
        except SignatureRejected as exc:
            log.info("ЭЦП signature rejected: %s", exc)
            raise
        except Exception as exc:  # fail closed: a surprise in a library is never a 500
            log.exception("ЭЦП verification failed unexpectedly")
            raise SignatureRejected(Reason.MALFORMED, f"{type(exc).__name__}: {exc}") from exc

    def _verify(self, cms_b64, expected, expected_iin, purpose, at, key_users):
        parsed = parse_cms(cms_b64)
        content = check_content(parsed, expected)
        cert = parsed.signer_cert
        gost = oids.is_gost(parsed.signature_oid) or oids.is_gost(parsed.digest_oid) or \
            oids.is_gost(cert.public_key["algorithm"]["algorithm"].dotted)
        if gost:
            if self.gost is None:
                raise SignatureRejected(Reason.GOST_UNSUPPORTED, parsed.signature_oid)
            algorithm, verified_by = parsed.signature_oid, "ncanode"
        else:
            check_digest(parsed, content)
            algorithm = check_rsa_signature(parsed)
            verified_by = "builtin"
        signing_time = self._signing_time(parsed, at)
        certificates.check_validity(cert, signing_time)
        if gost:
            if not self.trust.knows_issuer_of(cert):
                raise SignatureRejected(Reason.UNTRUSTED_CHAIN, "issuer not in the trust store")
            certificates.check_usage(cert, purpose, key_users)
            subject = certificates.subject_of(cert)
            iin = certificates.check_iin(subject, expected_iin)
            self.gost.verify(parsed.der, None if parsed.content is not None else content)
            revocation = RevocationStatus.GOOD if getattr(self.gost, "check_ocsp", False) \
                else RevocationStatus.NOT_CHECKED
        else:
            path = self.trust.validate_path(cert, signing_time)
            certificates.check_usage(cert, purpose, key_users)
            subject = certificates.subject_of(cert)
            iin = certificates.check_iin(subject, expected_iin)
            revocation = self._revocation(cert, path, at)
        return VerifiedSignature(
            iin=iin, full_name=subject.full_name, bin=subject.bin,
            organization=subject.organization,
            certificate_serial=format(cert.serial_number, "x"),
            issuer=cert.issuer.human_friendly, subject=cert.subject.human_friendly,
            not_before=cert.not_valid_before, not_after=cert.not_valid_after,
            signing_time=signing_time,
            signing_time_from_attribute=parsed.signing_time is not None,
            certificate_der=cert.dump(), algorithm=algorithm, verified_by=verified_by,
            revocation=revocation, purpose=purpose, content=content,
        )

    def _signing_time(self, parsed: ParsedCms, at: datetime) -> datetime:
        """The signing-time attribute if present (it must be close to `at`: a signer cannot
        back-date into a certificate's validity), else `at`."""
        claimed = parsed.signing_time
        if claimed is None:
            return at
        if claimed > at + self.max_future or claimed < at - self.max_age:
            raise SignatureRejected(Reason.BAD_SIGNING_TIME, f"signed at {claimed}, now {at}")
        return claimed

    def _revocation(self, cert: a_x509.Certificate, path, at: datetime) -> RevocationStatus:
        issuer = path[-2] if len(path) >= 2 else path[-1]
        return self.ocsp.check(c_x509.load_der_x509_certificate(cert.dump()),
                               c_x509.load_der_x509_certificate(issuer.dump()), at)


def check_rsa_signature(parsed: ParsedCms) -> str:
    """RSA PKCS#1 v1.5 or PSS over the DER of the signed attributes; returns the algorithm."""
    try:
        key = c_x509.load_der_x509_certificate(parsed.signer_cert.dump()).public_key()
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise SignatureRejected(Reason.MALFORMED, "unreadable signer certificate") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise SignatureRejected(Reason.BAD_SIGNATURE, "only RSA keys are verified here")
    name = parsed.signature_algorithm
    hash_name = parsed.digest_algorithm
    if name in PKCS1_ALGORITHMS:
        if IMPLIED_HASH.get(name, hash_name) != hash_name or hash_name not in HASH_CLASSES:
            raise SignatureRejected(Reason.BAD_SIGNATURE, f"{name} with {hash_name}")
        pad, algorithm = padding.PKCS1v15(), f"{name}/{hash_name}"
    elif name == "rsassa_pss":
        params = parsed.signature_params
        hash_name = params["hash_algorithm"]["algorithm"].native
        mgf_hash = params["mask_gen_algorithm"]["parameters"]["algorithm"].native
        if hash_name not in HASH_CLASSES or mgf_hash != hash_name \
                or hash_name != parsed.digest_algorithm:
            raise SignatureRejected(Reason.BAD_SIGNATURE, f"PSS with {hash_name}/{mgf_hash}")
        pad = padding.PSS(mgf=padding.MGF1(HASH_CLASSES[hash_name]()),
                          salt_length=params["salt_length"].native)
        algorithm = f"rsassa_pss/{hash_name}"
    else:
        raise SignatureRejected(Reason.BAD_SIGNATURE, f"signature algorithm {name}")
    try:
        key.verify(parsed.signature, parsed.signed_attrs_der, pad, HASH_CLASSES[hash_name]())
    except InvalidSignature as exc:
        raise SignatureRejected(Reason.BAD_SIGNATURE, "signature does not verify") from exc
    return algorithm
