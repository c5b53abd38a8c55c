"""WTForms checks every choice (portal.core.forms), on the real pages: an answer that was not
offered (a tampered form, a stale page) is refused in the page's language and changes nothing;
a form sent with nothing chosen says the field's own "Choose …", never "Not a valid choice"."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext

from portal.core.models import Application
from portal.extensions import db
from tests.support import builders
from tests.web.helpers import address_id, iin, new_draft, sign_in
from tests.web.office_helpers import make_staff, staff_sign_in
from tests.web.pages import check_page, text_of

pytestmark = pytest.mark.usefixtures("seeded")

NOT_A_CHOICE = "Choose one of the options offered"
WTFORMS_WORDS = ("Not a valid choice", "Invalid Choice", "could not coerce")


def said(app, lang: str, msgid: str) -> str:
    """`msgid` as the page in `lang` says it (and it is translated: else the test proves
    nothing about the language)."""
    with app.test_request_context(f"/?lang={lang}"), force_locale(lang):
        text = gettext(msgid)
    assert lang == "en" or text != msgid, (lang, msgid)
    return text


def fresh(application: Application) -> Application:
    db.session.expire_all()
    return db.session.get(Application, application.id)


def _error(response, lang: str) -> str:
    page = check_page(response, lang)
    shown = text_of(page)
    assert not [w for w in WTFORMS_WORDS if w in shown], shown
    return shown


# --- residence -------------------------------------------------------------------------------

def test_residence_who_with_nothing_chosen_says_choose_who(app, client):
    sign_in(client, "owner_self")
    base = new_draft(client)
    shown = _error(client.post(f"{base}/who?lang=kk", data={}), "kk")
    assert said(app, "kk", "Choose who will be registered") in shown
    assert said(app, "kk", "Choose a person from the list") not in shown


def test_residence_who_refuses_a_person_not_offered_and_keeps_the_answer(app, client):
    draft = builders.residence_draft(iin("owner_self"), "Абай 150 12")
    sign_in(client, "owner_self")
    response = client.post(builders.residence_url(draft, "who?lang=ru"),
                           data={"person": iin("guardian")})
    assert said(app, "ru", "Choose a person from the list") in _error(response, "ru")
    assert fresh(draft).subject_iin == iin("owner_self")


@pytest.mark.parametrize("sent", ["other address", "not a number"])
def test_residence_address_refuses_one_not_found_by_the_search_and_keeps_the_answer(
        app, client, sent):
    draft = builders.residence_draft(iin("owner_self"), "Абай 150 12")
    before = fresh(draft).address_id
    sign_in(client, "owner_self")
    posted = str(address_id("Төле би 59 34")) if sent == "other address" else "12a"
    response = client.post(builders.residence_url(draft, "address"),
                           query_string={"q": "Абай 150 12", "lang": "kk"},
                           data={"address_id": posted})
    assert said(app, "kk", "Choose an address from the list") in _error(response, "kk")
    assert fresh(draft).address_id == before


# --- housing ---------------------------------------------------------------------------------

def test_housing_settlement_with_nothing_chosen_says_choose_a_settlement(app, client):
    draft = builders.housing_draft(iin("no_housing"))
    sign_in(client, "no_housing")
    response = client.post(f"/housing/{draft.id}/settlement?lang=kk", data={})
    shown = _error(response, "kk")
    assert said(app, "kk", "Choose a settlement") in shown
    assert said(app, "kk", NOT_A_CHOICE) not in shown


def test_housing_settlement_refuses_one_not_offered_and_keeps_the_answer(app, client):
    draft = builders.housing_draft(iin("no_housing"))
    before = (fresh(draft).data or {}).get("settlement")
    sign_in(client, "no_housing")
    response = client.post(f"/housing/{draft.id}/settlement?lang=ru",
                           data={"settlement": "baikonur"})
    assert said(app, "ru", NOT_A_CHOICE) in _error(response, "ru")
    assert (fresh(draft).data or {}).get("settlement") == before


def test_housing_category_refuses_one_not_offered_in_its_own_words(app, client):
    draft = builders.housing_draft(iin("no_housing"))
    before = dict(fresh(draft).data)
    sign_in(client, "no_housing")
    response = client.post(f"/housing/{draft.id}/category?lang=kk",
                           data={"category": "astronauts"})
    assert said(app, "kk", "Choose a category or “None”") in _error(response, "kk")
    assert fresh(draft).data == before


def test_a_complaint_to_a_body_not_offered_is_refused_and_not_registered(app, client):
    staff = make_staff(settlements=("astana",))
    refused = builders.housing_refused_after_hearing(iin("sold_recently"), staff,
                                                     settlement="astana")
    sign_in(client, "sold_recently")
    response = client.post(f"/housing/{refused.id}/complaint?lang=ru", data={
        "subject": "decision", "body": "the_president", "text": "Please look again."})
    assert said(app, "ru", NOT_A_CHOICE) in _error(response, "ru")
    assert not (fresh(refused).data or {}).get("complaints")


# --- the office ------------------------------------------------------------------------------

def test_the_office_refuses_a_file_not_among_the_objection_files(app, client):
    make_staff(settlements=("astana",))
    application = builders.housing_at_preliminary_refusal(iin("sold_recently"),
                                                          settlement="astana")
    app.config["CLOCK"].set(builders.housing_after.hearing_moment(application.data))
    staff_sign_in(client)
    response = client.post(f"/office/applications/{application.id}/hearing?lang=kk", data={
        "outcome": "registered", "participants": "The applicant", "files_read": ["999"]})
    assert response.status_code == 422
    assert said(app, "kk", "Choose the files from the list.") in _error(response, "kk")
    assert fresh(application).status == application.status


def test_the_work_list_says_a_filter_not_offered_and_filters_nothing(app, client):
    make_staff(settlements=("karaganda",))
    waiting = builders.housing_under_review(iin("emergency"))
    staff_sign_in(client)
    plain = check_page(client.get("/office/?lang=ru"))  # no filter chosen: everything, no error
    assert waiting.number in text_of(plain) and not plain.select(".error, [aria-invalid]")
    response = client.get("/office/", query_string={"lang": "ru", "kind": "bribe"})
    shown = _error(response, "ru")
    assert said(app, "ru", NOT_A_CHOICE) in shown
    assert waiting.number in shown  # an unknown kind would have filtered everything out
