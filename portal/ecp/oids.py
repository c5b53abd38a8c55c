"""Object identifiers the verifier relies on, each with where it comes from."""

from __future__ import annotations

# NCA of Kazakhstan "key user" OIDs, carried in extendedKeyUsage. Source: the NCA certificate
# profile as decoded by NCANode (malikzh/NCANode src/main/java/kz/ncanode/dto/certificate/
# CertificateKeyUser.java) and used by sigex-kz/ncalayer-js-client's signer presets
# (basicsSignerSignPerson, basicsSignerAuthPerson, ...); a real NCA test certificate carries
# 1.2.398.3.3.4.1.1 (STACK_NOTES §6).
INDIVIDUAL = "1.2.398.3.3.4.1.1"  # физическое лицо / жеке тұлға
ORGANIZATION = "1.2.398.3.3.4.1.2"  # employee of a legal entity (any role)
ORGANIZATION_HEAD = "1.2.398.3.3.4.1.2.1"
ORGANIZATION_CAN_SIGN = "1.2.398.3.3.4.1.2.2"
ORGANIZATION_EMPLOYEE = "1.2.398.3.3.4.1.2.5"

# RFC 5280 §4.2.1.12. NCA puts clientAuth on AUTHENTICATION keys and emailProtection on
# SIGNATURE keys (ncalayer-js-client presets basicsSignerAuth* / basicsSignerSign*).
CLIENT_AUTH = "1.3.6.1.5.5.7.3.2"
EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4"
OCSP_SIGNING = "1.3.6.1.5.5.7.3.9"

# Key usage of NCA keys (NCANode CertificateKeyUsage.fromKeyUsageBits): SIGN = digitalSignature +
# nonRepudiation; AUTH = digitalSignature + keyEncipherment.
SIGN_KEY_USAGE = frozenset({"digital_signature", "non_repudiation"})
AUTH_KEY_USAGE = frozenset({"digital_signature"})

# The certificate subject: SERIALNUMBER (2.5.4.5) holds "IIN" + 12 digits; OU holds "BIN" + 12
# digits for legal entities (decoded NCA test certificate, STACK_NOTES §6).
IIN_PREFIX = "IIN"
BIN_PREFIX = "BIN"

# GOST arcs: Kazakh GOST 34.310/34.311 (Kalkan, NCA: 1.2.398.3.10.*, e.g. 1.2.398.3.10.1.1.1.1
# the GOST 34.310-2004 key, 1.2.398.3.10.1.3.1 the GOST 34.311-95 hash) and Russian GOST R
# 34.10/34.11 (1.2.643.*). Neither is implemented by `cryptography`.
GOST_ARCS = ("1.2.398.3.10.", "1.2.643.")


def is_gost(oid: str) -> bool:
    return any(oid.startswith(arc) for arc in GOST_ARCS)
