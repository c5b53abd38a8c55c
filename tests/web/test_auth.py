"""Citizen sign-in with a one-time SMS code (issue: Foundation)."""

from __future__ import annotations

import pytest

from portal.core.models import OneTimeCode
from portal.extensions import db
from tests.web.helpers import code_in, iin, last_sms, phone_of, sign_in
from tests.web.pages import LANGS, check_page, text_of


@pytest.mark.parametrize("lang", LANGS)
def test_sign_in_page_in_every_language(seeded, client, lang):
    page = check_page(client.get(f"/sign-in?lang={lang}"), lang)
    assert page.select_one('label[for="iin"]')


def test_invalid_iin_gets_summary_and_inline_error(seeded, client):
    response = client.post("/sign-in?lang=en", data={"iin": "123456789012"})
    page = check_page(response, "en")
    assert page.select_one(".error-summary a[href='#iin']")
    assert "valid IIN" in page.select_one("#iin-error").get_text()
    assert page.title.get_text().startswith("Error")


def test_unknown_iin_is_explained(seeded, client):
    import datetime as dt

    from portal.domain.iin import make

    unknown = make(dt.date(1990, 1, 1), "M", 4242)
    page = check_page(client.post("/sign-in?lang=en", data={"iin": unknown}))
    assert "could not find this IIN" in text_of(page)
    assert last_sms() is None


def test_no_phone_in_the_mobile_base_is_explained(seeded, client):
    page = check_page(client.post("/sign-in?lang=en", data={"iin": iin("no_phone")}))
    assert "No mobile number is linked" in text_of(page)
    assert "Public Service Centre" in text_of(page)


def test_sign_in_shows_only_a_masked_phone_and_stores_the_code_hashed(seeded, client):
    response = client.post("/sign-in?lang=en", data={"iin": iin("owner_self")})
    assert response.status_code == 303
    phone = phone_of("owner_self")
    page = check_page(client.get(response.location))
    assert phone not in text_of(page) and phone[-2:] in text_of(page)
    code = code_in(last_sms(phone))
    row = db.session.query(OneTimeCode).one()
    assert code not in row.code_hash and len(row.code_hash) == 64


def test_sign_in_and_out(seeded, client):
    sign_in(client, "owner_self")
    page = check_page(client.get("/cabinet?lang=en"))
    assert "My applications" in text_of(page)
    assert client.post("/sign-out").status_code == 303
    assert client.get("/cabinet").status_code == 302


def test_cabinet_needs_sign_in(seeded, client):
    response = client.get("/cabinet")
    assert response.status_code == 302 and "/sign-in" in response.location


def test_five_wrong_codes_lock_the_code(seeded, client):
    client.post("/sign-in", data={"iin": iin("owner_self")})
    right = code_in(last_sms(phone_of("owner_self")))
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for left in (4, 3, 2):
        page = check_page(client.post("/sign-in/code?lang=en", data={"code": wrong}))
        assert f"You have {left} tries left" in text_of(page)
    page = check_page(client.post("/sign-in/code?lang=en", data={"code": wrong}))
    assert "You have 1 try left" in text_of(page)
    page = check_page(client.post("/sign-in/code?lang=en", data={"code": wrong}))
    assert "no longer works" in text_of(page)
    response = client.post("/sign-in/code?lang=en", data={"code": right})
    assert response.status_code == 200  # the right code no longer signs in
    assert client.get("/cabinet").status_code == 302


def test_resend_does_not_reset_the_wrong_tries(seeded, client, clock):
    client.post("/sign-in", data={"iin": iin("owner_self")})
    for _ in range(3):
        client.post("/sign-in/code", data={"code": "000000"})
    clock.advance(seconds=61)
    assert client.post("/sign-in/resend").status_code == 303
    page = check_page(client.post("/sign-in/code?lang=en", data={"code": "000000"}))
    assert "You have 1 try left" in text_of(page)


