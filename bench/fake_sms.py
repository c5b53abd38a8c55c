"""A stand-in SMS provider on loopback, for scripts/prod-shape.sh and the load-and-fault run.

Production refuses the outbox backend, so the shape sends through portal/core/sms/backends.py
HttpBackend, which POSTs {"to", "from", "text"} as JSON with `Authorization: Bearer <token>` and
expects {"id": ...} back. This server takes exactly that, appends each message as one JSON line
to --log, and lets a test client read the codes back:

    POST /send                                (the portal)    -> {"id": "fake-17"}
    GET  /messages?to=+77011452301&after=0    (load clients)  -> {"messages": [{"seq", "text", …}]}
    GET  /healthz                                             -> ok

--delay SECONDS answers each send that much later, as a slow provider does (bench/slow_provider.py):
each send is served on its own thread, so concurrent sends wait side by side, not in a line.
A row's `arrived` is when the send reached the provider, its `at` when the provider answered.

Only the standard library, so the shape needs nothing installed for it.

    python3 bench/fake_sms.py --port 18025 --token T --log /tmp/sms.jsonl [--delay 2]
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class Store:
    def __init__(self, log_path: str | None):
        self.lock = threading.Lock()
        self.messages: list[dict] = []
        self.by_phone: dict[str, list[dict]] = {}
        self.log = open(log_path, "a", encoding="utf-8") if log_path else None  # noqa: SIM115

    def add(self, to: str, sender: str, text: str, arrived: float) -> dict:
        with self.lock:
            seq = len(self.messages) + 1
            row = {"seq": seq, "id": f"fake-{seq}", "to": to, "from": sender, "text": text,
                   "arrived": arrived, "at": time.time()}
            self.messages.append(row)
            self.by_phone.setdefault(to, []).append(row)
            if self.log:
                self.log.write(json.dumps(row, ensure_ascii=False) + "\n")
                self.log.flush()
        return row

    def since(self, to: str | None, after: int) -> list[dict]:
        with self.lock:
            rows = self.by_phone.get(to, []) if to else self.messages
            return [r for r in rows if r["seq"] > after]


def make_handler(store: Store, token: str, delay: float = 0.0):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _json(self, status: int, payload: dict) -> None:
            body = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):  # noqa: N802 (http.server's naming)
            arrived = time.time()
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if token and self.headers.get("Authorization") != f"Bearer {token}":
                return self._json(401, {"error": "bad token"})
            try:
                data = json.loads(raw)
                to, sender, text = str(data["to"]), str(data.get("from", "")), str(data["text"])
            except (ValueError, KeyError, TypeError):
                return self._json(400, {"error": "want JSON {to, from, text}"})
            if delay:
                time.sleep(delay)  # this thread only: ThreadingHTTPServer, one a connection
            return self._json(200, {"id": store.add(to, sender, text, arrived)["id"]})

        def do_GET(self):  # noqa: N802
            url = urlparse(self.path)
            if url.path == "/healthz":
                return self._json(200, {"ok": True, "count": len(store.messages)})
            if url.path == "/messages":
                query = parse_qs(url.query)
                to = (query.get("to") or [None])[0]
                after = int((query.get("after") or ["0"])[0])
                return self._json(200, {"messages": store.since(to, after)})
            return self._json(404, {"error": "not found"})

        def log_message(self, *args):  # quiet: the JSON lines are the log
            pass

    return Handler


def non_negative(text: str) -> float:
    value = float(text)
    if not value >= 0 or value == float("inf"):  # NaN fails the first test
        raise argparse.ArgumentTypeError(f"want seconds >= 0, got {text!r}")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", default="")
    parser.add_argument("--log")
    parser.add_argument("--delay", type=non_negative, default=0.0, metavar="SECONDS",
                        help="answer each send this many seconds late (a slow provider)")
    args = parser.parse_args()
    server = ThreadingHTTPServer((args.host, args.port),
                                 make_handler(Store(args.log), args.token, args.delay))
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
