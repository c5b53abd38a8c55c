"""A stand-in NCALayer: a WebSocket server (no TLS: the client's URL is configurable) that
speaks NCALayer's JSON and signs with a test key.

On connection it sends {"result": {"version": ...}}; then it answers
`kz.gov.pki.knca.basics` `sign` with {"status": true, "body": {"result": [cms]}} (cancel:
{"status": true, "body": {}}) and `kz.gov.pki.knca.commonUtils` `createCAdESFromBase64` with
{"code": "200", "responseObject": cms} (cancel: {"code": "500", "message": "action.canceled"}).
"""

from __future__ import annotations

import base64
import json
import threading

from websockets.sync.server import serve

from .pki import Issued, make_cms


class NcaLayerStandIn:
    def __init__(self, signer: Issued, *, version: str = "1.4", cancel: bool = False,
                 now=None) -> None:
        """`now`: what the signing time is read from (the real clock unless given)."""
        self.signer, self.version, self.cancel = signer, version, cancel
        self.now = now
        self.requests: list[dict] = []
        self.server = serve(self._session, "127.0.0.1", 0)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.socket.getsockname()[:2]
        return f"ws://{host}:{port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.thread.join(5)

    def _session(self, ws) -> None:
        ws.send(json.dumps({"result": {"version": self.version}}))
        for message in ws:
            request = json.loads(message)
            self.requests.append(request)
            ws.send(json.dumps(self._answer(request)))

    def _answer(self, request: dict) -> dict:
        module, args = request.get("module"), request.get("args")
        if module == "kz.gov.pki.knca.basics" and request.get("method") == "sign":
            if self.cancel:
                return {"status": True, "body": {}}
            params = args["signingParams"]
            data = base64.b64decode(args["data"]) if params.get("decode") else \
                args["data"].encode()
            cms = make_cms(data, self.signer, attached=bool(params.get("encapsulate")),
                           signing_time=self.now and self.now())
            return {"status": True, "body": {"result": [cms]}}
        if module == "kz.gov.pki.knca.commonUtils" and \
                request.get("method") == "createCAdESFromBase64":
            if self.cancel:
                return {"code": "500", "message": "action.canceled"}
            _storage, _key_type, b64, attach = args
            return {"code": "200", "responseObject": make_cms(
                base64.b64decode(b64), self.signer, attached=attach,
                signing_time=self.now and self.now())}
        return {"code": "500", "message": "unknown module or method"}
