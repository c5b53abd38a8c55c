"""Issue 6, the owner's side: codes bound to one request whichever way they come, counters and
caps that hold under parallel requests, the webhook on odd input, an owner who cannot be
reached, the hour from receipt, the person named, the hour on every read."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
import sqlalchemy as sa

from portal.core.models import (
    AppStatus,
    ConsentRequest,
    ConsentStatus,
    InboundSms,
    SmsMessage,
    SmsStatus,
    StatusEvent,
)
from portal.core.services import codes
from portal.core.sms.backends import SmsSendError
from portal.extensions import db
from portal.residence.services import consent as consents
from tests.support.threads import clone, run_together
from tests.web.helpers import (
    application_at,
    code_in,
    fill_draft,
    iin,
    last_sms,
    phone_of,
    sign_and_submit,
    sign_in,
    ward_iin,
)
from tests.web.pages import check_page, text_of
from tests.web.test_consent import link_of, owner_messages, post_reply, submit_with_consent

SECRET = {"X-Webhook-Secret": "test-inbound-secret"}


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def the_consent(base) -> ConsentRequest:
    return application_at(base).consents[0]



# --- 1. codes bound to the owner's request, one counter for every path -------------------------

def test_consent_page_asks_for_the_iin_and_a_right_code_alone_is_not_enough(seeded, client, app):
    base = submit_with_consent(client)
    code = code_in(owner_messages()[0])
    stranger = app.test_client()
    page = check_page(stranger.post("/consent?lang=en", data={"code": code}))
    assert "Enter your IIN" in text_of(page) and not page.select("form[action^='/c/']")
    page = check_page(stranger.post("/consent?lang=en", data={
        "code": code, "iin": iin("owner_self")}))  # someone else's IIN
    assert "found no request for this IIN and code" in text_of(page)
    assert application_at(base).status == AppStatus.AWAITING_CONSENT


def test_five_wrong_codes_at_consent_lock_the_owners_request_for_the_link_too(seeded, client,
                                                                              app):
    base = submit_with_consent(client)
    code, message = code_in(owner_messages()[0]), owner_messages()[0]
    guesser = app.test_client()
    for _ in range(5):
        guesser.post("/consent", data={"code": wrong(code), "iin": iin("single_owner")})
    assert the_consent(base).attempts == 5
    page = check_page(guesser.post("/consent?lang=en", data={
        "code": code, "iin": iin("single_owner")}))
    assert "can only be answered by signing in" in text_of(page)
    page = check_page(app.test_client().post(f"{link_of(message)}?lang=en",
                                             data={"code": code, "decision": "agree"}))
    assert "Too many wrong codes" in text_of(page)
    assert application_at(base).status == AppStatus.AWAITING_CONSENT


def test_consent_does_not_tell_whether_an_iin_has_a_waiting_request_after_the_tries(
        seeded, client, app):
    submit_with_consent(client)
    code = code_in(owner_messages()[0])
    guesser = app.test_client()
    for _ in range(5):
        guesser.post("/consent", data={"code": wrong(code), "iin": iin("single_owner")})

    def error(owner: str) -> str:
        page = check_page(guesser.post("/consent?lang=en", data={
            "code": wrong(code), "iin": iin(owner)}))
        return " ".join(p.get_text(" ", strip=True) for p in page.select("p.error"))

    assert error("single_owner") == error("owner_self")  # locked, and none at all
    assert "found no request" in error("single_owner")


def test_wrong_tries_by_link_consent_and_sms_share_one_counter(seeded, client, app):
    base = submit_with_consent(client)
    message = owner_messages()[0]
    code = code_in(message)
    other = app.test_client()
    for _ in range(2):
        other.post(link_of(message), data={"code": wrong(code), "decision": "agree"})
    for _ in range(2):
        other.post("/consent", data={"code": wrong(code), "iin": iin("single_owner")})
    assert post_reply(other, wrong(code), msg_id="w1").json["outcome"] == "locked"
    assert the_consent(base).attempts == 5
    assert post_reply(other, code, msg_id="r1").json["outcome"] == "locked"
    assert application_at(base).status == AppStatus.AWAITING_CONSENT


def test_wrong_sms_replies_lock_the_link(seeded, client, app):
    base = submit_with_consent(client)
    message = owner_messages()[0]
    code = code_in(message)
    other = app.test_client()
    outcomes = [post_reply(other, wrong(code), msg_id=f"w{i}").json["outcome"] for i in range(5)]
    assert outcomes == ["wrong_code"] * 4 + ["locked"]
    page = check_page(other.post(f"{link_of(message)}?lang=en",
                                 data={"code": code, "decision": "agree"}))
    assert "Too many wrong codes" in text_of(page)
    assert application_at(base).status == AppStatus.AWAITING_CONSENT


def test_link_lookups_are_rate_limited_also_by_get(seeded, client, app):
    submit_with_consent(client)
    scanner = app.test_client()
    answers = [scanner.get(f"/c/guess{i:04d}").status_code for i in range(31)]
    assert answers[:30] == [404] * 30 and answers[30] == 429


# --- 2. the owner link's counter under 30 parallel wrong codes ----------------------------------

def test_thirty_parallel_wrong_codes_check_at_most_five(seeded, client, app, monkeypatch):
    base = submit_with_consent(client)
    message = owner_messages()[0]
    code, link = code_in(message), link_of(message)
    checked, lock = [], threading.Lock()
    real = codes.codes_match

    def counting(*args):
        with lock:
            checked.append(1)
        return real(*args)

    monkeypatch.setattr(codes, "codes_match", counting)
    statuses = run_together(30, lambda i: app.test_client().post(
        link, data={"code": wrong(code), "decision": "agree"}).status_code)
    assert set(statuses) == {200}
    assert len(checked) <= 5
    assert the_consent(base).attempts == 5
    page = check_page(app.test_client().post(  # the owner, from their own phone's address
        f"{link}?lang=en", data={"code": code, "decision": "agree"},
        environ_base={"REMOTE_ADDR": "10.1.2.3"}))
    assert "Too many wrong codes" in text_of(page)
    assert application_at(base).status == AppStatus.AWAITING_CONSENT


# --- 3. the per-phone cap under 5 parallel submissions -----------------------------------------


def test_five_parallel_submissions_send_at_most_three_consent_requests(seeded, client, app):
    # Five different people (one person cannot have two applications awaiting consent: rule 6).
    people = ("one_owner_applicant", "two_owners_applicant", "lease_outsider",
              "incapable_owner_applicant", "minor_owner_applicant")
    signed, tabs = [], []
    for key in people:
        person = app.test_client()
        sign_in(person, key)
        base = fill_draft(person, iin(key), "Төле би 59 34")
        assert person.post(f"{base}/sign").status_code == 303
        signed.append((base, code_in(last_sms(phone_of(key)))))
        tabs.append(clone(app, person))
    statuses = run_together(5, lambda i: tabs[i].post(
        f"{signed[i][0]}/submit", data={"code": signed[i][1]}).status_code)
    assert set(statuses) == {303}
    states = sorted(application_at(base).status for base, _ in signed)
    assert states.count(AppStatus.AWAITING_CONSENT) == 3 and states.count(AppStatus.DRAFT) == 2
    asked = db.session.scalar(sa.select(sa.func.count(ConsentRequest.id)).where(
        ConsentRequest.owner_phone == phone_of("single_owner")))
    assert asked == 3


# --- 4. the SMS webhook on odd input ----------------------------------------------------------

@pytest.mark.parametrize("body", ["[1, 2]", "5", '"x"', "null", "{", "\xff\xfe"])
def test_webhook_refuses_a_body_that_is_not_an_object(seeded, client, body):
    response = client.post("/sms/inbound", data=body, content_type="application/json",
                           headers=SECRET)
    assert response.status_code == 400 and "JSON object" in response.json["error"]
    assert db.session.scalar(sa.select(sa.func.count(InboundSms.id))) == 0


def test_webhook_keeps_a_lone_surrogate_and_nul_as_replacement(seeded, client):
    submit_with_consent(client)
    raw = json.dumps({"id": "s1", "from": phone_of("single_owner"), "text": "\ud800x\u0000"})
    response = client.post("/sms/inbound", data=raw, content_type="application/json",
                           headers=SECRET)
    assert response.status_code == 200 and response.json["outcome"] == "not_understood"
    stored = db.session.scalar(sa.select(InboundSms).where(InboundSms.provider_id == "s1"))
    assert stored.body == "\ufffdx"


@pytest.mark.parametrize("payload,error", [
    ({"id": "x" * 129, "from": "+77051230403", "text": "1"}, "id is longer than 128"),
    ({"id": "a\ud800", "from": "+77051230403", "text": "1"}, "id has characters"),
    ({"id": "a", "from": "7" * 33, "text": "1"}, "from is longer than 32"),
    ({"id": "a", "from": ["+7"], "text": "1"}, "from must be a string"),
    ({"from": "+77051230403", "text": "1"}, "id is required"),
])
def test_webhook_refuses_bad_fields_clearly(seeded, client, payload, error):
    response = client.post("/sms/inbound", data=json.dumps(payload),
                           content_type="application/json", headers=SECRET)
    assert response.status_code == 400 and error in response.json["error"]


def test_webhook_truncates_an_over_long_text(seeded, client):
    response = post_reply(client, "Я" * 5000, msg_id="long")
    assert response.status_code == 200 and response.json["outcome"] == "not_understood"
    stored = db.session.scalar(sa.select(InboundSms).where(InboundSms.provider_id == "long"))
    assert len(stored.body) == 1600


def test_webhook_secret_with_odd_characters_is_refused_not_crashed(seeded, client):
    response = client.post("/sms/inbound", json={"id": "a", "from": "1", "text": ""},
                           headers={"X-Webhook-Secret": "сек\u0440ет"})
    assert response.status_code == 403


def test_same_reply_posted_ten_times_at_once_is_applied_once(seeded, client, app):
    base = submit_with_consent(client)
    code, phone = code_in(owner_messages()[0]), phone_of("single_owner")
    answers = run_together(10, lambda i: post_reply(app.test_client(), code, msg_id="same",
                                                    phone=phone))
    assert {a.status_code for a in answers} == {200}
    assert sum(1 for a in answers if not a.json.get("duplicate")) == 1
    assert next(a for a in answers if not a.json.get("duplicate")).json["outcome"] == "confirmed"
    assert db.session.scalar(sa.select(sa.func.count(InboundSms.id))) == 1
    application = application_at(base)
    assert application.status == AppStatus.REGISTERED
    registered = [e for e in application.events if e.status == AppStatus.REGISTERED]
    assert len(registered) == 1
    notices = db.session.scalars(sa.select(SmsMessage).where(
        SmsMessage.phone == phone_of("one_owner_applicant"),
        SmsMessage.purpose == "applicant_notice")).all()
    assert len(notices) == 1


# --- 5. an owner who cannot be reached; the job reaches every application -----------------------

class DeadProvider:
    def send(self, phone, sender, body):
        raise SmsSendError("provider unreachable")


def submit_with_dead_provider(client, app):
    working = app.extensions["sms_backend"]
    app.extensions["sms_backend"] = DeadProvider()
    base = submit_with_consent(client)
    app.extensions["sms_backend"] = working
    return base


def test_owner_sms_failing_for_good_rejects_and_tells_the_applicant(seeded, client, app, runner,
                                                                   clock):
    working = app.extensions["sms_backend"]
    base = submit_with_dead_provider(client, app)
    app.extensions["sms_backend"] = DeadProvider()
    for _ in range(30):  # retries with backoff until the SMS is given up
        clock.advance(minutes=3)
        assert runner.invoke(args=["jobs", "run"]).exit_code == 0
        if application_at(base).status != AppStatus.AWAITING_CONSENT:
            break
    app.extensions["sms_backend"] = working
    assert {m.status for m in owner_messages()} == {SmsStatus.FAILED}
    application = application_at(base)
    assert application.status == AppStatus.REJECTED
    assert application.outcome == "owner_not_reached"
    assert application.closed_at - application.submitted_at < consents.OWNER_SMS_GIVE_UP
    runner.invoke(args=["jobs", "run"])  # the notice goes out at the next run if not at once
    notice = last_sms(phone_of("one_owner_applicant"))
    assert "меншік иесіне SMS жеткізілмеді" in notice.body  # the language applied in
    assert "меншік иесіне SMS жеткізілмеді" in notice.body
    page = check_page(client.get(f"/s/{application.status_token}?lang=en"))
    assert "could not be delivered" in text_of(page)


@pytest.mark.parametrize("elapsed,closed", [(dt.timedelta(hours=2, seconds=-1), False),
                                            (dt.timedelta(hours=2), True)])
def test_an_sms_never_sent_closes_the_application_at_the_bound(seeded, client, app, clock,
                                                               elapsed, closed):
    base = submit_with_dead_provider(client, app)  # no job runs: the SMS stays queued
    submitted = application_at(base).submitted_at
    clock.advance(seconds=elapsed.total_seconds())
    page = check_page(client.get(f"/s/{application_at(base).status_token}?lang=en"))
    application = application_at(base)
    if closed:
        assert application.outcome == "owner_not_reached"
        assert application.closed_at == submitted + consents.OWNER_SMS_GIVE_UP
        assert {m.status for m in owner_messages()} == {SmsStatus.FAILED}  # never sent late
        assert "could not be delivered" in text_of(page)
    else:
        assert application.status == AppStatus.AWAITING_CONSENT


def test_the_job_reaches_due_applications_behind_stuck_ones(seeded, client, app, clock):
    # Three people (one person cannot have two applications awaiting consent: rule 6).
    bases = []
    for dead, key in ((True, "one_owner_applicant"), (True, "two_owners_applicant"),
                      (False, "lease_outsider")):
        client = app.test_client()
        sign_in(client, key)
        working = app.extensions["sms_backend"]
        if dead:
            app.extensions["sms_backend"] = DeadProvider()
        base = fill_draft(client, iin(key), "Төле би 59 34")
        sign_and_submit(client, base, key)
        app.extensions["sms_backend"] = working
        bases.append(base)
    assert [application_at(b).status for b in bases] == [AppStatus.AWAITING_CONSENT] * 3
    clock.advance(minutes=61)
    assert consents.expire_due(batch=1) == 1  # batches of one: the stuck two come first
    assert [application_at(b).status for b in bases] == [
        AppStatus.AWAITING_CONSENT, AppStatus.AWAITING_CONSENT, AppStatus.REJECTED]


def test_a_late_retry_prints_a_deadline_counted_from_its_sending(seeded, client, app, runner,
                                                                  clock):
    base = submit_with_dead_provider(client, app)  # 11:00 in Almaty
    clock.advance(minutes=30)
    assert runner.invoke(args=["jobs", "run"]).exit_code == 0
    [message] = owner_messages()  # the applicant's language: one SMS
    assert message.status == SmsStatus.SENT
    assert "12:30 дейін" in message.body  # 11:30 + the hour
    assert the_consent(base).expires_at == clock.now() + dt.timedelta(minutes=60)


# --- 6. the hour runs from receipt (delivery report) -------------------------------------------

def report(client, message, at, secret=SECRET):
    return client.post("/sms/status", json={"id": message.provider_ref, "status": "delivered",
                                            "delivered_at": at.isoformat()}, headers=secret)


@pytest.mark.parametrize("elapsed,alive", [(dt.timedelta(minutes=59, seconds=59), True),
                                           (dt.timedelta(minutes=60), False)])
def test_the_hour_counts_from_the_delivery_report(seeded, client, app, clock, elapsed, alive):
    base = submit_with_consent(client)
    accepted = clock.now()
    delivered = accepted + dt.timedelta(minutes=3)
    clock.advance(minutes=4)
    provider = app.test_client()
    for message in owner_messages():
        assert report(provider, message, delivered).json["outcome"] == "delivered"
    assert report(provider, owner_messages()[0], delivered + dt.timedelta(minutes=5)).json[
        "delivered_at"] == delivered.isoformat()  # a repeated report changes nothing
    assert the_consent(base).expires_at == delivered + dt.timedelta(minutes=60)
    message = owner_messages()[0]
    page = check_page(app.test_client().get(f"{link_of(message)}?lang=en"))
    assert "counts from when the SMS reached your phone" in text_of(page)
    clock.set(delivered + elapsed)
    application_state = check_page(client.get(
        f"/s/{application_at(base).status_token}?lang=en"))
    consent = the_consent(base)
    if alive:
        assert consent.status == ConsentStatus.WAITING
        assert "0 min 1 s left" in text_of(application_state)
    else:
        assert consent.status == ConsentStatus.EXPIRED
        assert application_at(base).closed_at == delivered + dt.timedelta(minutes=60)


def test_without_a_report_the_hour_counts_from_acceptance_and_the_page_says_so(seeded, client,
                                                                             app):
    base = submit_with_consent(client)
    assert the_consent(base).expires_at == owner_messages()[0].sent_at + dt.timedelta(hours=1)
    page = check_page(app.test_client().get(f"{link_of(owner_messages()[0])}?lang=en"))
    assert "counts from when the operator accepted the SMS" in text_of(page)
    status = text_of(check_page(client.get(f"/s/{application_at(base).status_token}?lang=en")))
    assert "without a delivery report, from when the operator accepted it" in status


@pytest.mark.parametrize("payload", [[1], {"id": "x", "status": "delivered"},
                                     {"id": "x", "status": "delivered",
                                      "delivered_at": "2026-11-23T06:00:00"}])
def test_delivery_report_refuses_odd_input(seeded, client, payload):
    response = client.post("/sms/status", json=payload, headers=SECRET)
    assert response.status_code == 400


def test_delivery_report_needs_the_secret_and_unknown_ids_are_harmless(seeded, client):
    payload = {"id": "nope", "status": "delivered", "delivered_at": "2026-11-23T06:00:00+00:00"}
    assert client.post("/sms/status", json=payload).status_code == 403
    response = client.post("/sms/status", json=payload, headers=SECRET)
    assert response.status_code == 200 and response.json["outcome"] == "unknown_message"


# --- 7. the owner is told who will be registered ----------------------------------------------

def test_owner_sms_and_page_name_the_person_as_well_as_the_applicant(seeded, client, app):
    sign_in(client, "parent_of_teen")
    teen = ward_iin("parent_of_teen", "Ерасыл")
    base = fill_draft(client, teen, "Төле би 59 34")
    assert sign_and_submit(client, base, "parent_of_teen").status_code == 303
    [kk] = owner_messages()  # the parent applied in Kazakh
    # the parent Қайрат Байжанов and the teen Ерасыл Байжанов, both masked, no case ending
    # needed on a masked name: "who asks: whom, where"
    assert "Қ***** Б. тіркеуге келісім сұрайды: Е***** Б., " in kk.body
    page = text_of(check_page(app.test_client().get(f"{link_of(kk)}?lang=en")))
    assert "Қ***** Б. asks for your consent to register Е***** Б. at your address" in page
    assert "Байжанов" not in page


# --- 8. the hour on every read, and the decision time is the deadline -----------------------------

@pytest.mark.parametrize("elapsed,over", [(dt.timedelta(minutes=59, seconds=59), False),
                                          (dt.timedelta(minutes=60), True),
                                          (dt.timedelta(minutes=60, seconds=1), True)])
def test_cabinets_show_the_real_state_at_the_hour(seeded, client, app, clock, elapsed, over):
    base = submit_with_consent(client)
    deadline = the_consent(base).expires_at
    clock.set(deadline - dt.timedelta(minutes=60) + elapsed)
    owner = app.test_client()
    sign_in(owner, "single_owner")
    sign_in(client, "one_owner_applicant")  # a session idle for 30 minutes has ended
    owner_page = text_of(check_page(owner.get("/cabinet?lang=en")))
    applicant_page = check_page(client.get("/cabinet?lang=en"))
    history = text_of(applicant_page.select_one("#sent-h").parent)
    if over:
        assert "Your consent is asked" not in owner_page
        assert "Rejected" in history and "Waiting" not in history
        application = application_at(base)
        assert application.closed_at == deadline  # not whenever someone first looked
        event = db.session.scalars(sa.select(StatusEvent).where(
            StatusEvent.application_id == application.id,
            StatusEvent.status == AppStatus.REJECTED)).one()
        assert event.at == deadline
    else:
        assert "Your consent is asked" in owner_page
        assert "Rejected" not in history


def test_the_job_records_the_deadline_not_the_run_time(seeded, client, runner, clock):
    base = submit_with_consent(client)
    deadline = the_consent(base).expires_at
    clock.advance(hours=5)
    runner.invoke(args=["jobs", "run"])
    assert application_at(base).closed_at == deadline
