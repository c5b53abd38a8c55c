"""Local stand-ins started by tests: an OCSP responder and an NCANode v3 `/cms/verify`."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import cms
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp

from .pki import FakeNca


class _Server:
    def __init__(self, handler) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.owner = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def _reply(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))


class OcspResponder(_Server):
    """Answers for the test PKI's intermediate: `statuses[serial]` is "good" (default),
    "revoked" or "unknown"; `broken=True` answers HTTP 500."""

    def __init__(self, pki: FakeNca) -> None:
        self.pki = pki
        self.statuses: dict[int, str] = {}
        self.broken = False
        self.signer = None  # an Issued that signs instead of the intermediate (a stranger)
        self.age = timedelta(0)  # how old the answers are (a stale responder)
        self.requests = 0
        super().__init__(_OcspHandler)

    def answer(self, der: bytes) -> bytes:
        self.requests += 1
        req = ocsp.load_der_ocsp_request(der)
        issued = self.pki.issued[req.serial_number]
        status = self.statuses.get(req.serial_number, "good")
        now = datetime.now(timezone.utc) - self.age
        builder = ocsp.OCSPResponseBuilder().add_response(
            cert=issued.cert, issuer=self.pki.intermediate.cert, algorithm=hashes.SHA1(),
            cert_status={"good": ocsp.OCSPCertStatus.GOOD,
                         "revoked": ocsp.OCSPCertStatus.REVOKED,
                         "unknown": ocsp.OCSPCertStatus.UNKNOWN}[status],
            this_update=now - timedelta(minutes=1), next_update=now + timedelta(hours=1),
            revocation_time=now - timedelta(days=1) if status == "revoked" else None,
            revocation_reason=x509.ReasonFlags.key_compromise if status == "revoked" else None,
        )
        signer = self.signer or self.pki.intermediate
        builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, signer.cert)
        try:
            nonce = req.extensions.get_extension_for_class(x509.OCSPNonce).value
            builder = builder.add_extension(nonce, critical=False)
        except x509.ExtensionNotFound:
            pass
        resp = builder.sign(signer.key, hashes.SHA256())
        return resp.public_bytes(Encoding.DER)


class _OcspHandler(_Handler):
    def do_POST(self) -> None:  # noqa: N802
        owner: OcspResponder = self.server.owner
        if owner.broken:
            self._reply(500, b"broken", "text/plain")
            return
        self._reply(200, owner.answer(self._body()), "application/ocsp-response")


class NcaNodeStandIn(_Server):
    """Speaks NCANode v3 `POST /cms/verify`: checks the (RSA-inside) "GOST" signature over the
    signed attributes, the digest, the issuer (the test intermediate) and dates; `revoked`
    holds serials it reports as revoked by OCSP; `status` forces an HTTP error status."""

    def __init__(self, pki: FakeNca) -> None:
        self.pki = pki
        self.revoked: set[int] = set()
        self.status: int | None = None
        self.requests: list[dict] = []
        super().__init__(_NcaNodeHandler)

    def verify(self, payload: dict) -> tuple[int, dict]:
        self.requests.append(payload)
        try:
            info = cms.ContentInfo.load(base64.b64decode(payload["cms"]))
            signed = info["content"]
            si = signed["signer_infos"][0]
            cert_a = signed["certificates"][0].chosen
        except Exception as exc:  # as NCANode: ClientException -> 400
            return 400, {"status": 400, "message": str(exc)}
        content = signed["encap_content_info"]["content"].native
        if content is None and payload.get("data"):
            content = base64.b64decode(payload["data"])
        cert = x509.load_der_x509_certificate(cert_a.dump())
        attrs = {a["type"].native: a["values"][0].native for a in si["signed_attrs"]}
        sig_ok = attrs.get("message_digest") == hashlib.sha256(content or b"").digest()
        try:
            cert.public_key().verify(si["signature"].native, si["signed_attrs"].untag().dump(),
                                     padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            sig_ok = False
        now = datetime.now(timezone.utc)
        try:
            cert.verify_directly_issued_by(self.pki.intermediate.cert)
            issuer_ok = True
        except (ValueError, TypeError, InvalidSignature):
            issuer_ok = False
        revoked = cert.serial_number in self.revoked
        cert_ok = issuer_ok and cert.not_valid_before_utc <= now <= cert.not_valid_after_utc \
            and not revoked
        iin = cert_a.subject.native.get("serial_number", "")[3:]
        return 200, {
            "status": 200, "message": "OK", "valid": sig_ok and cert_ok,
            "signers": [{"certificates": [{
                "valid": cert_ok,
                "revocations": [{"revoked": revoked, "by": "OCSP",
                                 "revocationTime": None, "reason": None}],
                "notBefore": cert.not_valid_before_utc.isoformat(),
                "notAfter": cert.not_valid_after_utc.isoformat(),
                "keyUsage": "SIGN", "serialNumber": format(cert.serial_number, "x"),
                "signAlg": "GOST34311_34310", "keyUser": ["INDIVIDUAL"],
                "subject": {"commonName": cert_a.subject.native.get("common_name"),
                            "iin": iin, "country": "KZ"},
            }], "tsp": None}],
        }


class _NcaNodeHandler(_Handler):
    def do_POST(self) -> None:  # noqa: N802
        owner: NcaNodeStandIn = self.server.owner
        if self.path != "/cms/verify":
            self._reply(404, b'{"status":404,"message":"Not Found"}', "application/json")
            return
        if owner.status is not None:
            body = {"status": owner.status, "message": "forced"}
            self._reply(owner.status, json.dumps(body).encode(), "application/json")
            return
        status, body = owner.verify(json.loads(self._body()))
        self._reply(status, json.dumps(body).encode(), "application/json")
