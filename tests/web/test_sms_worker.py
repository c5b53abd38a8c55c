"""Speed under real load: a web request only commits its SMS to the outbox; the SMS worker
(`flask sms worker`, sms.run_pending) sends it, and several workers send each message once.
The rest of the suite sends within the request (SMS_SEND_IN_REQUEST=True, deterministic)."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from portal.core import sms
from portal.core.models import SmsMessage, SmsStatus
from portal.core.sms import SmsSendError
from portal.extensions import db
from tests.web.helpers import code_in, iin, last_sms, phone_of
from tests.web.test_races_sign_in import together


class SlowProvider:
    """A provider that takes `delay` seconds to answer (thread-safe record of what it sent)."""

    def __init__(self, delay: float = 0.0):
        self.delay, self.sent, self.lock = delay, [], threading.Lock()

    def send(self, phone, sender, body):
        time.sleep(self.delay)
        with self.lock:
            self.sent.append(body)
            return f"slow-{len(self.sent)}"


def test_sign_in_only_enqueues_the_code_and_the_worker_sends_it(app, seeded, client):
    app.config["SMS_SEND_IN_REQUEST"] = False
    app.extensions["sms_backend"] = provider = SlowProvider(delay=2.0)
    started = time.monotonic()
    response = client.post("/sign-in", data={"iin": iin("owner_self")})
    assert response.status_code == 303
    assert time.monotonic() - started < 1.5  # the provider's 2 s are not the citizen's
    message = last_sms(phone_of("owner_self"))
    assert (message.status, message.attempts, provider.sent) == (SmsStatus.QUEUED, 0, [])
    # Waiting for its first attempt is "being sent", not "trouble sending".
    page = client.get(response.location + "?lang=en").get_data(as_text=True)
    assert "trouble sending" not in page

    assert sms.run_pending() == 1
    db.session.expire_all()
    message = last_sms(phone_of("owner_self"))
    assert message.status == SmsStatus.SENT and provider.sent == [message.body]
    response = client.post("/sign-in/code", data={"code": code_in(message)})
    assert response.status_code == 303 and response.location.endswith("/cabinet")


def test_the_code_page_says_when_an_attempt_failed(app, seeded, client):
    app.config["SMS_SEND_IN_REQUEST"] = False

    class Down:
        def send(self, *args):
            raise SmsSendError("provider down")

    app.extensions["sms_backend"] = Down()
    response = client.post("/sign-in", data={"iin": iin("owner_self")})
    sms.run_pending()
    page = client.get(response.location + "?lang=en").get_data(as_text=True)
    assert "trouble sending" in page


def test_flask_sms_worker_once_sends_what_requests_enqueued(app, seeded, client):
    app.config["SMS_SEND_IN_REQUEST"] = False
    app.extensions["sms_backend"] = provider = SlowProvider()
    client.post("/sign-in", data={"iin": iin("owner_self")})
    result = app.test_cli_runner().invoke(args=["sms", "worker", "--once"])
    assert result.exit_code == 0 and result.output.strip() == "1"
    assert len(provider.sent) == 1


def test_two_workers_at_once_send_each_message_once(app):
    provider = SlowProvider(delay=0.05)
    app.extensions["sms_backend"] = provider
    bodies = [f"message {i}" for i in range(12)]
    for body in bodies:
        sms.enqueue("+77012345678", body, purpose="test")
    db.session.commit()
    db.session.remove()

    def worker(_):
        with app.app_context():
            return sms.run_pending()

    together(2, worker)
    assert sorted(provider.sent) == sorted(bodies)  # each once, none twice, none lost
    db.session.expire_all()
    states = db.session.execute(sa.select(SmsMessage.status, SmsMessage.attempts)).all()
    assert set(states) == {(SmsStatus.SENT, 1)}


def test_the_running_worker_is_woken_by_the_commit(app):
    """PostgreSQL: NOTIFY at the commit wakes it well before its 10 s fallback look; SQLite: its
    short poll."""
    app.extensions["sms_backend"] = provider = SlowProvider()
    stop = threading.Event()

    def run():
        with app.app_context():
            sms.work(poll=1.0, stop=stop)

    worker = threading.Thread(target=run)
    worker.start()
    try:
        time.sleep(0.5)  # listening
        sms.enqueue("+77012345678", "wake up", purpose="test")
        db.session.commit()
        deadline = time.monotonic() + 3
        while not provider.sent and time.monotonic() < deadline:
            time.sleep(0.05)
        assert provider.sent == ["wake up"]
    finally:
        stop.set()
        sms.enqueue("+77012345678", "good night", purpose="test")  # wakes it to see `stop`
        db.session.commit()
        worker.join(15)
    assert not worker.is_alive()


def test_one_worker_process_sends_several_messages_at_once(app):
    """With a provider answering in 2 s, one message at a time kept a peak's codes waiting a
    minute (bench/slow_provider.py). Three threads of one `flask sms worker` each take another
    row: the provider below answers only when three sends are with it together."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite holds one writer lock while a message is with the provider")
    meeting = threading.Barrier(3, timeout=5)

    class Together(SlowProvider):
        def send(self, phone, sender, body):
            try:
                meeting.wait()
            except threading.BrokenBarrierError as exc:  # the sends came one after another
                raise SmsSendError("not sent together") from exc
            return super().send(phone, sender, body)

    app.extensions["sms_backend"] = provider = Together()
    bodies = [f"code {i}" for i in range(3)]
    for body in bodies:
        sms.enqueue("+77012345678", body, purpose="test")
    db.session.commit()
    db.session.remove()
    stop = threading.Event()

    def run():
        with app.app_context():
            sms.work_together(app, 3, poll=0.2, stop=stop)

    worker = threading.Thread(target=run)
    worker.start()
    try:
        deadline = time.monotonic() + 10
        while len(provider.sent) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()  # seen at their next look (poll x 10 at most)
        worker.join(15)
    assert not worker.is_alive()
    assert sorted(provider.sent) == bodies
    states = db.session.execute(sa.select(SmsMessage.status, SmsMessage.attempts)
                                .where(SmsMessage.body.in_(bodies))).all()
    assert set(states) == {(SmsStatus.SENT, 1)}
