"""Registration by place of residence, every branch (SPEC §1), through the web layer."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.core.models import Application, AppStatus, SmsMessage
from portal.core.registries import registries
from portal.extensions import db
from tests.web.helpers import (
    address_id,
    application_at,
    fill_draft,
    iin,
    last_sms,
    new_draft,
    phone_of,
    pick_address,
    sign_and_submit,
    sign_in,
    ward_iin,
)
from tests.web.pages import LANGS, check_page, parse, text_of


def path_page(client, key, subject, search):
    sign_in(client, key)
    base = new_draft(client)
    assert client.post(f"{base}/who", data={"person": subject}).status_code == 303
    assert pick_address(client, base, search).status_code == 303
    return base, check_page(client.get(f"{base}/path?lang=en"), "en")


# --- who -------------------------------------------------------------------------------------

def test_who_lists_only_people_the_registry_links(seeded, client):
    sign_in(client, "parent_of_teen")
    base = new_draft(client)
    page = check_page(client.get(f"{base}/who?lang=en"))
    names = [label.get_text(" ", strip=True) for label in page.select("#person label")]
    assert any("Myself" in n for n in names)
    assert any("Ерасыл" in n for n in names) and any("Аяулым" in n for n in names)
    assert len(names) == 1 + len(registries().relations(iin("parent_of_teen")))


@pytest.mark.parametrize("lang,words", [
    ("en", "not registered separately"),
    ("ru", "14"),
    ("kk", "14"),
])
def test_child_under_14_is_an_interruption_not_an_input_error_and_nothing_is_saved(
        seeded, client, lang, words):
    """The rule is the answer (GOV.UK "interruption card"): a heading, the reason, what to do
    instead; no "There is a problem", no red error text."""
    sign_in(client, "parent_of_child")
    base = new_draft(client)
    child = ward_iin("parent_of_child", "Алдияр")
    page = check_page(client.post(f"{base}/who?lang={lang}", data={"person": child}), lang)
    card = page.select_one(".interruption")
    assert words in card.h1.get_text() and "16" in card.get_text() and card.h2
    assert not page.select(".error, .error-summary, [aria-invalid], .steps")
    assert page.select_one(f"a.button[href$='{base}/who']")
    assert application_at(base).subject_iin is None


def test_child_over_16_applies_themself(seeded, client):
    sign_in(client, "parent_of_teen")
    base = new_draft(client)
    page = check_page(client.post(f"{base}/who?lang=en",
                                  data={"person": ward_iin("parent_of_teen", "Аяулым")}))
    assert "applies for themself" in text_of(page)


def test_a_teen_of_16_or_more_is_marked_as_applying_herself_and_can_sign_in(seeded, client,
                                                                            app):
    """README: Аяулым (17) applies herself. Her father's list says so (not "cannot be
    registered online"), and she has a phone in the mobile citizens' database to sign in."""
    sign_in(client, "parent_of_teen")
    base = new_draft(client)
    page = check_page(client.get(f"{base}/who?lang=en"))
    [label] = [lb.get_text(" ", strip=True) for lb in page.select("#person label")
               if "Аяулым" in lb.get_text()]
    assert "(applies for themself)" in label and "cannot be registered" not in label
    teen = app.test_client()
    assert teen.post("/sign-in", data={"iin": ward_iin("parent_of_teen", "Аяулым")}
                     ).status_code == 303  # a code is sent: she has a phone


def test_a_person_not_linked_cannot_be_chosen(seeded, client):
    sign_in(client, "owner_self")
    base = new_draft(client)
    page = check_page(client.post(f"{base}/who?lang=en", data={"person": iin("guardian")}))
    assert "Choose a person from the list" in text_of(page)


# --- address ---------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["Төле би 59", "толе би 59", "ТӨЛЕ БИ 59"])
def test_address_search_without_javascript(seeded, client, query):
    sign_in(client, "one_owner_applicant")
    base = new_draft(client)
    client.post(f"{base}/who", data={"person": iin("one_owner_applicant")})
    page = check_page(client.get(f"{base}/address", query_string={"q": query, "lang": "en"}))
    assert page.select("#results input[name=address_id]")


