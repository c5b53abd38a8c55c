"""The one code page (templates/signing/code.html + portal.core.signing_forms + signing_texts) in a
tiny blueprint: it passes the page checks in three languages, says how long the code lives from
the setting (not a number written in the text), shows a wrong code's tries left, and offers
only "start again" once the code is locked. The owner's consent pages (/c/<token>, /consent) are
that same page, and the owner reads its messages."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from flask import Blueprint, redirect, request, session, template_rendered, url_for
from flask_babel import lazy_gettext as _l

from portal.core.models import OneTimeCode, SmsMessage
from portal.core.services import signing
from portal.core.services.errors import Refused
from portal.core.signing_forms import CodeForm, CodePage
from portal.core.signing_texts import check_refusal, send_refusal
from portal.core.web import render_page
from portal.domain.phones import mask_phone
from portal.extensions import db

from .helpers import code_in, iin
from .pages import LANGS, check_page, parse, text_of
from .test_consent import link_of, owner_message, submit_with_consent

PHONE = "+77011234567"
IIN = "850314301209"


def make_blueprint() -> Blueprint:
    bp = Blueprint("codetoy", __name__)

    def page(row, form):
        code_page = CodePage(
            title=_l("Enter the code"), submit_label=_l("Sign in"),
            action=url_for("codetoy.enter"), resend_action=url_for("codetoy.resend"),
            back_url=url_for("main.home"), back_label=_l("Use another IIN"),
            restart_url=url_for("main.home"), state=signing.state_of(row))
        return render_page("signing/code.html", page=code_page, form=form)

    def pending():
        return db.session.get(OneTimeCode, session["toy_code"])

    @bp.route("/code-toy", methods=["GET", "POST"])
    def enter():
        if "toy_code" not in session:
            session["toy_code"] = signing.send("toy", IIN, PHONE, "code {code}").id
            return redirect(url_for("codetoy.enter"))
        row, form = pending(), CodeForm()
        if form.validate_on_submit():
            try:
                signing.check_code(row, form.code.data, request.remote_addr)
            except signing.CodeRejected as refused:
                form.code.errors.append(check_refusal(refused))
            else:
                return redirect(url_for("main.home"), 303)
        return page(row, form)

    @bp.route("/code-toy/resend", methods=["POST"])
    def resend():
        try:
            signing.resend(pending(), "code {code}")
        except signing.CodeRejected as refused:
            return send_refusal(refused), 429
        return redirect(url_for("codetoy.enter"), 303)

    return bp


@pytest.fixture
def toy(app):
    app.register_blueprint(make_blueprint())
    return app


def open_page(client, lang="en"):
    client.get("/code-toy")
    return client.get(f"/code-toy?lang={lang}")


def sent_code() -> str:
    body = db.session.scalars(sa.select(SmsMessage.body).order_by(SmsMessage.id.desc())).first()
    return re.search(r"\d{6}", body).group(0)


@pytest.mark.parametrize("lang", LANGS)
def test_the_code_page_in_every_language(toy, lang):
    response = open_page(toy.test_client(), lang)
    assert response.status_code == 200
    page = check_page(response, lang)
    assert page.select_one("input#code")["autocomplete"] == "one-time-code"
    assert mask_phone(PHONE) in text_of(page) and PHONE not in text_of(page)


def test_the_lifetime_comes_from_the_setting(toy):
    client = toy.test_client()
    assert "It is valid for 5 minutes." in text_of(parse(open_page(client)))
    toy.config["SIGN_IN_CODE_MINUTES"] = 1
    assert "It is valid for 1 minute." in text_of(parse(client.get("/code-toy?lang=en")))


def test_a_wrong_code_shows_the_tries_left_and_a_right_one_passes(toy):
    client = toy.test_client()
    open_page(client)
    code = sent_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    page = check_page(client.post("/code-toy?lang=en", data={"code": wrong}))
    assert "The code is wrong. Tries left: 4." in page.select_one(".error-summary").get_text()
    assert page.select_one("#code-error")
    assert client.post("/code-toy", data={"code": code}).status_code == 303


def test_a_locked_code_offers_only_to_start_again(toy, clock):
    client = toy.test_client()
    open_page(client)
    wrong = f"{(int(sent_code()) + 1) % 10**6:06d}"
    for _ in range(5):
        response = client.post("/code-toy?lang=en", data={"code": wrong})
    page = check_page(response)
    assert page.select_one("input#code") is None
    assert "no longer works" in page.select_one(".notice.warning").get_text()
    assert page.select_one("a.button")["href"] == "/"


def test_resend_in_the_cooldown_says_how_long_to_wait(toy, clock):
    client = toy.test_client()
    open_page(client)
    clock.advance(seconds=20)
    response = client.post("/code-toy/resend?lang=en")
    assert response.status_code == 429
    assert response.get_data(as_text=True) == "You can ask for a new code in 40 seconds."


# --- the owner's consent is the same page --------------------------------------------------------

def pages_rendered(app, client, method, url, **kwargs):
    """The response and the templates Flask rendered for it (includes are not counted)."""
    rendered = []

    def record(sender, template, context, **_extra):
        rendered.append(template.name)

    with template_rendered.connected_to(record, app):
        response = getattr(client, method)(url, **kwargs)
    return response, rendered


def code_form(page):
    """The shared page's form: posted with a one-time code, buttons off while it is sent."""
    form = page.select_one("main form[data-hx-disabled-elt='find button']")
    return form, form.select_one("input#code.code[autocomplete=one-time-code][inputmode=numeric]")


