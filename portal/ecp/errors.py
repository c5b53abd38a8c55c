"""One exception family for every refused signature, with a stable reason code.

The web layer translates `SignatureRejected.reason` (never `detail`, which is for logs)."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    MALFORMED = "malformed"  # not base64 / not a CMS SignedData / no signer certificate
    CONTENT_MISMATCH = "content_mismatch"  # signed content is not exactly the expected text
    DIGEST_MISMATCH = "digest_mismatch"  # messageDigest attribute does not match the content
    BAD_SIGNATURE = "bad_signature"  # signature over the signed attributes does not verify
    BAD_SIGNING_TIME = "bad_signing_time"  # signing-time too far from the verification time
    UNTRUSTED_CHAIN = "untrusted_chain"  # no path to a pinned root through pinned intermediates
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOKED = "revoked"
    REVOCATION_UNKNOWN = "revocation_unknown"  # OCSP said "unknown" or could not be asked
    WRONG_KEY_USAGE = "wrong_key_usage"  # e.g. the AUTHENTICATION key used to sign
    WRONG_POLICY = "wrong_policy"  # not an individual's (or employee's) certificate
    IIN_MISMATCH = "iin_mismatch"
    GOST_UNSUPPORTED = "gost_unsupported"  # GOST signature and no GOST verifier configured
    VERIFIER_UNAVAILABLE = "verifier_unavailable"  # the GOST verification service failed


class SignatureRejected(Exception):
    """The signature is refused; `reason` is a `Reason`, `detail` is for logs only."""

    def __init__(self, reason: Reason | str, detail: str = "") -> None:
        self.reason = Reason(reason)
        self.detail = detail
        super().__init__(f"{self.reason.value}: {detail}" if detail else self.reason.value)
