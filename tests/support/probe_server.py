"""An app server for tests that need separate processes (each has its own Flask-Limiter):
`python -m tests.support.probe_server` builds the portal from the PORTAL_* environment, adds
POST /_probe limited to 5 a minute per address, serves on a free loopback port and prints
"PORT <n>" once it listens. Stop it with SIGTERM."""

from __future__ import annotations

import signal
import sys

from werkzeug.serving import make_server

from portal import create_app
from portal.extensions import csrf, limiter


def main() -> None:
    app = create_app()

    @limiter.limit("5/minute")
    def probe():
        return "ok"

    app.add_url_rule("/_probe", "probe", csrf.exempt(probe), methods=["POST"])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sys.stdout.write(f"PORT {server.server_port}\n")
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