def test_the_consent_pages_are_the_code_page_of_sign_in(seeded, client, app):
    submit_with_consent(client)
    message = owner_message()
    sign_in_client = app.test_client()
    sign_in_client.post("/sign-in", data={"iin": iin("owner_self")})
    owner = app.test_client()
    visits = {
        "sign-in": (sign_in_client, "get", "/sign-in/code?lang=en", {}),
        "link": (owner, "get", f"{link_of(message)}?lang=en", {}),
        "enter": (owner, "get", "/consent?lang=en", {}),
        "enter, right code": (owner, "post", "/consent?lang=en", {"data": {
            "iin": iin("single_owner"), "code": code_in(message)}}),
    }
    pages = {}
    for name, (who, method, url, kwargs) in visits.items():
        response, rendered = pages_rendered(app, who, method, url, **kwargs)
        assert rendered == ["signing/code.html"], name
        pages[name] = check_page(response, "en")
        form, code = code_form(pages[name])
        assert code is not None and form.select("button"), name
    # What consent sets on the page: the code's label, Agree / Refuse, the IIN; no new code.
    for name in ("link", "enter, right code"):
        form, code = code_form(pages[name])
        assert pages[name].select_one("label[for=code]").get_text() == "Code from the 1414 SMS"
        assert [(b["name"], b["value"]) for b in form.select("button")] == [
            ("decision", "agree"), ("decision", "refuse")]
        assert form["action"] == link_of(message)
        assert "Send a new code" not in text_of(pages[name])
    assert code_in(message) == code_form(pages["enter, right code"])[1]["value"]  # kept
    form, _code = code_form(pages["enter"])
    assert form.select_one("input#iin[autocomplete=off]") and form["action"] == "/consent"
    assert "Send a new code" in text_of(pages["sign-in"])
    assert pages["sign-in"].select_one("label[for=code]").get_text() == "Code from the SMS"


def test_the_owner_reads_the_shared_wrong_code_message(seeded, client, app):
    submit_with_consent(client)
    message, owner = owner_message(), app.test_client()
    wrong = f"{(int(code_in(message)) + 1) % 10**6:06d}"
    expected = {"kk": "Код қате. Қалған әрекет саны: 4.",
                "ru": "Неверный код. Осталось попыток: 3.",
                "en": "The code is wrong. Tries left: 2."}  # each wrong try counts
    for lang, text in expected.items():
        page = check_page(owner.post(f"{link_of(message)}?lang={lang}",
                                     data={"code": wrong, "decision": "agree"}), lang)
        left = int(text.rstrip(".").rsplit(" ", 1)[1])
        with app.test_request_context(f"/?lang={lang}"):
            assert check_refusal(Refused("wrong", attempts_left=left)) == text  # the shared one
        assert page.select_one("#code-error").get_text(" ", strip=True).endswith(text)
        assert text in page.select_one(".error-summary").get_text()


def test_the_owners_problems_are_listed_in_the_order_of_the_fields(seeded, client):
    """/consent asks for the IIN, then the code: the error summary says so in that order."""
    page = BeautifulSoup(client.post("/consent?lang=en", data={"iin": "", "code": "12"})
                         .get_data(as_text=True), "html.parser")
    links = [a["href"] for a in page.select(".error-summary a")]
    assert links == ["#iin", "#code"]
