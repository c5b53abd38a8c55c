"""static/js/ncalayer.js in Debian's Chromium against the stand-in NCALayer, on a static test
page served by the test itself (the lead wires the real pages), under a strict CSP.
Uses the session's `browser` fixture (tests/browser/conftest.py)."""

from __future__ import annotations

import base64
import threading
import urllib.parse
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from portal.ecp import EcpVerifier, canonical_bytes
from tests.support_ecp.ncalayer import NcaLayerStandIn
from tests.support_ecp.pki import FakeNca

REPO = Path(__file__).resolve().parents[2]
SCRIPT = (REPO / "static" / "js" / "ncalayer.js").read_bytes()
IIN = "900101300017"
TEXT = canonical_bytes(service="Тұрғылықты жері бойынша тіркеу", reference="R-2026-000007",
                       nonce="q1w2e3", lines=[("Мекенжай", "Астана")], language="kk")
PAGE = """<!doctype html><html lang="kk"><head><meta charset="utf-8"><title>ЭЦП</title>
<script src="/static/js/ncalayer.js" defer></script></head><body><main><h1>ЭЦП</h1>
<form method="post" action="/signed" data-ecp-sign data-ecp-text-b64="{b64}"
      data-ecp-iin="{iin}" data-ecp-purpose="sign" data-ecp-url="{url}">
  <input type="hidden" name="cms">
  <button type="submit" data-ecp-start hidden>ЭЦП арқылы қол қою</button>
  <p data-ecp-message="working" hidden>…</p>
  <p data-ecp-message="not-running" hidden>NCALayer іске қосылмаған</p>
  <p data-ecp-message="too-old" hidden>NCALayer нұсқасы ескі</p>
  <p data-ecp-message="cancelled" hidden>Қол қоюдан бас тарттыңыз</p>
  <p data-ecp-message="failed" hidden>Қате</p>
</form><a href="/sms">SMS</a></main></body></html>"""


class Site:
    """Serves the page, the script and records what the form posts."""

    def __init__(self, ncalayer_url: str) -> None:
        site = self
        self.posted: list[dict] = []
        self.ncalayer_url = ncalayer_url

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, body: bytes, ctype: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Security-Policy",
                                 "default-src 'self'; script-src 'self'; style-src 'self'; "
                                 f"connect-src 'self' {site.ncalayer_url}; form-action 'self'")
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):  # noqa: N802
                if self.path == "/static/js/ncalayer.js":
                    return self._send(SCRIPT, "text/javascript")
                html = PAGE.format(b64=base64.b64encode(TEXT).decode(), iin=IIN,
                                   url=site.ncalayer_url)
                return self._send(html.encode(), "text/html; charset=utf-8")

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                site.posted.append(dict(urllib.parse.parse_qsl(body)))
                return self._send(b"<!doctype html><title>ok</title><h1>signed</h1>",
                                  "text/html")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return "http://127.0.0.1:%d/" % self.httpd.server_address[1]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture(scope="module")
def pki():
    return FakeNca()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.problems = problems
    yield page
    context.close()


@pytest.mark.parametrize("version, module", [("1.4", "kz.gov.pki.knca.basics"),
                                             ("1.3", "kz.gov.pki.knca.commonUtils")])
def test_signs_and_posts_a_cms_the_server_accepts(page, pki, tmp_path, version, module):
    with NcaLayerStandIn(pki.citizen(IIN), version=version) as layer, Site(layer.url) as site:
        page.goto(site.url)
        page.get_by_role("button", name="ЭЦП арқылы қол қою").click()
        page.get_by_role("heading", name="signed").wait_for()
    (request,) = layer.requests
    assert request["module"] == module
    if module.endswith("basics"):
        assert request["args"]["signingParams"] == {"decode": True, "encapsulate": True}
        assert request["args"]["signerParams"] == {
            "extKeyUsageOids": ["1.3.6.1.5.5.7.3.4", "1.2.398.3.3.4.1.1"], "iin": IIN}
        assert request["args"]["locale"] == "kk"
    else:
        assert request["args"][:2] == ["PKCS12", "SIGNATURE"] and request["args"][3] is True
    (posted,) = site.posted
    verifier = EcpVerifier(pki.write_trust_dir(tmp_path / "trust"))
    sig = verifier.verify(posted["cms"], TEXT, IIN, "sign", datetime.now(timezone.utc))
    assert sig.iin == IIN
    assert page.problems == []  # no CSP violation, no script error


def _message_after_click(page, site) -> str:
    page.goto(site.url)
    page.get_by_role("button", name="ЭЦП арқылы қол қою").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-ecp-message]')]"
        ".some(e => !e.hidden && e.dataset.ecpMessage !== 'working')")
    return page.eval_on_selector_all("[data-ecp-message]:not([hidden])",
                                     "els => els.map(e => e.dataset.ecpMessage)")


def test_ncalayer_not_running(page):
    with Site("ws://127.0.0.1:9") as site:
        assert _message_after_click(page, site) == ["not-running"]
        assert site.posted == []
        assert page.get_by_role("link", name="SMS").is_visible()  # the SMS way stays


@pytest.mark.parametrize("version", ["1.4", "1.3"])
def test_citizen_cancels(page, pki, version):
    with NcaLayerStandIn(pki.citizen(IIN), version=version, cancel=True) as layer, \
            Site(layer.url) as site:
        assert _message_after_click(page, site) == ["cancelled"]
        assert site.posted == []


def test_ncalayer_too_old(page, pki):
    with NcaLayerStandIn(pki.citizen(IIN), version="1.0") as layer, Site(layer.url) as site:
        assert _message_after_click(page, site) == ["too-old"]
        assert layer.requests == []


def test_without_javascript_no_ecp_button(browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        with Site("ws://127.0.0.1:9") as site:
            page.goto(site.url)
            assert not page.get_by_role("button", name="ЭЦП арқылы қол қою").is_visible()
    finally:
        context.close()
