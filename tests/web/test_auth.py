"""Citizen sign-in with a one-time SMS code (issue: Foundation)."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import OneTimeCode
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
    for left in (4, 3, 2, 1):
        page = check_page(client.post("/sign-in/code?lang=en", data={"code": wrong}))
        assert f"Tries left: {left}" in text_of(page)
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
    assert "Tries left: 1" in text_of(page)


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


def test_codes_per_phone_are_limited(seeded, client, clock):
    for _ in range(5):
        assert client.post("/sign-in", data={"iin": iin("owner_self")}).status_code == 303
        clock.advance(seconds=61)
    page = check_page(client.post("/sign-in?lang=en", data={"iin": iin("owner_self")}))
    assert "Too many codes" in text_of(page)


def test_sign_in_posts_are_rate_limited_per_iin(seeded, client, clock):
    statuses = []
    for _ in range(11):
        statuses.append(client.post("/sign-in", data={"iin": iin("owner_self")}).status_code)
        clock.advance(seconds=61)
    assert statuses[-1] == 429
    page = check_page(client.get("/sign-in"))  # the page itself still works
    assert page


def test_an_open_redirect_is_not_followed(seeded, client):
    client.get("/cabinet")  # remembers /cabinet as the target
    with client.session_transaction() as session:
        session["next"] = "//evil.example/"
    sign_in(client, "owner_self")


def test_a_dead_sms_provider_is_told_and_the_code_is_retried(seeded, client, app, runner, clock):
    from portal.sms.backends import SmsSendError

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