def test_resend_waits_for_the_cooldown(seeded, client, clock):
    client.post("/sign-in", data={"iin": iin("owner_self")})
    first = last_sms().id
    client.post("/sign-in/resend")
    assert last_sms().id == first
    clock.advance(seconds=61)
    client.post("/sign-in/resend")
    assert last_sms().id != first


@pytest.mark.parametrize("seconds,accepted", [(299, True), (300, False)])
def test_code_lives_five_minutes(seeded, client, clock, seconds, accepted):
    client.post("/sign-in", data={"iin": iin("owner_self")})
    code = code_in(last_sms(phone_of("owner_self")))
    clock.advance(seconds=seconds)
    response = client.post("/sign-in/code?lang=en", data={"code": code})
    if accepted:
        assert response.status_code == 303
    else:
        assert "The code has expired" in text_of(check_page(response))


def test_codes_per_asking_session_are_limited_to_three_an_hour(seeded, client, clock):
    """Each code dies unused (5 minutes), so each sign-in sends a new one: the fourth one
    this session asks for in the hour is refused, and the wait is told in minutes (ngettext)."""
    for _ in range(3):
        assert client.post("/sign-in", data={"iin": iin("owner_self")}).status_code == 303
        clock.advance(minutes=5)
    page = check_page(client.post("/sign-in?lang=en", data={"iin": iin("owner_self")}))
    assert "Too many codes were sent to this phone. Try again in 45 minutes." in text_of(page)
    clock.advance(minutes=44, seconds=30)
    page = check_page(client.post("/sign-in?lang=en", data={"iin": iin("owner_self")}))
    assert "Try again in 1 minute." in text_of(page)
    clock.advance(seconds=30)  # an hour after the first code
    assert client.post("/sign-in", data={"iin": iin("owner_self")}).status_code == 303


def test_codes_per_person_are_limited_to_ten_an_hour_whoever_asks(seeded, app, clock):
    for n in range(10):
        asked = app.test_client().post("/sign-in", data={"iin": iin("owner_self")},
                                       environ_base={"REMOTE_ADDR": f"10.5.0.{n + 1}"})
        assert asked.status_code == 303, (n, text_of(check_page(asked)))
        clock.advance(minutes=5)
    eleventh = app.test_client().post("/sign-in?lang=en", data={"iin": iin("owner_self")},
                                      environ_base={"REMOTE_ADDR": "10.5.1.1"})
    assert "Too many codes were sent to this phone." in text_of(check_page(eleventh))
    assert _sms_count() == 10


def test_an_open_redirect_is_not_followed(seeded, client):
    client.get("/cabinet")  # remembers /cabinet as the target
    with client.session_transaction() as session:
        session["next"] = "//evil.example/"
    sign_in(client, "owner_self")


def test_a_dead_sms_provider_is_told_and_the_code_is_retried(seeded, client, app, runner, clock):
    from portal.core.sms.backends import SmsSendError

    class DeadProvider:
        def send(self, phone, sender, body):
            raise SmsSendError("provider unreachable")

    working = app.extensions["sms_backend"]
    app.extensions["sms_backend"] = DeadProvider()
    response = client.post("/sign-in?lang=en", data={"iin": iin("owner_self")})
    page = check_page(client.get(response.location))
    assert "trouble sending the SMS" in text_of(page)
    app.extensions["sms_backend"] = working
    clock.advance(seconds=31)
    assert "sms sent: 1" in runner.invoke(args=["jobs", "run"]).output
    code = code_in(last_sms(phone_of("owner_self")))
    assert client.post("/sign-in/code", data={"code": code}).status_code == 303


# --- Issue 6: a stranger who knows an IIN cannot lock its owner out; guessing stays hopeless --


def _sms_count() -> int:
    from portal.core.models import SmsMessage

    return db.session.query(SmsMessage).count()


