"""SMS: the outbox, the HTTP provider (against a local fake), retries with backoff, the CLI,
and the demo outbox page."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from bs4 import BeautifulSoup

from portal import create_app
from portal.config import ConfigError
from portal.core import sms
from portal.core.models import SmsMessage, SmsStatus
from portal.core.sms import HttpBackend, OutboxBackend, SmsSendError
from portal.extensions import db

TOKEN = "provider-token"
PHONE = "+77012345678"


class _FakeProvider(BaseHTTPRequestHandler):
    """A provider that checks the token and JSON, and fails on demand (server.mode)."""

    def do_POST(self):
        srv = self.server
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._reply(401, b'{"error": "bad token"}')
        if self.headers.get("Content-Type") != "application/json":
            return self._reply(415, b'{"error": "not json"}')
        if srv.mode == "hang":
            srv.release.wait(10)  # longer than the client's timeout; released at teardown
            return None
        if srv.mode == "500":
            return self._reply(500, b"internal error")
        if srv.mode == "badjson":
            return self._reply(200, b"<html>OK</html>")
        payload = json.loads(raw)
        assert set(payload) == {"to", "from", "text"}, payload
        srv.received.append(payload)
        return self._reply(200, json.dumps({"id": f"prov-{len(srv.received)}"}).encode())

    def _reply(self, status: int, body: bytes):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeProvider)
    server.mode, server.received, server.release = "ok", [], threading.Event()
    server.url = f"http://127.0.0.1:{server.server_port}/send"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def http_app(app, provider):
    """The app talking to the fake provider, with a short timeout so `hang` is quick."""
    app.extensions["sms_backend"] = HttpBackend(provider.url, TOKEN, timeout=0.5)
    return app


class Recorder:
    """A backend that remembers what it was asked to send, and can be switched off."""

    def __init__(self, fail: bool = False):
        self.sent: list[tuple[str, str, str]] = []
        self.fail = fail

    def send(self, phone, sender, body):
        if self.fail:
            raise SmsSendError("provider down")
        self.sent.append((phone, sender, body))
        return f"rec-{len(self.sent)}"


@pytest.fixture
def recorder(app):
    app.extensions["sms_backend"] = rec = Recorder()
    return rec


def _reload(message: SmsMessage) -> SmsMessage:
    db.session.expire_all()
    return db.session.get(SmsMessage, message.id)


# The outbox --------------------------------------------------------------------------------


def test_outbox_is_the_default_and_send_now_stores_logs_and_marks_sent(app, clock, caplog):
    assert isinstance(sms.backend(), OutboxBackend)
    with caplog.at_level(logging.INFO, logger="portal.core.sms"):
        message = sms.send_now(PHONE, "Code 123456", purpose="sign_in")
    row = _reload(message)
    assert (row.status, row.sender, row.purpose, row.attempts) == (SmsStatus.SENT, "1414",
                                                                   "sign_in", 1)
    assert row.sent_at == clock.now() and row.next_attempt_at is None
    assert row.provider_ref.startswith("outbox-")
    assert PHONE in caplog.text and "Code 123456" in caplog.text


def test_enqueue_stores_a_queued_row_and_sends_nothing(app, clock, recorder):
    message = sms.enqueue(PHONE, "hello", purpose="consent")
    db.session.commit()
    row = _reload(message)
    assert (row.status, row.attempts, row.sender) == (SmsStatus.QUEUED, 0, "1414")
    assert row.next_attempt_at == clock.now()
    assert recorder.sent == []


def test_deliver_does_not_send_twice(app, recorder):
    message = sms.send_now(PHONE, "once")
    assert sms.deliver(message) is True
    assert len(recorder.sent) == 1


# The HTTP provider -------------------------------------------------------------------------


def test_http_backend_posts_json_with_the_bearer_token(provider):
    ref = HttpBackend(provider.url, TOKEN).send(PHONE, "1414", "Код 123456")
    assert ref == "prov-1"
    assert provider.received == [{"to": PHONE, "from": "1414", "text": "Код 123456"}]


@pytest.mark.parametrize(
    ("mode", "token", "reason"),
    [
        ("ok", "wrong-token", "HTTP 401"),
        ("500", TOKEN, "HTTP 500"),
        ("hang", TOKEN, "timeout"),
        ("badjson", TOKEN, "bad response"),
    ],
)
def test_http_backend_turns_every_failure_into_sms_send_error(provider, mode, token, reason):
    provider.mode = mode
    with pytest.raises(SmsSendError, match=reason):
        HttpBackend(provider.url, token, timeout=0.5).send(PHONE, "1414", "hi")
    assert provider.received == []


def test_http_backend_unreachable_provider_is_a_send_error(provider):
    url = provider.url
    provider.shutdown()
    provider.server_close()
    with pytest.raises(SmsSendError, match="network"):
        HttpBackend(url, TOKEN, timeout=0.5).send(PHONE, "1414", "hi")


def test_http_backend_is_built_from_config(app_config, provider):
    app = create_app({**app_config, "SMS_BACKEND": "http", "SMS_HTTP_URL": provider.url,
                      "SMS_HTTP_TOKEN": TOKEN})
    backend = app.extensions["sms_backend"]
    assert isinstance(backend, HttpBackend) and backend.url == provider.url


@pytest.mark.parametrize("url", ["", "ftp://example.org/sms"])
def test_http_backend_without_a_usable_url_fails_at_startup(app_config, url):
    with pytest.raises(ConfigError, match="SMS"):
        create_app({**app_config, "SMS_BACKEND": "http", "SMS_HTTP_URL": url})


# Retries -----------------------------------------------------------------------------------


def test_failed_send_stays_queued_and_is_retried_when_due(http_app, provider, clock):
    provider.mode = "500"
    message = sms.send_now(PHONE, "Code 654321")  # no exception: the provider is down
    row = _reload(message)
    assert (row.status, row.attempts, row.last_error) == (SmsStatus.QUEUED, 1, "HTTP 500")
    assert row.next_attempt_at == clock.now() + dt.timedelta(seconds=30)

    provider.mode = "ok"
    clock.advance(seconds=29)
    assert sms.retry_due() == 0  # not before its time
    assert provider.received == []

    clock.advance(seconds=1)
    assert sms.retry_due() == 1
    row = _reload(message)
    assert (row.status, row.attempts, row.provider_ref) == (SmsStatus.SENT, 2, "prov-1")
    assert row.sent_at == clock.now()
    assert provider.received == [{"to": PHONE, "from": "1414", "text": "Code 654321"}]


def test_a_hanging_provider_does_not_hang_the_request(http_app, provider, clock):
    provider.mode = "hang"
    row = _reload(sms.send_now(PHONE, "slow"))
    assert row.status == SmsStatus.QUEUED and "timeout" in row.last_error


def test_backoff_doubles_to_thirty_minutes_then_gives_up(app, clock):
    app.extensions["sms_backend"] = down = Recorder(fail=True)
    message = sms.send_now(PHONE, "never")
    delays = []
    while (row := _reload(message)).status == SmsStatus.QUEUED:
        delays.append((row.next_attempt_at - clock.now()).total_seconds())
        clock.advance(seconds=delays[-1] - 1)
        assert sms.retry_due() == 0 and _reload(message).attempts == len(delays)
        clock.advance(seconds=1)
        assert sms.retry_due() == 0
    assert delays == [30, 60, 120, 240, 480, 960, 1800]
    assert (row.status, row.attempts, row.next_attempt_at) == (SmsStatus.FAILED, 8, None)
    assert row.last_error == "provider down"

    down.fail = False
    clock.advance(days=1)
    assert sms.retry_due() == 0 and down.sent == []  # given up means given up


def test_retry_due_sends_oldest_first_and_respects_the_limit(app, clock, recorder):
    for body in ("first", "second", "third"):
        sms.enqueue(PHONE, body)
        clock.advance(seconds=1)
    db.session.commit()
    assert sms.retry_due(limit=2) == 2
    assert [body for _, _, body in recorder.sent] == ["first", "second"]
    assert sms.retry_due() == 1
    assert sms.retry_due() == 0


def test_flask_sms_retry_command(app, clock, recorder, runner):
    sms.enqueue(PHONE, "queued by a web request that died")
    db.session.commit()
    result = runner.invoke(args=["sms", "retry"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1"
    assert recorder.sent == [(PHONE, "1414", "queued by a web request that died")]
    assert runner.invoke(args=["sms", "retry", "--limit", "5"]).output.strip() == "0"


# The demo outbox page ----------------------------------------------------------------------


def test_demo_outbox_lists_messages_newest_first_with_codes(client, clock):
    sms.send_now(PHONE, "Mekenjai: кіру коды 123456.")
    clock.advance(minutes=1)
    sms.send_now("+77079998877", "Code for signing 987654.")
    response = client.get("/demo/sms?lang=en")
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html5lib")
    assert len(page.find_all("h1")) == 1
    assert page.find("table").find("caption")
    assert page.find("label", attrs={"for": "phone"}) and page.find("input", id="phone")
    codes = [c.text for c in page.select("tbody code")]
    assert codes == ["987654", "123456"]
    assert "11:00:00" in page.find("tbody").text  # 06:00 UTC is 11:00 in Almaty
    tbody = page.find("tbody", id="rows")
    assert tbody["data-hx-trigger"] == "every 5s" and tbody["data-hx-get"].endswith("/demo/sms")
    assert page.find("a", string="Refresh")
    assert "HX-Target" in response.headers.get("Vary", "")


def test_demo_outbox_filters_by_phone(client):
    sms.send_now(PHONE, "for me 111111")
    sms.send_now("+77079998877", "not for me 222222")
    page = BeautifulSoup(client.get("/demo/sms?phone=8 701 234 56 78").text, "html5lib")
    assert [c.text for c in page.select("tbody code")] == ["111111"]
    assert page.find("input", id="phone")["value"] == "8 701 234 56 78"


def test_demo_outbox_htmx_poll_gets_only_the_rows(client):
    sms.send_now(PHONE, "Code 333333")
    response = client.get("/demo/sms", headers={"HX-Request": "true", "HX-Target": "rows"})
    assert response.status_code == 200
    assert "<h1" not in response.text and "<html" not in response.text.lower()
    assert "<tr" in response.text and "333333" in response.text
    assert "HX-Target" in response.headers.get("Vary", "")
