"""The pinned trust store (NCA roots and intermediates) and path validation.

Only the store's certificates may form the chain: intermediates carried inside a CMS are ignored,
so a signature chains to a pinned root through a pinned intermediate or not at all.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import pem, x509
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator import errors as cv_errors

from .errors import Reason, SignatureRejected

CERT_SUFFIXES = {".pem", ".crt", ".cer", ".der"}


def load_certificates(data: bytes) -> list[x509.Certificate]:
    if pem.detect(data):
        return [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
    return [x509.Certificate.load(data)]


@dataclass(frozen=True)
class TrustStore:
    roots: tuple[x509.Certificate, ...]
    intermediates: tuple[x509.Certificate, ...]

    @classmethod
    def from_directory(cls, path: str | Path) -> TrustStore:
        """Every .pem/.crt/.cer/.der file in `path`; self-issued ones are roots."""
        folder = Path(path)
        if not folder.is_dir():
            raise FileNotFoundError(f"ЭЦП trust store {folder} is not a directory")
        certs = [
            cert
            for file in sorted(folder.iterdir())
            if file.suffix.lower() in CERT_SUFFIXES
            for cert in load_certificates(file.read_bytes())
        ]
        return cls.from_certificates(certs)

    @classmethod
    def from_certificates(cls, certs) -> TrustStore:
        roots = tuple(c for c in certs if c.self_issued)
        if not roots:
            raise ValueError("the ЭЦП trust store holds no root certificate")
        return cls(roots=roots, intermediates=tuple(c for c in certs if not c.self_issued))

    def knows_issuer_of(self, cert: x509.Certificate) -> bool:
        """By name only: for GOST certificates, whose signatures Python cannot check."""
        return any(ca.subject == cert.issuer for ca in (*self.intermediates, *self.roots))

    def validate_path(self, leaf: x509.Certificate, at: datetime) -> list[x509.Certificate]:
        """The validated path root..leaf at the moment `at`, or SignatureRejected."""
        context = ValidationContext(
            trust_roots=list(self.roots),
            other_certs=list(self.intermediates),
            moment=at,
            allow_fetching=False,
            revocation_mode="soft-fail",  # revocation is the OcspChecker's job
        )
        validator = CertificateValidator(
            leaf, intermediate_certs=list(self.intermediates), validation_context=context
        )
        try:
            path = _run(validator.async_validate_path())
        except cv_errors.ExpiredError as exc:
            raise SignatureRejected(Reason.EXPIRED, str(exc)) from exc
        except cv_errors.NotYetValidError as exc:
            raise SignatureRejected(Reason.NOT_YET_VALID, str(exc)) from exc
        except cv_errors.RevokedError as exc:
            raise SignatureRejected(Reason.REVOKED, str(exc)) from exc
        except (cv_errors.PathBuildingError, cv_errors.PathValidationError,
                cv_errors.InvalidCertificateError) as exc:
            raise SignatureRejected(Reason.UNTRUSTED_CHAIN, str(exc)) from exc
        return list(path)


def _run(coro):
    """Run one coroutine to the end for a synchronous caller, even one whose thread already
    runs an event loop (then on a short-lived worker thread)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
