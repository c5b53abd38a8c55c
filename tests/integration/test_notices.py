"""Applicant notices: queued in the use case's transaction, sent only after it commits, never
after a rollback; links built from the URL map on PUBLIC_URL, with or without a request."""

from __future__ import annotations

import secrets

import sqlalchemy as sa

from demo_registries.seed import DEMO_PEOPLE
from portal.core import sms
from portal.core.models import Application, AppStatus, SmsMessage, SmsStatus
from portal.core.registries import registries
from portal.core.services import notices
from portal.extensions import db

APPLICANT = next(p["iin"] for p in DEMO_PEOPLE if p["key"] == "owner_self")


def make(iin=APPLICANT) -> Application:
    application = Application(service="toy", applicant_iin=iin, status=AppStatus.SUBMITTED,
                              data={}, status_token="tok-" + secrets.token_urlsafe(8),
                              number="T-2026-000001")
    db.session.add(application)
    db.session.commit()
    return application


class Recording(sms.OutboxBackend):
    def __init__(self):
        self.sent = []

    def send(self, phone, sender, body):
        self.sent.append((phone, body))
        return super().send(phone, sender, body)


def test_notice_goes_to_the_registry_phone_after_commit(seeded):
    backend = seeded.extensions["sms_backend"] = Recording()
    application = make()
    message = notices.notify_applicant(application, "Your application is registered")
    assert message.phone == registries().person(APPLICANT).phone
    assert backend.sent == []  # nothing leaves before the commit
    assert notices.commit() == [message]
    assert backend.sent == [(message.phone, "Your application is registered")]
    assert db.session.get(SmsMessage, message.id).status == SmsStatus.SENT


def test_a_rolled_back_use_case_sends_nothing(seeded):
    backend = seeded.extensions["sms_backend"] = Recording()
    application = make()
    notices.notify_applicant(application, "never")
    db.session.rollback()
    assert notices.pending() == []
    notices.commit()
    assert backend.sent == []
    assert db.session.scalar(sa.select(sa.func.count(SmsMessage.id))) == 0


def test_no_phone_in_the_registry_means_no_sms(seeded):
    application = make(iin=next(p["iin"] for p in DEMO_PEOPLE if not p.get("phone")))
    assert notices.notify_applicant(application, "x") is None


def test_a_provider_failure_after_commit_keeps_the_use_case(seeded):
    class Down(sms.OutboxBackend):
        def send(self, phone, sender, body):
            raise sms.SmsSendError("provider down")

    seeded.extensions["sms_backend"] = Down()
    application = make()
    message = notices.notify_applicant(application, "later")
    application.status = AppStatus.REGISTERED
    notices.commit()
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == AppStatus.REGISTERED
    kept = db.session.get(SmsMessage, message.id)
    assert kept.status == SmsStatus.QUEUED and kept.attempts == 1  # the job retries it


def test_status_link_from_public_url_without_a_request(app):
    application = make()
    app.config["PUBLIC_URL"] = "https://e-portal.example.kz/mekenjai"
    assert notices.status_url(application) == (
        f"https://e-portal.example.kz/mekenjai/s/{application.status_token}")
    assert notices.status_qr_url(application).endswith(f"/s/{application.status_token}/qr.svg")


def test_status_link_inside_a_request_ignores_the_request_host(app):
    application = make()
    with app.test_request_context("/", base_url="http://10.0.0.7:8000"):
        assert notices.status_url(application) == (
            f"http://localhost/s/{application.status_token}")
