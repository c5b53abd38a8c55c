"""deploy/nginx.conf, run by Debian's nginx in front of two stand-in app servers.

The portal answers 503 (with Retry-After and the translated page) while its database is away.
Both app servers share that database, so such a 503 says nothing about the server: if nginx
counted it as the server failing (proxy_next_upstream http_503 with max_fails=3), a one-second
database restart would take both servers out for fail_timeout, and every citizen would get
nginx's own 502 "no live upstreams" for ten seconds after the database was back (the fault run
of `make load` saw 401 × 502 and no submission acknowledged). A server that does not answer at
all (its worker killed) is still skipped, and a GET retried on the other one.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


class StandInApp(ThreadingHTTPServer):
    """Answers every request with `status` (503 while "the database is away") and its name."""

    daemon_threads = True

    def __init__(self, name: str):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.name, self.status, self.served = name, 200, 0


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        server: StandInApp = self.server
        server.served += 1
        body = server.name.encode()
        self.send_response(server.status)
        if server.status == 503:
            self.send_header("Retry-After", "5")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # quiet
        pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


@pytest.fixture
def nginx_before_two_apps(tmp_path):
    if not os.access(NGINX, os.X_OK):
        pytest.fail("nginx is missing: `make test` installs it (apt-get install nginx)",
                    pytrace=False)
    apps = [StandInApp("app1"), StandInApp("app2")]
    for app in apps:
        threading.Thread(target=app.serve_forever, daemon=True).start()
    port = _free_port()
    prefix = tmp_path / "nginx"
    (prefix / "logs").mkdir(parents=True)
    (prefix / "tmp").mkdir()
    # The markers as scripts/prod-shape.sh fills them (as root, workers run as root: loopback).
    conf = (REPO / "deploy" / "nginx.conf").read_text()
    for marker, value in {"@USER@": "user root;" if os.geteuid() == 0 else "",
                          "@APP1@": f"127.0.0.1:{apps[0].server_port}",
                          "@APP2@": f"127.0.0.1:{apps[1].server_port}",
                          "@LISTEN@": f"127.0.0.1:{port}",
                          "@STATIC@": str(REPO / "static")}.items():
        conf = conf.replace(marker, value)
    (prefix / "nginx.conf").write_text(conf)
    process = subprocess.Popen([NGINX, "-p", f"{prefix}/", "-c", "nginx.conf",
                                "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"nginx did not start: {process.stderr.read()!r}", pytrace=False)
                time.sleep(0.02)
        yield url, apps
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()
        for app in apps:
            app.shutdown()
            app.server_close()


def test_a_database_outage_503_reaches_the_citizen_and_leaves_both_servers_in(
        nginx_before_two_apps):
    url, apps = nginx_before_two_apps
    for app in apps:
        app.status = 503  # the database restarts: both servers answer the translated 503
    during = [_get(f"{url}/residence/1/done")[0] for _ in range(12)]
    assert during == [503] * 12  # the app's own page (Retry-After), never nginx's 502

    for app in apps:
        app.status = 200  # the database is back
    after = [_get(f"{url}/cabinet") for _ in range(4)]
    assert [status for status, _ in after] == [200] * 4  # not 10 s of "no live upstreams"
    assert {body for _, body in after} == {"app1", "app2"}  # both servers still in the rotation


def test_a_server_that_does_not_answer_is_skipped_and_the_get_retried(nginx_before_two_apps):
    url, apps = nginx_before_two_apps
    apps[0].shutdown()
    apps[0].server_close()  # app1 gone: connection refused
    answers = [_get(f"{url}/s/token") for _ in range(6)]
    assert answers == [(200, "app2")] * 6