def test_repeated_sign_ins_send_one_code_and_its_holder_gets_in(seeded, app, clock):
    stranger, owner = app.test_client(), app.test_client()
    for _ in range(5):  # "5 code requests in 0.2 s"
        assert stranger.post("/sign-in", data={"iin": iin("owner_self")}).status_code == 303
    assert _sms_count() == 1
    # The phone's holder types the IIN too: nothing new is sent, the code on the phone works.
    assert owner.post("/sign-in", data={"iin": iin("owner_self")}).status_code == 303
    assert _sms_count() == 1
    code = code_in(last_sms(phone_of("owner_self")))
    response = owner.post("/sign-in/code", data={"code": code})
    assert response.status_code == 303 and response.location.endswith("/cabinet")
    assert stranger.get("/cabinet").status_code == 302  # the stranger is not signed in


def test_a_code_killed_by_a_stranger_is_replaced_after_a_minute(seeded, app, clock):
    stranger, owner = app.test_client(), app.test_client()
    stranger.post("/sign-in", data={"iin": iin("owner_self")})
    right = code_in(last_sms(phone_of("owner_self")))
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for _ in range(5):
        stranger.post("/sign-in/code", data={"code": wrong})
    assert owner.post("/sign-in/code", data={"code": right}).status_code == 302  # no code yet
    clock.advance(seconds=59)
    page = check_page(owner.post("/sign-in?lang=en", data={"iin": iin("owner_self")}))
    assert "You can ask for a new code in 1 second." in text_of(page)
    clock.advance(seconds=1)  # 60 s after the killed code was sent
    assert owner.post("/sign-in", data={"iin": iin("owner_self")}).status_code == 303
    fresh = code_in(last_sms(phone_of("owner_self")))
    response = owner.post("/sign-in/code", data={"code": fresh})
    assert response.status_code == 303 and response.location.endswith("/cabinet")


def test_a_killed_code_can_be_replaced_from_the_code_page(seeded, client, clock):
    client.post("/sign-in", data={"iin": iin("owner_self")})
    for _ in range(5):
        client.post("/sign-in/code", data={"code": "000000"})
    clock.advance(seconds=60)
    assert client.post("/sign-in/resend").status_code == 303
    code = code_in(last_sms(phone_of("owner_self")))
    response = client.post("/sign-in/code", data={"code": code})
    assert response.status_code == 303 and response.location.endswith("/cabinet")


def test_guessing_from_one_address_gets_at_most_15_tries_an_hour(seeded, app, clock):
    """A guesser who kills code after code as fast as allowed gets 3 codes of 5 tries in an
    hour: 15 guesses against 1,000,000 codes, and never a sign-in."""
    guesser = app.test_client()
    codes_got = 0
    for _ in range(60):  # a try for a new code every minute for an hour
        if guesser.post("/sign-in", data={"iin": iin("owner_self")}).status_code == 303:
            codes_got += 1
            right = code_in(last_sms(phone_of("owner_self")))
            guesses = [f"{g:06d}" for g in range(7) if f"{g:06d}" != right][:6]
            for guess in guesses:  # one more than allowed
                guesser.post("/sign-in/code", data={"code": guess})
        clock.advance(seconds=60)
    rows = db.session.query(OneTimeCode).all()
    assert codes_got == 3 and len(rows) == 3
    assert [row.attempts for row in rows] == [5] * 3  # the sixth guess of each was not compared
    assert all(row.used_at is None for row in rows)
    assert guesser.get("/cabinet").status_code == 302


# --- Issue 6: per-address limits let a crowd in and stop probing ------------------------------


def _crowd(count: int) -> list[str]:
    """`count` people with phones, added to the population registry."""
    import datetime as dt

    from demo_registries.models import RegPerson
    from portal.domain.iin import make

    iins = []
    for n in range(count):
        number = make(dt.date(1980, 1, 1) + dt.timedelta(days=n), "M", 100)
        db.session.add(RegPerson(iin=number, surname="Crowd", given_name=f"N{n}", sex="M",
                                 birth_date=dt.date(1980, 1, 1) + dt.timedelta(days=n),
                                 phone=f"+7701{5550000 + n:07d}"))
        iins.append(number)
    db.session.commit()
    return iins


