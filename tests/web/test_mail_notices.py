"""Notices by e-mail [issue 19 point 10]: the e-mail address the applicant gave at the
contacts step or at "update contacts" gets each housing notice (the decision, the office's
entry changes …) in the applicant's language with a subject; no address, no e-mail; signing
codes never go by e-mail; a dead SMTP server leaves the mail in the outbox for a retry and
the citizen's page is unaffected."""

from __future__ import annotations

import re
import socket

import pytest
import sqlalchemy as sa

from portal.core import mail
from portal.core.models import Application, AppStatus, MailMessage, SmsMessage, SmsStatus
from portal.extensions import db
from portal.housing.office.services import housing_office
from tests.support import builders
from tests.support.smtp_server import smtp_server
from tests.web.helpers import iin, last_sms, phone_of, sign_in
from tests.web.housing_helpers import submit, walk
from tests.web.office_helpers import make_staff

pytestmark = pytest.mark.usefixtures("seeded")


def mails(to: str | None = None) -> list[MailMessage]:
    query = sa.select(MailMessage).order_by(MailMessage.id)
    if to:
        query = query.where(MailMessage.recipient == to)
    return list(db.session.scalars(query))


def fresh(app_id: int) -> Application:
    db.session.expire_all()
    return db.session.get(Application, app_id)


def test_the_decision_reaches_the_email_given_at_the_contacts_step_in_the_applicants_language(
        app, client):
    base = walk(client, "no_housing")
    assert client.post(f"{base}/contacts", data={"phone": phone_of("no_housing"),
                                                  "email": "asel@example.kz", "sms": "y"}
                       ).status_code == 303
    assert submit(client, base, "no_housing").status_code == 303
    application = fresh(int(base.rsplit("/", 1)[1]))
    [notice] = mails("asel@example.kz")
    sms = last_sms(phone_of("no_housing"))
    assert notice.subject == (f"Mekenjai: тұрғынжайға мұқтаждар есебіне қою туралы "
                              f"{application.number} өтінішіңіз")
    # The same notice as the SMS (what to do and by when), then why the mail came, in Kazakh.
    assert notice.body.startswith(sms.body + "\n\n") and application.number in sms.body
    assert "Бұл хатты" in notice.body and " / " not in notice.subject
    assert notice.status == SmsStatus.SENT and notice.provider_ref


def test_no_email_when_no_address_was_given(app):
    builders.housing_on_the_list(iin("no_housing"))
    assert mails() == []


def test_signing_codes_never_go_by_email(app):
    """The code to sign went by SMS; the only e-mail is the decision, without the code."""
    builders.housing_on_the_list(iin("no_housing"), email="asel@example.kz")
    codes = {code for m in db.session.scalars(sa.select(SmsMessage))
             for code in re.findall(r"(?<![\w/-])\d{6}(?![\w/-])", m.body)}
    assert codes  # the sign-in and signing codes
    [notice] = mails()
    assert notice.purpose == "housing_notice"
    assert not any(code in notice.body or code in notice.subject for code in codes)


def test_an_office_notice_reaches_the_address_given_at_update_contacts(app, client):
    application = builders.housing_on_the_list(iin("no_housing"), email="old@example.kz")
    sign_in(client, "no_housing")
    response = client.post(f"/housing/{application.id}/update-contacts",
                           data={"phone": phone_of("no_housing"), "email": "new@example.kz",
                                 "sms": "y"})
    assert response.status_code == 303
    staff = make_staff(login="officer1", role="officer", settlements=("almaty",))
    application = fresh(application.id)
    with app.test_request_context("/"):
        housing_office.change_entry(staff, application, "suspend", "data_not_confirmed",
                                    "Certificates awaited.", "127.0.0.1")
    [notice] = mails("new@example.kz")
    assert application.number in notice.subject and "/s/" in notice.body
    assert len(mails("old@example.kz")) == 1  # only the registration, before the change


def test_the_email_goes_when_sms_are_declined(app, client):
    """The SMS opt-out is about SMS: the e-mail the applicant gave still gets the notice."""
    application = builders.housing_on_the_list(iin("no_housing"))
    sign_in(client, "no_housing")
    client.post(f"/housing/{application.id}/update-contacts",
                data={"phone": phone_of("no_housing"), "email": "a@example.kz"})
    assert fresh(application.id).data["sms_consent"] is False
    staff = make_staff(login="officer1", role="officer", settlements=("almaty",))
    with app.test_request_context("/"):
        housing_office.change_entry(staff, fresh(application.id), "suspend",
                                    "data_not_confirmed", "Certificates awaited.", "127.0.0.1")
    assert len(mails("a@example.kz")) == 1


def _dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again: nothing listens there


def test_a_dead_smtp_server_leaves_the_mail_queued_and_the_citizens_page_unaffected(
        app, client):
    port = _dead_port()
    app.extensions["mail_backend"] = mail.SmtpBackend("127.0.0.1", port, starttls=False,
                                                      timeout=2)
    base = walk(client, "no_housing")
    assert client.post(f"{base}/contacts", data={"phone": phone_of("no_housing"),
                                                  "email": "asel@example.kz", "sms": "y"}
                       ).status_code == 303
    response = submit(client, base, "no_housing")
    assert response.status_code == 303
    app_id = int(base.rsplit("/", 1)[1])
    assert fresh(app_id).status == AppStatus.IN_QUEUE
    assert client.get(f"{base}/done").status_code == 200
    [queued] = mails()
    assert queued.status == SmsStatus.QUEUED and queued.attempts == 1
    assert queued.last_error and str(port) in queued.last_error
    assert queued.next_attempt_at > app.config["CLOCK"].now()

    with smtp_server() as server:
        app.extensions["mail_backend"] = mail.SmtpBackend("127.0.0.1", server.port,
                                                          starttls=False)
        assert mail.retry_due() == 0  # not yet: its retry is due later
        app.config["CLOCK"].advance(minutes=1)
        assert mail.retry_due() == 1
        [received] = server.messages
    db.session.expire_all()
    [sent] = mails()
    assert sent.status == SmsStatus.SENT and sent.attempts == 2
    assert received["To"] == "asel@example.kz" and received["Message-ID"] == sent.provider_ref
