"""Parse a CMS SignedData (as NCALayer makes it) into the parts the verifiers need."""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone

from asn1crypto import cms, x509

from .errors import Reason, SignatureRejected

MAX_CMS_BYTES = 256 * 1024  # a signed page of text plus a chain is a few KB

HASHES = {"sha256": hashlib.sha256, "sha384": hashlib.sha384, "sha512": hashlib.sha512}


@dataclass(frozen=True)
class ParsedCms:
    der: bytes
    content: bytes | None  # None when detached
    signer_cert: x509.Certificate
    certificates: tuple[x509.Certificate, ...]
    signed_attrs_der: bytes
    digest_algorithm: str  # asn1crypto name ("sha256") or dotted OID when unknown
    digest_oid: str
    signature_algorithm: str  # asn1crypto name ("sha256_rsa", "rsassa_pss") or dotted
    signature_oid: str
    signature_params: object  # asn1crypto parameters (RSASSA-PSS-params) or None
    signature: bytes
    message_digest: bytes | None
    signing_time: datetime | None
    content_type_attr: str | None
    encap_content_type: str


def decode_b64(cms_b64: str) -> bytes:
    if not isinstance(cms_b64, str):
        raise SignatureRejected(Reason.MALFORMED, "not a string")
    compact = "".join(cms_b64.split())
    if not compact or len(compact) > MAX_CMS_BYTES * 4 // 3 + 4:
        raise SignatureRejected(Reason.MALFORMED, "empty or too large")
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SignatureRejected(Reason.MALFORMED, "not base64") from exc


def _attrs(signer_info: cms.SignerInfo) -> dict[str, list]:
    out: dict[str, list] = {}
    for attr in signer_info["signed_attrs"]:
        out.setdefault(attr["type"].dotted, []).extend(attr["values"])
    return out


def _single(attrs: dict[str, list], oid: str):
    values = attrs.get(oid)
    if values is None:
        return None
    if len(values) != 1:
        raise SignatureRejected(Reason.MALFORMED, f"attribute {oid} must have one value")
    return values[0]


def _find_signer_cert(sid: cms.SignerIdentifier, certs: list[x509.Certificate]) -> x509.Certificate:
    for cert in certs:
        if sid.name == "issuer_and_serial_number":
            if (
                cert.issuer == sid.chosen["issuer"]
                and cert.serial_number == sid.chosen["serial_number"].native
            ):
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    raise SignatureRejected(Reason.MALFORMED, "the signer's certificate is not in the CMS")


def _parse(der: bytes) -> ParsedCms:
    info = cms.ContentInfo.load(der, strict=True)
    if info["content_type"].native != "signed_data":
        raise SignatureRejected(Reason.MALFORMED, "not SignedData")
    signed = info["content"]
    signer_infos = list(signed["signer_infos"])
    if len(signer_infos) != 1:
        raise SignatureRejected(Reason.MALFORMED, "exactly one signer expected")
    si = signer_infos[0]
    if not si["signed_attrs"]:
        raise SignatureRejected(Reason.MALFORMED, "no signed attributes (not CAdES)")
    certs = [c.chosen for c in (signed["certificates"] or []) if c.name == "certificate"]
    signer_cert = _find_signer_cert(si["sid"], certs)
    encap = signed["encap_content_info"]
    content = encap["content"].native if encap["content"] else None
    if content is not None and not isinstance(content, bytes):
        raise SignatureRejected(Reason.MALFORMED, "encapsulated content is not data")
    attrs = _attrs(si)
    digest = _single(attrs, "1.2.840.113549.1.9.4")
    ctype = _single(attrs, "1.2.840.113549.1.9.3")
    stime = _single(attrs, "1.2.840.113549.1.9.5")
    signing_time = stime.native if stime is not None else None
    if signing_time is not None and signing_time.tzinfo is None:
        signing_time = signing_time.replace(tzinfo=timezone.utc)
    sig_alg = si["signature_algorithm"]
    dig_alg = si["digest_algorithm"]["algorithm"]
    parsed = ParsedCms(
        der=der,
        content=content,
        signer_cert=signer_cert,
        certificates=tuple(certs),
        signed_attrs_der=si["signed_attrs"].untag().dump(),
        digest_algorithm=dig_alg.native,
        digest_oid=dig_alg.dotted,
        signature_algorithm=sig_alg["algorithm"].native,
        signature_oid=sig_alg["algorithm"].dotted,
        signature_params=sig_alg["parameters"],
        signature=si["signature"].native,
        message_digest=digest.native if digest is not None else None,
        signing_time=signing_time,
        content_type_attr=ctype.dotted if ctype is not None else None,
        encap_content_type=encap["content_type"].dotted,
    )
    # Touch the certificate fields later checks read, so damage shows up here as "malformed".
    _touched = (signer_cert.subject.native, signer_cert.not_valid_after,
                signer_cert.public_key.algorithm)
    return parsed


def parse_cms(cms_b64: str) -> ParsedCms:
    """Decode and parse; any damage, however deep, is `SignatureRejected(MALFORMED)`."""
    der = decode_b64(cms_b64)
    if len(der) > MAX_CMS_BYTES:
        raise SignatureRejected(Reason.MALFORMED, "too large")
    try:
        return _parse(der)
    except SignatureRejected:
        raise
    except Exception as exc:  # asn1crypto raises ValueError, TypeError, KeyError, ... lazily
        raise SignatureRejected(Reason.MALFORMED, f"{type(exc).__name__}: {exc}") from exc


def check_content(parsed: ParsedCms, expected: bytes) -> bytes:
    """The signed bytes: the encapsulated content, which must be exactly `expected`; or, for a
    detached signature, `expected` itself (the digest check then binds it)."""
    if parsed.content_type_attr != parsed.encap_content_type:
        raise SignatureRejected(Reason.MALFORMED, "content-type attribute missing or different")
    if parsed.content is None:
        return expected
    if parsed.content != expected:
        raise SignatureRejected(Reason.CONTENT_MISMATCH, "the signed text is not the expected one")
    return parsed.content


def check_digest(parsed: ParsedCms, content: bytes) -> None:
    hasher = HASHES.get(parsed.digest_algorithm)
    if hasher is None:
        raise SignatureRejected(Reason.BAD_SIGNATURE, f"digest {parsed.digest_oid} not accepted")
    if parsed.message_digest is None:
        raise SignatureRejected(Reason.MALFORMED, "no messageDigest attribute")
    if hasher(content).digest() != parsed.message_digest:
        raise SignatureRejected(Reason.DIGEST_MISMATCH, "messageDigest differs from the content")