def test_a_crowd_of_fifty_behind_one_address_all_sign_in_within_a_minute(seeded, app):
    for number in _crowd(50):
        citizen = app.test_client()  # every client comes from 127.0.0.1
        assert citizen.post("/sign-in", data={"iin": number}).status_code == 303
        person_phone = phone_of(number)
        response = citizen.post("/sign-in/code", data={"code": code_in(last_sms(person_phone))})
        assert response.status_code == 303 and response.location.endswith("/cabinet")


def _unknown_iins(count: int) -> list[str]:
    import datetime as dt

    from portal.domain.iin import make

    return [make(dt.date(1950, 1, 1) + dt.timedelta(days=n), "F", 4200) for n in range(count)]


def test_bulk_probing_of_unknown_iins_is_stopped_without_stopping_the_crowd(seeded, app):
    prober = app.test_client()
    answers = [prober.post("/sign-in?lang=en", data={"iin": number})
               for number in _unknown_iins(21)]
    assert all("could not find this IIN" in text_of(check_page(a)) for a in answers[:20])
    assert answers[20].status_code == 429
    assert "could not find" not in answers[20].get_data(as_text=True)
    # Someone else behind the same address still signs in.
    sign_in(app.test_client(), "owner_self")


def test_one_address_cannot_ask_about_hundreds_of_iins(seeded, app):
    prober = app.test_client()
    people = _crowd(61)
    statuses = [prober.post("/sign-in", data={"iin": number}).status_code for number in people]
    assert statuses[:60] == [303] * 60 and statuses[60] == 429
    # An IIN already asked about in the hour is not a new one.
    assert prober.post("/sign-in", data={"iin": people[0]}).status_code == 303


def test_a_bound_code_is_typed_only_in_the_session_that_asked_for_it(seeded, app, clock):
    """Hardening item 6: after a kill, the holder's new code is bound to the holder's session;
    a stranger's session that somehow holds its id is led back to the start."""
    stranger, holder = app.test_client(), app.test_client()
    stranger.post("/sign-in", data={"iin": iin("owner_self")})
    for _ in range(5):
        stranger.post("/sign-in/code", data={"code": "000000"})
    assert holder.post("/sign-in", data={"iin": iin("owner_self")},
                       environ_base={"REMOTE_ADDR": "10.6.0.1"}).status_code == 303
    right = code_in(last_sms(phone_of("owner_self")))
    bound = db.session.query(OneTimeCode).order_by(OneTimeCode.id.desc()).first()
    assert bound.bound
    with stranger.session_transaction() as session:
        session["sign_in_code"] = bound.id
    answer = stranger.post("/sign-in/code", data={"code": right})
    assert answer.status_code == 302 and answer.location.endswith("/sign-in")
    db.session.refresh(bound)
    assert bound.attempts == 0 and bound.used_at is None
    signed = holder.post("/sign-in/code", data={"code": right},
                         environ_base={"REMOTE_ADDR": "10.6.0.1"})
    assert signed.status_code == 303 and signed.location.endswith("/cabinet")


@pytest.mark.parametrize("start", ["/residence/", "/housing/"])
def test_sign_in_to_start_lands_on_the_journey_chosen(seeded, client, start):
    from tests.web.pages import parse

    link = parse(client.get(f"{start}?lang=en")).select_one('main a.button[href^="/sign-in"]')
    client.get(link["href"])
    client.post("/sign-in", data={"iin": iin("owner_self")})
    code = code_in(last_sms(phone_of("owner_self")))
    response = client.post("/sign-in/code", data={"code": code})
    assert response.status_code == 303 and response.location == start


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil"])
def test_a_next_off_the_site_is_not_followed(seeded, client, target):
    client.get("/sign-in", query_string={"next": target})
    client.post("/sign-in", data={"iin": iin("owner_self")})
    code = code_in(last_sms(phone_of("owner_self")))
    response = client.post("/sign-in/code", data={"code": code})
    assert response.location == "/cabinet"
