"""An owner who answers the 1414 request by SMS gets a short SMS back, through the outbox: what
the reply did (consent or refusal recorded), or why it did nothing (a wrong code, too many wrong
codes, the hour passed, already answered); in the language of the request they got. The demo
outbox has a form that sends such a reply, so `make run` can try it."""

from __future__ import annotations

import sqlalchemy as sa

from portal.core.models import AppStatus, SmsMessage
from portal.extensions import db
from tests.web.helpers import application_at, code_in, phone_of
from tests.web.test_consent import owner_message, post_reply, submit_with_consent


def answers_to_owner() -> list[SmsMessage]:
    return db.session.scalars(sa.select(SmsMessage).where(
        SmsMessage.phone == phone_of("single_owner"), SmsMessage.purpose == "consent_reply")
        .order_by(SmsMessage.id)).all()


def test_an_owner_who_agrees_by_sms_gets_a_confirmation_in_the_applicants_language(
        seeded, client, app):
    client.set_cookie("lang", "ru")
    base = submit_with_consent(client)
    assert post_reply(app.test_client(), code_in(owner_message())).json["outcome"] == "confirmed"
    [answer] = answers_to_owner()
    number = application_at(base).number
    assert answer.body == (f"Mekenjai: ваше согласие на регистрацию по заявлению {number} "
                           "принято. Спасибо.")


def test_a_wrong_code_and_a_late_reply_are_answered_with_the_reason(seeded, client, app):
    client.set_cookie("lang", "kk")
    submit_with_consent(client)
    code = code_in(owner_message())
    wrong = "000000" if code != "000000" else "111111"
    assert post_reply(app.test_client(), wrong, msg_id="a").json["outcome"] == "wrong_code"
    assert post_reply(app.test_client(), f"ЖОҚ {code}", msg_id="b").json["outcome"] == "refused"
    assert post_reply(app.test_client(), code, msg_id="c").json["outcome"] == "already"
    bodies = [m.body for m in answers_to_owner()]
    assert f"{wrong} коды қате" in bodies[0]
    assert "бас тартуыңыз қабылданды" in bodies[1]
    assert "жауап берілген немесе ол жабылған" in bodies[2]


def test_a_stranger_texting_the_number_gets_no_sms(seeded, client, app):
    submit_with_consent(client)
    reply = post_reply(app.test_client(), "123456", phone="+77000000001")
    assert reply.json["outcome"] == "no_request"
    assert not db.session.scalars(sa.select(SmsMessage).where(
        SmsMessage.phone == "+77000000001")).all()


def test_the_demo_outbox_reply_form_answers_as_the_owner(seeded, client, app):
    base = submit_with_consent(client)
    code = code_in(owner_message())
    page = client.get("/demo/sms")
    assert page.status_code == 200 and 'action="/demo/sms/reply"' in page.get_data(as_text=True)
    answered = client.post("/demo/sms/reply", data={"phone": phone_of("single_owner"),
                                                    "text": code}, follow_redirects=True)
    assert answered.status_code == 200
    assert application_at(base).status == AppStatus.REGISTERED
    assert answers_to_owner()
