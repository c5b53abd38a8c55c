"""The owner's one-hour consent (SPEC §4): link, code, cabinet, SMS reply, expiry, faults."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from portal.core.models import AppStatus, ConsentStatus, SmsMessage, SmsStatus
from portal.core.services import sms_texts
from portal.core.sms.backends import SmsSendError
from portal.extensions import db
from tests.web.helpers import (
    application_at,
    code_in,
    fill_draft,
    iin,
    last_sms,
    phone_of,
    sign_and_submit,
    sign_in,
)
from tests.web.pages import check_page, text_of


def submit_with_consent(client, key="one_owner_applicant", search="Төле би 59 34"):
    sign_in(client, key)
    base = fill_draft(client, iin(key), search)
    assert sign_and_submit(client, base, key).status_code == 303
    return base


def owner_message(owner_key="single_owner") -> SmsMessage:
    return last_sms(phone_of(owner_key))


def link_of(message: SmsMessage) -> str:
    return re.search(r"https?://\S+(/c/\S+)", message.body).group(1)


def status_url(base, client) -> str:
    return f"/s/{application_at(base).status_token}"


def owner_messages(owner_key="single_owner") -> list[SmsMessage]:
    """The owner's request: one SMS in the applicant's language (Kazakh or Russian), or one in
    Kazakh and one in Russian when the applicant wrote in English."""
    query = sa.select(SmsMessage).where(SmsMessage.phone == phone_of(owner_key),
                                        SmsMessage.purpose == "consent")
    return db.session.scalars(query.order_by(SmsMessage.id)).all()


def _check_owner_sms(message, code):
    from portal.core.registries import registries

    person = registries().person(iin("one_owner_applicant"))
    assert message.sender == "1414" and code_in(message) == code
    assert person.surname not in message.body  # the applicant's name is masked
    assert person.given_name[0] in message.body and "59" in message.body
    assert "/c/" in message.body and sms_texts.parts(message.body) <= 3


def test_owner_sms_from_1414_says_what_is_asked_in_the_applicants_language(seeded, client):
    client.set_cookie("lang", "ru")
    submit_with_consent(client)
    [ru] = owner_messages()  # one SMS: the applicant applied in Russian
    code = code_in(ru)
    _check_owner_sms(ru, code)
    # how to answer by reply, the deadline in Almaty (11:00 + the hour), never tell the code
    assert f"Ответьте до 12:00: да — {code}, нет — НЕТ {code}" in ru.body
    assert "Код никому не сообщайте" in ru.body and "улица" in ru.body  # the address in ru


def test_owner_of_an_english_applicant_gets_kazakh_and_russian(seeded, client):
    client.set_cookie("lang", "en")
    submit_with_consent(client)
    kk, ru = owner_messages()
    code = code_in(kk)
    assert code_in(ru) == code and link_of(kk) == link_of(ru)
    for message in (kk, ru):
        _check_owner_sms(message, code)
    assert f"12:00 дейін жауап беріңіз: иә — {code}, жоқ — ЖОҚ {code}" in kk.body
    assert "Кодты ешкімге айтпаңыз" in kk.body and "көшесі" in kk.body
    assert f"да — {code}, нет — НЕТ {code}" in ru.body and "улица" in ru.body


def test_owner_agrees_by_the_link_and_the_person_is_registered(seeded, client, app):
    base = submit_with_consent(client)
    owner = app.test_client()  # another phone, not signed in
    message = owner_message()
    page = check_page(owner.get(f"{link_of(message)}?lang=en"))
    assert "Time left to answer: 60 min" in text_of(page)
    page = check_page(owner.post(f"{link_of(message)}?lang=en",
                                 data={"code": code_in(message), "decision": "agree"}))
    assert "You have agreed" in text_of(page)
    assert application_at(base).status == AppStatus.REGISTERED
    body = last_sms(phone_of("one_owner_applicant")).body  # in the language applied in (kk)
    assert "тіркеу жасалды" in body and " / " not in body


def test_owner_answering_twice_is_told_it_is_done(seeded, client, app):
    submit_with_consent(client)
    owner, message = app.test_client(), owner_message()
    owner.post(link_of(message), data={"code": code_in(message), "decision": "agree"})
    page = check_page(owner.post(f"{link_of(message)}?lang=en",
                                 data={"code": code_in(message), "decision": "refuse"}))
    assert "already been answered" in text_of(page)


def test_one_refusal_rejects_even_if_the_other_owner_agreed(seeded, client, app):
    base = submit_with_consent(client, "two_owners_applicant", "Қабанбай батыр 11 87")
    first, second = owner_message("co_owner_1"), owner_message("co_owner_2")
    owner = app.test_client()
    owner.post(link_of(first), data={"code": code_in(first), "decision": "agree"})
    assert application_at(base).status == AppStatus.AWAITING_CONSENT
    owner.post(link_of(second), data={"code": code_in(second), "decision": "refuse"})
    application = application_at(base)
    assert application.status == AppStatus.REJECTED and application.outcome == "owner_refused"
    page = check_page(client.get(f"{status_url(base, client)}?lang=en"))
    assert "The owner refused" in text_of(page)
    assert "қабылданбады" in last_sms(phone_of("two_owners_applicant")).body


def test_all_owners_must_confirm(seeded, client, app):
    base = submit_with_consent(client, "two_owners_applicant", "Қабанбай батыр 11 87")
    owner = app.test_client()
    for key in ("co_owner_1", "co_owner_2"):
        message = owner_message(key)
        owner.post(link_of(message), data={"code": code_in(message), "decision": "agree"})
    assert application_at(base).status == AppStatus.REGISTERED


@pytest.mark.parametrize("elapsed,alive", [(dt.timedelta(minutes=59, seconds=59), True),
                                           (dt.timedelta(minutes=60), False)])
def test_the_hour_is_enforced_when_read_without_any_job(seeded, client, app, clock, elapsed,
                                                        alive):
    base = submit_with_consent(client)
    message = owner_message()
    clock.advance(seconds=elapsed.total_seconds())
    owner = app.test_client()
    page = check_page(owner.post(f"{link_of(message)}?lang=en",
                                 data={"code": code_in(message), "decision": "agree"}))
    application = application_at(base)
    if alive:
        assert "You have agreed" in text_of(page)
        assert application.status == AppStatus.REGISTERED
    else:
        assert "has expired" in text_of(page)
        assert application.status == AppStatus.REJECTED
        assert application.outcome == "owner_too_late"


def test_status_page_alone_rejects_at_60_minutes(seeded, client, clock):
    base = submit_with_consent(client)
    clock.advance(minutes=60)
    page = check_page(client.get(f"{status_url(base, client)}?lang=en"))
    assert "did not confirm in time" in text_of(page)
    assert application_at(base).consents[0].status == ConsentStatus.EXPIRED


def test_the_job_closes_expired_applications_and_tells_the_applicant(seeded, client, runner,
                                                                       clock):
    base = submit_with_consent(client)
    clock.advance(minutes=61)
    result = runner.invoke(args=["jobs", "run"])
    assert result.exit_code == 0 and "applications closed: 1" in result.output
    assert application_at(base).status == AppStatus.REJECTED
    assert "қабылданбады" in last_sms(phone_of("one_owner_applicant")).body
    again = runner.invoke(args=["jobs", "run"])  # safe to run again
    assert "applications closed: 0" in again.output


def test_status_page_shows_countdown_masked_and_polls(seeded, client, app, clock):
    base = submit_with_consent(client)
    clock.advance(minutes=15)
    url = status_url(base, client)
    public = app.test_client()  # someone holding the QR code, not signed in
    page = check_page(public.get(f"{url}?lang=en"))
    text = text_of(page)
    assert "45 min 0 s left" in text
    from portal.core.registries import registries

    owner = registries().person(iin("single_owner"))
    assert owner.surname not in text and "Төле би" not in text  # no personal data
    assert page.select_one("#consents[data-hx-trigger='every 5s']")
    fragment = public.get(url, headers={"HX-Request": "true", "HX-Target": "consents"})
    assert "<html" not in fragment.get_data(as_text=True)
    applicant_view = text_of(check_page(client.get(f"{url}?lang=en")))
    assert registries().person(iin("one_owner_applicant")).surname in applicant_view


def test_owner_types_the_code_at_consent(seeded, client, app):
    base = submit_with_consent(client)
    owner, message = app.test_client(), owner_message()
    page = check_page(owner.post("/consent?lang=en", data={"code": code_in(message),
                                                           "iin": iin("single_owner")}))
    form = page.select_one("form[action^='/c/']")
    owner.post(form["action"], data={"code": code_in(message), "decision": "agree"})
    assert application_at(base).status == AppStatus.REGISTERED


def test_unknown_code_at_consent_is_explained(seeded, client, app):
    submit_with_consent(client)
    page = check_page(app.test_client().post("/consent?lang=en", data={
        "code": "000001", "iin": iin("single_owner")}))
    assert "found no request for this IIN and code" in text_of(page)


def test_signed_in_owner_answers_from_the_cabinet_without_a_code(seeded, client, app):
    base = submit_with_consent(client)
    owner = app.test_client()
    sign_in(owner, "single_owner")
    page = check_page(owner.get("/cabinet?lang=en"))
    link = page.select_one("a[href^='/c/']")["href"]
    page = check_page(owner.get(link))
    assert not page.select("input[name=code]")
    owner.post(link, data={"decision": "refuse"})
    assert application_at(base).status == AppStatus.REJECTED


def test_five_wrong_consent_codes_lock_the_link(seeded, client, app):
    base = submit_with_consent(client)
    owner, message = app.test_client(), owner_message()
    for _ in range(5):
        owner.post(link_of(message), data={"code": "000000", "decision": "agree"})
    page = check_page(owner.post(f"{link_of(message)}?lang=en",
                                 data={"code": code_in(message), "decision": "agree"}))
    assert "Too many wrong codes" in text_of(page)
    assert application_at(base).status == AppStatus.AWAITING_CONSENT


def test_tampered_tokens_are_not_found(seeded, client):
    base = submit_with_consent(client)
    token = application_at(base).status_token
    assert client.get(f"/s/{token}x").status_code == 404
    assert client.get("/c/not-a-token").status_code == 404
    assert client.get(f"/s/{token}x/qr.svg").status_code == 404


def test_qr_code_is_an_svg_of_the_full_status_url(seeded, client):
    import io

    import qrcode
    import qrcode.image.svg

    base = submit_with_consent(client)
    token = application_at(base).status_token
    response = client.get(f"/s/{token}/qr.svg")
    assert response.mimetype == "image/svg+xml"
    expected = io.BytesIO()
    qrcode.make(f"http://localhost/s/{token}", image_factory=qrcode.image.svg.SvgPathImage,
                box_size=10, border=2).save(expected)
    assert response.data == expected.getvalue()


# --- replies by SMS ----------------------------------------------------------------------------

def post_reply(client, text, msg_id="m1", phone=None, secret="test-inbound-secret"):
    return client.post("/sms/inbound", json={"id": msg_id, "from": phone or
                                             phone_of("single_owner"), "text": text},
                       headers={"X-Webhook-Secret": secret})


def test_sms_reply_with_the_code_confirms_once(seeded, client, app):
    base = submit_with_consent(client)
    code = code_in(owner_message())
    other = app.test_client()
    assert post_reply(other, code, secret="wrong").status_code == 403
    first = post_reply(other, code)
    assert first.json["outcome"] == "confirmed"
    assert application_at(base).status == AppStatus.REGISTERED
    repeat = post_reply(other, code)
    assert repeat.json["duplicate"] is True


@pytest.mark.parametrize("word", ["ЖОҚ", "НЕТ", "no", "Нет"])
def test_sms_reply_no_refuses(seeded, client, app, word):
    base = submit_with_consent(client)
    code = code_in(owner_message())
    assert post_reply(app.test_client(), f"{word} {code}").json["outcome"] == "refused"
    assert application_at(base).status == AppStatus.REJECTED


def test_sms_reply_from_another_phone_does_nothing(seeded, client, app):
    base = submit_with_consent(client)
    code = code_in(owner_message())
    reply = post_reply(app.test_client(), code, phone=phone_of("owner_self"))
    assert reply.json["outcome"] == "no_request"
    assert application_at(base).status == AppStatus.AWAITING_CONSENT


# --- a dead SMS provider -----------------------------------------------------------------------

class DeadProvider:
    def send(self, phone, sender, body):
        raise SmsSendError("provider unreachable")


def test_dead_provider_keeps_the_application_waiting_and_the_hour_starts_on_delivery(
        seeded, client, app, runner, clock):
    sign_in(client, "one_owner_applicant")
    base = fill_draft(client, iin("one_owner_applicant"), "Төле би 59 34")
    client.post(f"{base}/sign")
    code = code_in(last_sms(phone_of("one_owner_applicant")))
    working = app.extensions["sms_backend"]
    app.extensions["sms_backend"] = DeadProvider()
    assert client.post(f"{base}/submit", data={"code": code}).status_code == 303
    application = application_at(base)
    assert application.status == AppStatus.AWAITING_CONSENT
    assert owner_message().status == SmsStatus.QUEUED
    page = check_page(client.get(f"/s/{application.status_token}?lang=en"))
    assert "could not send the SMS yet" in text_of(page)
    clock.advance(minutes=90)  # longer than the hour: it has not started yet
    app.extensions["sms_backend"] = working
    assert runner.invoke(args=["jobs", "run"]).exit_code == 0
    assert owner_message().status == SmsStatus.SENT
    page = check_page(client.get(f"/s/{application.status_token}?lang=en"))
    assert "60 min 0 s left" in text_of(page)
    assert application_at(base).status == AppStatus.AWAITING_CONSENT


# --- no flooding an owner's phone -------------------------------------------------------------

def test_owner_phone_gets_at_most_three_requests_an_hour(seeded, app):
    # Four different people: one person cannot have two applications awaiting consent (rule 6).
    applicants = ("one_owner_applicant", "two_owners_applicant", "lease_outsider",
                  "incapable_owner_applicant")
    for attempt, key in enumerate(applicants):
        client = app.test_client()
        client.get("/?lang=en")  # the notice is written in the language of the request setting it
        sign_in(client, key)
        base = fill_draft(client, iin(key), "Төле би 59 34")
        response = sign_and_submit(client, base, key)
        if attempt < 3:
            assert application_at(base).status == AppStatus.AWAITING_CONSENT
    assert application_at(base).status == AppStatus.DRAFT  # kept, nothing lost
    page = check_page(client.get(f"{response.location}?lang=en"))
    assert "too many consent requests" in text_of(page)


def test_after_one_refusal_the_other_owner_is_told_nothing_is_needed(seeded, client, app):
    base = submit_with_consent(client, "two_owners_applicant", "Қабанбай батыр 11 87")
    first, second = owner_message("co_owner_1"), owner_message("co_owner_2")
    owner = app.test_client()
    owner.post(link_of(first), data={"code": code_in(first), "decision": "refuse"})
    page = check_page(owner.get(f"{link_of(second)}?lang=en"))
    assert "already been closed" in text_of(page)
    status = text_of(check_page(client.get(f"{status_url(base, client)}?lang=en")))
    assert "no answer needed any more" in status and "left" not in status
