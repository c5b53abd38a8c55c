#!/usr/bin/env python3
"""The demo's ЭЦП trust store: a DEMO root and intermediate CA shaped like NCA's (RSA).

    python scripts/make-demo-ca.py                 # once: writes the CA (see below)
    python scripts/make-demo-ca.py --citizen 900101300017 [--auth]
                                                   # a demo citizen's key as a .p12 for NCALayer

Writes the PUBLIC certificates to demo/ecp-trust/ (committed: `make run` points
PORTAL_ECP_TRUST_DIR there) and the PRIVATE keys to instance/demo-ca/ (git-ignored, never
committed). A citizen's key goes to instance/demo-ca/<IIN>-<sign|auth>.p12 with the password
"demo": choose it in NCALayer as a file key to try signing with the demo portal. Nothing here is
trusted anywhere but the demo; production's trust store holds NCA's published certificates
(portal/ecp/README.md). The tests make their own CA (tests/support_ecp/pki.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = ROOT / "demo" / "ecp-trust"
PRIVATE = ROOT / "instance" / "demo-ca"
INDIVIDUAL = "1.2.398.3.3.4.1.1"  # portal/ecp/oids.py
YEARS = 10


def _name(cn: str, **extra: str) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if "surname" in extra:
        attrs.append(x509.NameAttribute(NameOID.SURNAME, extra["surname"]))
    if "serial" in extra:
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, extra["serial"]))
    attrs.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"))
    return x509.Name(attrs)


def _ca(subject, issuer, key, signing_key, path_length, now) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(issuer).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                       critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .sign(signing_key, hashes.SHA256())
    )


def _pem_key(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def make_ca(force: bool) -> None:
    if (PUBLIC / "root.pem").exists() and not force:
        sys.exit(f"{PUBLIC} already holds a demo CA (use --force to replace it)")
    now = dt.datetime.now(dt.UTC)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    inter_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = _name("MEKENJAI DEMO ROOT CA (RSA) — NOT NCA")
    inter_name = _name("MEKENJAI DEMO ҰЛТТЫҚ КО (RSA) — NOT NCA")
    root = _ca(root_name, root_name, root_key, root_key, 1, now)
    inter = _ca(inter_name, root_name, inter_key, root_key, 0, now)
    PUBLIC.mkdir(parents=True, exist_ok=True)
    PRIVATE.mkdir(parents=True, exist_ok=True)
    (PUBLIC / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    (PUBLIC / "intermediate.pem").write_bytes(inter.public_bytes(serialization.Encoding.PEM))
    for name, key in (("root.key", root_key), ("intermediate.key", inter_key)):
        path = PRIVATE / name
        path.write_bytes(_pem_key(key))
        path.chmod(0o600)
    print(f"public certificates: {PUBLIC}\nprivate keys (never commit): {PRIVATE}")  # noqa: T201 (a command-line tool)


def make_citizen(iin: str, auth: bool) -> None:
    key_path = PRIVATE / "intermediate.key"
    if not key_path.exists():
        sys.exit(f"{key_path} is missing: the demo CA was made on another machine. "
                 "Run this script with --force to make a new one (and commit demo/ecp-trust/).")
    inter_key = serialization.load_pem_private_key(key_path.read_bytes(), None)
    inter = x509.load_pem_x509_certificate((PUBLIC / "intermediate.pem").read_bytes())
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = dt.datetime.now(dt.UTC)
    eku = ExtendedKeyUsageOID.CLIENT_AUTH if auth else ExtendedKeyUsageOID.EMAIL_PROTECTION
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("ДЕМО АЗАМАТ", surname="ДЕМО", serial=f"IIN{iin}"))
        .issuer_name(inter.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.KeyUsage(True, not auth, auth, False, False, False, False, False,
                                     False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([eku, x509.ObjectIdentifier(INDIVIDUAL)]),
                       critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            inter_key.public_key()), critical=False)
        .sign(inter_key, hashes.SHA256())
    )
    out = PRIVATE / f"{iin}-{'auth' if auth else 'sign'}.p12"
    out.write_bytes(pkcs12.serialize_key_and_certificates(
        iin.encode(), key, cert, [inter],
        serialization.BestAvailableEncryption(b"demo")))
    out.chmod(0o600)
    print(f"{out} (password: demo)")  # noqa: T201 (a command-line tool)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--force", action="store_true", help="replace the existing demo CA")
    parser.add_argument("--citizen", metavar="IIN", help="issue a demo citizen's key (.p12)")
    parser.add_argument("--auth", action="store_true", help="the AUTHENTICATION key (sign-in)")
    args = parser.parse_args()
    if args.citizen:
        if not (len(args.citizen) == 12 and args.citizen.isdigit()):
            sys.exit("an IIN is 12 digits")
        make_citizen(args.citizen, args.auth)
    else:
        make_ca(args.force)


if __name__ == "__main__":
    main()
