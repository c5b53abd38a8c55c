"""Every page the portal has, in every language, passes the HTML checks (one <h1>, a lang,
labels, unique ids, CSRF on POST forms). A new GET route fails here until it is listed."""

from __future__ import annotations

import re

import pytest

from tests.web.helpers import (
    application_at,
    fill_draft,
    iin,
    last_sms,
    new_draft,
    phone_of,
    sign_and_submit,
    sign_in,
    ward_iin,
)
from tests.web.housing_helpers import submit, walk
from tests.web.pages import LANGS, check_page

NOT_HTML = {"static", "main.healthz", "status.qr", "office.setup_qr", "kiosk.handoff_qr",
            "housing.qr", "housing.document", "office.document", "office.audit_export",
            "kiosk.speech_audio"}


def _housing_pages(app, client, tmp_path) -> dict:
    """The housing journey's pages: one submitted application, one draft at the signing page."""
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path / "uploads")
    sent = walk(client, "parent_of_teen", settlement="almaty", signed_in=True)
    # Walked before the first is submitted: a person with one in progress cannot start another.
    draft = walk(client, "parent_of_teen", case="emergency", settlement="almaty",
                 signed_in=True)
    submit(client, sent, "parent_of_teen")
    token = application_at(sent).status_token
    assert application_at(sent).status == "preliminary_refusal"  # the objection page opens
    client.post(f"{draft}/send-code")
    return {
        "housing.start": "/housing/", "housing.resume": None,
        "housing.update_family": None,  # on the list only: test_housing_journey checks it
        "housing.category_recheck": None,  # on the list only: test_category_recheck checks it
        "housing.who": f"{draft}/who", "housing.registries": f"{draft}/registries",
        "housing.case": f"{draft}/case", "housing.conclusion": f"{draft}/conclusion",
        "housing.settlement": f"{draft}/settlement", "housing.category": f"{draft}/category",
        "housing.family": f"{draft}/family", "housing.contacts": f"{draft}/contacts",
        "housing.consents": f"{draft}/consents", "housing.check": f"{draft}/check",
        "housing.sign": f"{draft}/sign", "housing.done": f"{sent}/done",
        "housing.receipt": f"{sent}/receipt", "housing.public_status": f"/housing/s/{token}",
        "housing.objection": f"{sent}/objection", "housing.complaint": f"{sent}/complaint",
        "housing.update_contacts": f"{sent}/update-contacts",
        "housing_public.queue": "/queue?settlement=almaty&list_code=general&number=1",
    }


@pytest.fixture
def urls(seeded, client, tmp_path):
    """One real URL for each GET endpoint, from a signed-in applicant with a draft and an
    application waiting for an owner's consent."""
    # A father: his son's application waits for the mother's consent, and his own draft goes
    # on (one person cannot have two applications awaiting consent, so two people).
    sign_in(client, "parent_of_teen")
    base = fill_draft(client, ward_iin("parent_of_teen", "Ерасыл"), "Сәтпаев 30 45")
    sign_and_submit(client, base, "parent_of_teen")
    submitted = application_at(base)
    link = re.search(r"/c/(\S+)", last_sms(phone_of("parent_spouse")).body).group(1)
    draft = new_draft(client)
    client.post(f"{draft}/who", data={"person": iin("parent_of_teen")})
    signing = fill_draft(client, iin("parent_of_teen"), "Абай 150 12")
    client.post(f"{signing}/sign")
    housing = _housing_pages(seeded, client, tmp_path)
    return housing | {
        "main.home": "/", "main.cabinet": "/cabinet",
        "auth.sign_in": "/sign-in", "auth.enter_code": None,  # needs a pending code: below
        "residence.start": "/residence/", "residence.resume": None,
        "residence.who": f"{draft}/who", "residence.address": f"{draft}/address?q=Абай",
        "residence.path": f"{signing}/path", "residence.reason": f"{signing}/reason",
        "residence.check": f"{signing}/check", "residence.sign": f"{signing}/sign",
        "residence.done": f"{base}/done", "residence.receipt": f"{base}/receipt",
        "status.show": f"/s/{submitted.status_token}",
        "consent.answer": f"/c/{link}", "consent.enter": "/consent",
        "demo.sms_outbox": "/demo/sms",
        "demo.mail_outbox": "/demo/mail",
        # Kiosk screens answer only an enrolled kiosk: crawled at one, in every language, by
        # tests/web/test_kiosk.py::test_kiosk_pages_in_every_language.
        "kiosk.attract": None, "kiosk.services": None, "kiosk.status": None,
        "kiosk.receipt": None, "kiosk.hand_over": None, "kiosk.to_phone": None,
        "kiosk.enrol": None,
        # Staff pages: crawled signed in as staff, in every language, by
        # tests/web/test_office_sign_in.py::test_office_pages_in_every_language.
        "office.sign_in": "/office/sign-in", "office.setup": None,
        "office.work_list": None, "office.audit_trail": None,
        # One application's decisions: crawled in every language, in each state, by
        # tests/web/test_office_decisions.py::test_office_decision_pages_in_every_language.
        "office.application": None,
        # ЭЦП pages (404 while ЭЦП is off): crawled with ЭЦП on, in every language, by
        # tests/web/test_ecp_web.py::test_ecp_pages_in_every_language.
        "ecp.sign_in": None, "ecp.sign_application": None,
    }


def test_every_get_route_is_checked(app, urls):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    unlisted = endpoints - set(urls) - NOT_HTML
    assert not unlisted, f"add these pages to the crawl: {sorted(unlisted)}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_in_every_language(app, client, urls, lang):
    for endpoint, url in urls.items():
        if url is None:
            continue
        sep = "&" if "?" in url else "?"
        response = client.get(f"{url}{sep}lang={lang}")
        assert response.status_code == 200, (endpoint, response.status_code)
        check_page(response, lang)


def test_the_code_page_and_a_resumed_draft(seeded, client):
    client.post("/sign-in", data={"iin": iin("owner_self")})
    check_page(client.get("/sign-in/code?lang=ru"), "ru")
    from tests.web.helpers import code_in

    client.post("/sign-in/code", data={"code": code_in(last_sms(phone_of("owner_self")))})
    draft = new_draft(client)
    assert client.get(draft).location.endswith(f"{draft}/who")
