"""GOST 34.310 signatures through an NCANode-compatible HTTP service.

Python cannot verify Kazakh GOST (STACK_NOTES §6), so the signature, the chain to the NCA's
GOST roots and revocation are asked of NCANode v3 (malikzh/NCANode, `CmsController`):

    POST {base}/cms/verify
    {"cms": "<base64>", "data": "<base64, detached only>", "revocationCheck": ["OCSP"]}
    200 {"status": 200, "message": "OK", "valid": true|false,
         "signers": [{"certificates": [{"valid": bool, "revocations": [{"revoked": bool,
                      "by": "OCSP", ...}], "subject": {"iin": ..}, "keyUsage": "SIGN", ..}],
                      "tsp": ..}]}
    4xx/5xx {"status": 400|500, "message": "...", "details": ...}   (e.g. unparsable CMS)

NCANode's overall `valid` is false when the signature fails *or* a certificate is not valid;
each certificate's own `valid` covers dates, a known issuer and revocation. The portal still
checks the content, IIN, key usage, key user and dates itself from the certificate it parses.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from .errors import Reason, SignatureRejected


@dataclass(frozen=True)
class GostVerdict:
    service: str  # e.g. "ncanode"


class GostVerifier(Protocol):
    def verify(self, cms_der: bytes, detached_content: bytes | None) -> GostVerdict:
        """Accept, or raise SignatureRejected (BAD_SIGNATURE, UNTRUSTED_CHAIN, REVOKED,
        MALFORMED, VERIFIER_UNAVAILABLE)."""


class NcaNodeVerifier:
    def __init__(self, base_url: str, *, timeout: float = 10.0, check_ocsp: bool = True) -> None:
        self.url = base_url.rstrip("/") + "/cms/verify"
        self.timeout = timeout
        self.check_ocsp = check_ocsp

    def verify(self, cms_der: bytes, detached_content: bytes | None) -> GostVerdict:
        payload: dict = {
            "cms": base64.b64encode(cms_der).decode("ascii"),
            "revocationCheck": ["OCSP"] if self.check_ocsp else [],
        }
        if detached_content is not None:
            payload["data"] = base64.b64encode(detached_content).decode("ascii")
        answer = self._post(payload)
        return self._judge(answer)

    def _post(self, payload: dict) -> dict:
        req = urllib.request.Request(
            self.url, data=json.dumps(payload).encode("utf-8"), method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310
                return json.loads(resp.read(4 * 1024 * 1024))
        except urllib.error.HTTPError as exc:
            exc.close()  # it holds the connection open
            if 400 <= exc.code < 500:  # NCANode's ClientException: it could not read the CMS
                raise SignatureRejected(Reason.MALFORMED, f"NCANode {exc.code}") from exc
            raise SignatureRejected(Reason.VERIFIER_UNAVAILABLE, f"NCANode {exc.code}") from exc
        except (OSError, ValueError) as exc:
            raise SignatureRejected(Reason.VERIFIER_UNAVAILABLE, f"NCANode: {exc}") from exc

    @staticmethod
    def _judge(answer: dict) -> GostVerdict:
        try:
            certs = [c for s in answer["signers"] for c in s["certificates"]]
            valid = answer["valid"] is True
        except (KeyError, TypeError) as exc:
            raise SignatureRejected(Reason.VERIFIER_UNAVAILABLE, "unexpected answer") from exc
        if not certs:
            raise SignatureRejected(Reason.MALFORMED, "NCANode found no signer certificate")
        revs = [r for c in certs for r in (c.get("revocations") or [])]
        if any(r.get("revoked") for r in revs):
            raise SignatureRejected(Reason.REVOKED, "NCANode: revoked")
        if not all(c.get("valid") is True for c in certs):
            raise SignatureRejected(Reason.UNTRUSTED_CHAIN, "NCANode: certificate not valid")
        if not valid:
            raise SignatureRejected(Reason.BAD_SIGNATURE, "NCANode: signature not valid")
        return GostVerdict(service="ncanode")
