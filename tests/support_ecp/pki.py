"""A test NCA: root + intermediate (RSA) and citizens' certificates shaped like NCA's
(IIN in SERIALNUMBER, CN "SURNAME NAME", G patronymic, EKU with the individual's OID, AIA OCSP)."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from asn1crypto import algos, cms, core
from asn1crypto import x509 as a_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

from portal.ecp import oids

GOST_SIGNATURE_OID = "1.2.398.3.10.1.1.1.2"  # marks a stand-in "GOST" signature
GOST_DIGEST_OID = "1.2.398.3.10.1.3.1"


@lru_cache(maxsize=16)
def rsa_key(index: int) -> rsa.RSAPrivateKey:
    """A few 2048-bit keys, made once per test run."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Issued:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _name(cn: str, **extra) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if "surname" in extra:
        attrs.append(x509.NameAttribute(NameOID.SURNAME, extra["surname"]))
    if "serial" in extra:
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, extra["serial"]))
    attrs.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"))
    if "given" in extra:
        attrs.append(x509.NameAttribute(NameOID.GIVEN_NAME, extra["given"]))
    return x509.Name(attrs)


@dataclass
class FakeNca:
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    ocsp_url: str = "http://127.0.0.1:9/ocsp"
    name: str = "TEST"
    key_offset: int = 0
    issued: dict[int, Issued] = field(default_factory=dict)

    def __post_init__(self) -> None:
        root_key = rsa_key(self.key_offset + 0)
        root_name = _name(f"{self.name} НЕГІЗГІ КО (RSA)")
        self.root = Issued(root_key, self._ca(root_name, root_name, root_key.public_key(),
                                              root_key, path_length=1))
        inter_key = rsa_key(self.key_offset + 1)
        inter_name = _name(f"{self.name} ҰЛТТЫҚ КО (RSA)")
        self.intermediate = Issued(inter_key, self._ca(inter_name, root_name,
                                                       inter_key.public_key(), root_key,
                                                       path_length=0))

    def _ca(self, subject, issuer, public_key, signing_key, path_length) -> x509.Certificate:
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject).issuer_name(issuer).public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(self.now - timedelta(days=3650))
            .not_valid_after(self.now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                         False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        )
        return builder.sign(signing_key, hashes.SHA256())

    def citizen(self, iin: str = "900101300017", *, purpose: str = "sign",
                key_user: str | None = oids.INDIVIDUAL, valid_from: datetime | None = None,
                valid_to: datetime | None = None, key_index: int = 2,
                name: tuple[str, str, str] = ("ТЕСТОВ", "ТЕСТ", "ТЕСТОВИЧ"),
                issuer: Issued | None = None) -> Issued:
        """An NCA-like certificate. purpose "sign": digitalSignature+nonRepudiation, EKU
        emailProtection; "auth": digitalSignature+keyEncipherment, EKU clientAuth."""
        issuer = issuer or self.intermediate
        key = rsa_key(self.key_offset + key_index)
        surname, first, patronymic = name
        subject = _name(f"{surname} {first}", surname=surname, serial=f"IIN{iin}",
                        given=patronymic)
        sign = purpose == "sign"
        ekus = [ExtendedKeyUsageOID.EMAIL_PROTECTION if sign else ExtendedKeyUsageOID.CLIENT_AUTH]
        if key_user:
            ekus.append(x509.ObjectIdentifier(key_user))
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject).issuer_name(issuer.cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(valid_from or self.now - timedelta(days=30))
            .not_valid_after(valid_to or self.now + timedelta(days=335))
            .add_extension(x509.KeyUsage(True, sign, not sign, False, False, False, False, False,
                                         False), critical=True)
            .add_extension(x509.ExtendedKeyUsage(ekus), critical=False)
            .add_extension(x509.CertificatePolicies([x509.PolicyInformation(
                x509.ObjectIdentifier("1.2.398.3.3.2.4"), None)]), critical=False)
            .add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
                AuthorityInformationAccessOID.OCSP,
                x509.UniformResourceIdentifier(self.ocsp_url))]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                issuer.key.public_key()), critical=False)
        )
        issued = Issued(key, builder.sign(issuer.key, hashes.SHA256()))
        self.issued[issued.cert.serial_number] = issued
        return issued

    def write_trust_dir(self, path: Path, *, intermediate: bool = True) -> Path:
        path.mkdir(parents=True, exist_ok=True)
        (path / "root.pem").write_bytes(self.root.pem)
        if intermediate:
            (path / "intermediate.cer").write_bytes(self.intermediate.der)  # DER on purpose
        return path


def make_cms(content: bytes, signer: Issued, chain: tuple[Issued, ...] = (), *,
             attached: bool = True, signing_time: datetime | None = None,
             with_signing_time: bool = True, pss: bool = False, gost: bool = False,
             message_digest: bytes | None = None) -> str:
    """A CAdES-BES-like CMS as NCALayer makes it (signed attributes: contentType, signingTime,
    messageDigest), base64. `gost=True` labels it with Kazakh GOST OIDs (still RSA inside: the
    stand-in NCANode checks it)."""
    digest = message_digest if message_digest is not None else hashlib.sha256(content).digest()
    attrs = [
        {"type": "content_type", "values": ["data"]},
        {"type": "message_digest", "values": [digest]},
    ]
    if with_signing_time:
        when = signing_time or datetime.now(timezone.utc)
        attrs.insert(1, {"type": "signing_time", "values": [cms.Time({"utc_time": when})]})
    signed_attrs = cms.CMSAttributes(attrs)
    to_sign = signed_attrs.dump()
    if pss:
        sig = signer.key.sign(to_sign, padding.PSS(padding.MGF1(hashes.SHA256()), 32),
                              hashes.SHA256())
        sig_alg = {"algorithm": "rsassa_pss", "parameters": algos.RSASSAPSSParams({
            "hash_algorithm": {"algorithm": "sha256"},
            "mask_gen_algorithm": {"algorithm": "mgf1",
                                   "parameters": {"algorithm": "sha256"}},
            "salt_length": 32})}
    else:
        sig = signer.key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256())
        sig_alg = {"algorithm": GOST_SIGNATURE_OID if gost else "sha256_rsa"}
    cert = a_x509.Certificate.load(signer.der)
    signer_info = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": {
            "issuer": cert.issuer, "serial_number": cert.serial_number}}),
        "digest_algorithm": {"algorithm": GOST_DIGEST_OID if gost else "sha256"},
        "signed_attrs": signed_attrs,
        "signature_algorithm": sig_alg,
        "signature": sig,
    })
    certs = [cert, *(a_x509.Certificate.load(c.der) for c in chain)]
    signed_data = cms.SignedData({
        "version": "v1",
        "digest_algorithms": [{"algorithm": GOST_DIGEST_OID if gost else "sha256"}],
        "encap_content_info": {"content_type": "data",
                               "content": content if attached else None},
        "certificates": certs,
        "signer_infos": [signer_info],
    })
    info = cms.ContentInfo({"content_type": "signed_data", "content": signed_data})
    return base64.b64encode(info.dump()).decode("ascii")


def der_of(cms_b64: str) -> bytes:
    return base64.b64decode(cms_b64)


__all__ = ["Issued", "FakeNca", "core", "der_of", "make_cms"]