def test_address_search_answers_htmx_with_the_results_fragment_only(seeded, client):
    sign_in(client, "one_owner_applicant")
    base = new_draft(client)
    client.post(f"{base}/who", data={"person": iin("one_owner_applicant")})
    response = client.get(f"{base}/address", query_string={"q": "Төле би 59"},
                          headers={"HX-Request": "true", "HX-Target": "results"})
    body = response.get_data(as_text=True)
    assert "<html" not in body and 'id="results"' in body and "address_id" in body
    assert "HX-Target" in response.headers.get("Vary", "")
    boosted = client.get(f"{base}/address", query_string={"q": "Төле би 59"},
                         headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.get_data(as_text=True)  # a boosted page load gets the whole page


def test_address_step_without_a_choice_shows_the_error(seeded, client):
    sign_in(client, "one_owner_applicant")
    base = new_draft(client)
    client.post(f"{base}/who", data={"person": iin("one_owner_applicant")})
    page = check_page(client.post(f"{base}/address?q=Төле би 59&lang=en", data={}))
    assert page.select_one(".error-summary")


def test_steps_cannot_be_skipped(seeded, client):
    sign_in(client, "owner_self")
    base = new_draft(client)
    assert client.get(f"{base}/address").location.endswith(f"{base}/who")
    assert client.get(f"{base}/reason").status_code == 302
    assert client.get(f"{base}/check").status_code == 302


# --- the path each address takes -------------------------------------------------------------

def test_own_home_needs_no_consent(seeded, client):
    _, page = path_page(client, "owner_self", iin("owner_self"), "Абай 150 12")
    assert "No one else's consent is needed" in text_of(page)


def test_someone_elses_home_needs_the_owners_consent_with_masked_names(seeded, client):
    _, page = path_page(client, "one_owner_applicant", iin("one_owner_applicant"), "Төле би 59 34")
    owner = registries().person(iin("single_owner"))
    text = text_of(page)
    assert "within 1 hour" in text  # the hour from portal/domain/limits.py (issue 7)
    assert f"{owner.given_name[0]}{'*' * (len(owner.given_name) - 1)} {owner.surname[0]}." in text
    assert owner.given_name not in text and owner.surname not in text


def test_two_co_owners_both_listed(seeded, client):
    _, page = path_page(client, "two_owners_applicant", iin("two_owners_applicant"),
                        "Қабанбай батыр 11 87")
    assert len(page.select(".notice ul li")) == 2


def test_parent_registering_a_teen_needs_only_the_spouses_consent(seeded, client):
    _, page = path_page(client, "parent_of_teen", ward_iin("parent_of_teen", "Ерасыл"),
                        "Сәтпаев 30 45")
    assert len(page.select(".notice ul li")) == 1


@pytest.mark.parametrize("key,search", [
    ("minor_owner_applicant", "Тәуке хан 24 5"),
    ("incapable_owner_applicant", "Бұқар жырау 47 18"),
    ("unreachable_owner_applicant", "Республика 12 9"),
])
def test_offline_only_cases_stop_early_and_list_service_centres(seeded, client, key, search):
    base, page = path_page(client, key, iin(key), search)
    assert "Public Service Centre" in page.h1.get_text()
    assert page.select(".list li")  # the centres, with addresses and hours
    assert not page.select(f"form[action$='{base}/path']")
    assert client.post(f"{base}/path").status_code == 200  # cannot go on
    assert client.get(f"{base}/reason").status_code == 302


def test_state_rental_member_of_the_lease_is_allowed(seeded, client):
    _, page = path_page(client, "lease_member", iin("lease_member"), "Сарыарқа 31 104")
    assert "listed in the lease" in text_of(page)


def test_state_rental_outsider_is_refused_with_the_local_executive_body(seeded, client):
    base, page = path_page(client, "lease_outsider", iin("lease_outsider"), "Сарыарқа 31 104")
    dwelling = registries().dwelling(address_id("Сарыарқа 31 104"))
    assert "not listed in its lease" in text_of(page)
    assert dwelling.local_executive_body.phone in text_of(page)
    assert client.get(f"{base}/check").status_code == 302


# --- check, sign, submit ---------------------------------------------------------------------

def test_check_your_answers_has_change_links(seeded, client):
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    page = check_page(client.get(f"{base}/check?lang=en"))
    assert len(page.select("dl.summary a")) == 3
    change_who = page.select_one("dl.summary a")["href"]
    assert "return_to=check" in change_who
    response = client.post(change_who, data={"person": iin("owner_self")})
    assert response.location.endswith(f"{base}/check")


def test_own_home_is_registered_at_once_and_the_registry_changes(seeded, client):
    sign_in(client, "owner_self")
    before = registries().person(iin("owner_self")).registered_address_id
    target = address_id("Абай 150 12")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    response = sign_and_submit(client, base, "owner_self")
    assert response.location.endswith(f"{base}/done")
    application = application_at(base)
    assert application.status == AppStatus.REGISTERED and application.number
    assert registries().person(iin("owner_self")).registered_address_id == target
    history = registries().residence_history(iin("owner_self"))
    if before and before != target:
        assert len(history) >= 2
    assert "тіркеу жасалды" in last_sms(phone_of("owner_self")).body  # the request's language
    page = check_page(client.get(f"{base}/done?lang=en"))
    assert application.number in text_of(page)
    assert page.select_one("img.qr")["src"].endswith("/qr.svg")


def test_lease_member_is_registered_without_consent(seeded, client):
    sign_in(client, "lease_member")
    base = fill_draft(client, iin("lease_member"), "Сарыарқа 31 104")
    sign_and_submit(client, base, "lease_member")
    assert application_at(base).status == AppStatus.REGISTERED


def test_wrong_signing_code_keeps_the_draft(seeded, client):
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    client.post(f"{base}/sign")
    page = check_page(client.post(f"{base}/submit?lang=en", data={"code": "000000"}))
    assert "The code is wrong" in text_of(page) or "Tries left" in text_of(page)
    assert application_at(base).status == AppStatus.DRAFT


def test_double_submit_and_back_button_do_not_duplicate(seeded, client):
    sign_in(client, "one_owner_applicant")
    base = fill_draft(client, iin("one_owner_applicant"), "Төле би 59 34")
    client.post(f"{base}/sign")
    from tests.web.helpers import code_in

    code = code_in(last_sms(phone_of("one_owner_applicant")))
    first = client.post(f"{base}/submit", data={"code": code})
    second = client.post(f"{base}/submit", data={"code": code})
    assert first.location == second.location
    owner_sms = db.session.scalar(sa.select(sa.func.count(SmsMessage.id)).where(
        SmsMessage.purpose == "consent"))
    assert owner_sms == 1  # one request: one SMS, in the language the applicant applied in
    assert db.session.scalar(sa.select(sa.func.count(Application.id)).where(
        Application.number.is_not(None))) == 1
    back = client.get(f"{base}/who")
    assert back.status_code == 303 and "/s/" in back.location


def test_drafts_are_listed_resumed_and_deleted(seeded, client):
    sign_in(client, "owner_self")
    base = new_draft(client)
    client.post(f"{base}/who", data={"person": iin("owner_self")})
    page = check_page(client.get("/cabinet?lang=en"))
    assert page.select_one(f"a[href='{base}']")
    assert client.get(base).location.endswith(f"{base}/address")
    client.post(f"{base}/delete")
    assert client.get(base).status_code == 404


def test_another_citizen_cannot_open_my_draft(seeded, client, app):
    sign_in(client, "owner_self")
    base = new_draft(client)
    other = app.test_client()
    sign_in(other, "guardian")
    assert other.get(f"{base}/who").status_code == 404


def test_guardian_registers_a_ward(seeded, client):
    sign_in(client, "guardian")
    ward = registries().relations(iin("guardian"))[0].ward
    base = fill_draft(client, ward.iin, "Ерубаев 35 7")
    sign_and_submit(client, base, "guardian")
    assert application_at(base).status == AppStatus.REGISTERED


@pytest.mark.parametrize("lang", LANGS)
def test_journey_pages_in_every_language(seeded, client, lang):
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    for step in ("who", "address?q=Абай", "path", "reason", "check"):
        sep = "&" if "?" in step else "?"
        check_page(client.get(f"{base}/{step}{sep}lang={lang}"), lang)
    sign_and_submit(client, base, "owner_self")
    for url in (f"{base}/done", f"{base}/receipt"):
        check_page(client.get(f"{url}?lang={lang}"), lang)
    status = parse(client.get(f"{base}/done")).select_one("a.button")["href"]
    check_page(client.get(f"{status}?lang={lang}"), lang)


def test_an_unfinished_draft_cannot_be_signed(seeded, client):
    sign_in(client, "owner_self")
    base = new_draft(client)
    client.post(f"{base}/who", data={"person": iin("owner_self")})
    before = last_sms().id
    response = client.post(f"{base}/sign")
    assert response.location.endswith(f"{base}/address")  # the step where the draft stops
    assert last_sms().id == before  # no code sent
    assert client.post(f"{base}/submit", data={"code": "123456"}).status_code == 303
    assert application_at(base).status == AppStatus.DRAFT
