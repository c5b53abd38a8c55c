"""The kiosk profile (SPEC §3): enrolment, refusal of other browsers, the kiosk layout on the
citizen journeys, finish and idle reset erasing the visit, status by number, the 80 mm receipt,
and handing a draft over to the visitor's phone."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from kiosk.models import KioskDevice
from portal.core.models import Application, AppStatus
from portal.extensions import db
from tests.web.helpers import (
    application_at,
    fill_draft,
    iin,
    new_draft,
    sign_and_submit,
    sign_in,
)
from tests.web.pages import check_page

KIOSK_NAME = "ЦОН Алматы, Бостандық №1"


def add_kiosk(runner, name=KIOSK_NAME) -> str:
    result = runner.invoke(args=["kiosk", "add", name])
    assert result.exit_code == 0, result.output
    return re.search(r"http://localhost(/kiosk/enrol/\S+)", result.output).group(1)


def enrol(client, runner, name=KIOSK_NAME) -> KioskDevice:
    link = add_kiosk(runner, name)
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 303 and response.location.endswith("/kiosk/")
    cookie = client.get_cookie("mk_kiosk")
    assert cookie is not None and cookie.http_only
    return db.session.get(KioskDevice, int(cookie.value.split(".")[0]))


@pytest.fixture
def kiosk_client(seeded, client, runner):
    enrol(client, runner)
    return client


def test_enrolment_link_works_once_and_the_kiosk_opens(seeded, client, runner):
    link = add_kiosk(runner)
    page = client.get(link).get_data(as_text=True)
    assert KIOSK_NAME in page
    assert client.get("/kiosk/").status_code == 403  # not yet enrolled
    assert client.post(link).status_code == 303
    assert client.get("/kiosk/").status_code == 200
    other = seeded.test_client()
    assert other.get(link).status_code == 404  # used
    assert other.post(link).status_code == 404
    assert other.get_cookie("mk_kiosk") is None


def test_an_old_enrolment_link_enrols_nothing(seeded, client, runner, clock):
    link = add_kiosk(runner)
    clock.advance(hours=24)
    assert client.post(link).status_code == 404
    assert client.get_cookie("mk_kiosk") is None


def test_other_browsers_are_refused_with_a_clear_message(seeded, client):
    for path in ("/kiosk/", "/kiosk/services", "/kiosk/status"):
        response = client.get(f"{path}?lang=en")
        assert response.status_code == 403
        assert "not a kiosk" in response.get_data(as_text=True)
    client.set_cookie("mk_kiosk", "1.forged")
    assert client.get("/kiosk/").status_code == 403


def test_a_revoked_kiosk_stops_at_once(kiosk_client, runner):
    assert kiosk_client.get("/kiosk/services").status_code == 200
    listed = runner.invoke(args=["kiosk", "list"]).output
    assert "enrolled" in listed and KIOSK_NAME in listed
    device_id = listed.split("\t")[0]
    assert runner.invoke(args=["kiosk", "revoke", device_id]).exit_code == 0
    assert kiosk_client.get("/kiosk/services").status_code == 403
    assert "revoked" in runner.invoke(args=["kiosk", "list"]).output
    # ... and the citizen pages are no longer drawn as a kiosk
    assert 'class="kiosk' not in kiosk_client.get("/sign-in").get_data(as_text=True)


def test_citizen_pages_are_drawn_in_the_kiosk_layout_only_at_a_kiosk(kiosk_client, seeded):
    page = kiosk_client.get("/sign-in").get_data(as_text=True)
    assert 'class="kiosk' in page and "js/kiosk.js" in page and 'data-hx-boost="false"' in page
    assert 'action="/kiosk/finish"' in page and "/sign-out" not in page
    plain = seeded.test_client().get("/sign-in").get_data(as_text=True)
    assert "kiosk" not in plain


def _links(html: str) -> list[str]:
    return re.findall(r'<a [^>]*href="([^"]+)"', html)


def test_no_link_leads_off_the_portal_and_nothing_opens_a_window(kiosk_client):
    sign_in(kiosk_client, "owner_self")
    base = new_draft(kiosk_client)
    # the attract screen last: it ends the visit
    for path in ("/kiosk/services?lang=ru", "/kiosk/status", "/sign-in", "/cabinet",
                 "/residence/", f"{base}/who", "/consent", "/kiosk/"):
        html = kiosk_client.get(path).get_data(as_text=True)
        assert "target=" not in html, path
        for href in _links(html):
            assert href[:1] in "/#?" and not href.startswith("//"), (path, href)


def test_a_draft_made_at_the_kiosk_is_erased_by_finish(kiosk_client, seeded):
    phone = seeded.test_client()
    sign_in(phone, "owner_self")
    at_home = new_draft(phone)
    sign_in(kiosk_client, "owner_self")
    at_kiosk = new_draft(kiosk_client)
    kiosk_draft = application_at(at_kiosk)
    assert kiosk_draft.channel.startswith("kiosk:")
    response = kiosk_client.post("/kiosk/finish")
    assert response.status_code == 303 and response.location.endswith("/kiosk/")
    assert "cache" in response.headers["Clear-Site-Data"]
    assert application_at(at_kiosk) is None
    assert application_at(at_home) is not None  # made on the phone: not the kiosk's to erase
    assert kiosk_client.get("/cabinet").status_code == 302  # signed out
    assert kiosk_client.get(f"{at_kiosk}/who").status_code == 302


def test_a_submitted_application_survives_the_reset(kiosk_client):
    sign_in(kiosk_client, "owner_self")
    base = fill_draft(kiosk_client, iin("owner_self"), "Абай 150 12")
    assert sign_and_submit(kiosk_client, base, "owner_self").status_code == 303
    kiosk_client.post("/kiosk/reset")
    assert application_at(base).status == AppStatus.REGISTERED


@pytest.mark.parametrize(("idle", "signed_in"), [(89, True), (90, False)])
def test_the_server_ends_an_idle_visit_even_without_the_script(kiosk_client, clock, idle,
                                                                   signed_in):
    sign_in(kiosk_client, "owner_self")
    base = new_draft(kiosk_client)
    clock.advance(seconds=idle)
    assert (kiosk_client.get("/cabinet").status_code == 200) is signed_in
    assert (application_at(base) is not None) is signed_in


def _stored_sessions():
    db.session.remove()
    return db.session.execute(sa.text("SELECT session_id, data, expiry FROM sessions")).all()


def test_files_fetched_beside_a_page_never_write_the_visitors_session(kiosk_client, clock):
    """Such a request may still be running when the next step writes the session: writing
    back what it had read undid that step (a kiosk sign-in that lost where to return to)."""
    sign_in(kiosk_client, "owner_self")
    assert kiosk_client.get("/cabinet").status_code == 200
    stored = _stored_sessions()
    clock.advance(seconds=61)  # a step now would write both "last seen" stamps
    for path, dest in [("/favicon.ico", "image"), ("/static/favicon.svg", None),
                       ("/kiosk/speech/" + "0" * 32 + ".opus", "audio"),
                       ("/cabinet", "image")]:
        headers = {"Sec-Fetch-Dest": dest} if dest else {}
        kiosk_client.get(path, headers=headers).close()
        assert _stored_sessions() == stored, path
    assert kiosk_client.get("/cabinet").status_code == 200  # a step
    assert _stored_sessions() != stored


def test_idle_times_are_settings(seeded, app, client, runner):
    app.config.update(KIOSK_IDLE_WARN_SECONDS=5, KIOSK_IDLE_RESET_SECONDS=8)
    enrol(client, runner)
    sign_in(client, "owner_self")
    page = client.get("/cabinet").get_data(as_text=True)
    assert 'data-kiosk-warn="5"' in page and 'data-kiosk-reset="8"' in page


def _submitted(client) -> Application:
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    assert sign_and_submit(client, base, "owner_self").status_code == 303
    return application_at(base)


def test_status_by_number_needs_the_applicants_iin(kiosk_client):
    application = _submitted(kiosk_client)
    kiosk_client.post("/kiosk/finish")
    digits = "".join(ch for ch in application.number if ch.isdigit())
    wrong = kiosk_client.post("/kiosk/status?lang=en",
                              data={"number": digits, "iin": iin("one_owner_applicant")})
    assert wrong.status_code == 200 and "found no application" in wrong.get_data(as_text=True)
    right = kiosk_client.post("/kiosk/status",
                              data={"number": application.number, "iin": iin("owner_self")})
    assert right.status_code == 303 and right.location.endswith(f"/s/{application.status_token}")
    also = kiosk_client.post("/kiosk/status", data={"number": digits, "iin": iin("owner_self")})
    assert also.status_code == 303


def test_status_lookups_are_limited_per_kiosk(kiosk_client):
    answers = [kiosk_client.post("/kiosk/status", data={"number": "1", "iin": iin("owner_self")})
               .status_code for _ in range(31)]
    assert answers[:30] == [200] * 30 and answers[30] == 429


def test_the_receipt_has_every_field_003_p16_lists_with_the_full_name_and_phone(kiosk_client):
    """[003 p.16]: the receipt carries the number and date, the service, who accepted it, when
    the result is due, and the applicant's surname, name, patronymic and contact phone. They
    were masked ("А**** Ж.", no phone) for fear of a receipt left on the counter; but the paper
    is printed only when the applicant asks for it, handed to them, and cannot be printed again
    once the visit ends (checked below): it is their receipt, like the ЦОН's own, so it
    carries what p.16 says. The dates are written out, never "12/2/26"."""
    application = _submitted(kiosk_client)
    html = kiosk_client.get(f"/kiosk/receipt/{application.id}?lang=en").get_data(as_text=True)
    assert application.number in html
    assert KIOSK_NAME in html
    assert "Registration at place of residence" in html
    assert f"/s/{application.status_token}/qr.svg" in html
    assert "1414" in html and "data-autoprint" in html
    assert "Result due" in html
    assert "Жұмабаев Асқар Серікұлы, +77011452301" in html
    assert "А**** Ж." not in html
    # "2 December 2026, 15:04"
    assert re.search(r"<dd>\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2}</dd>", html)
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2}\b", html)
    kiosk_client.post("/kiosk/finish")  # the next visitor cannot print it again
    assert kiosk_client.get(f"/kiosk/receipt/{application.id}").status_code == 302
    kiosk_client.post("/kiosk/finish")
    sign_in(kiosk_client, "one_owner_applicant")
    assert kiosk_client.get(f"/kiosk/receipt/{application.id}").status_code == 404


def test_a_draft_handed_to_the_phone_stays_after_finish(kiosk_client, seeded):
    sign_in(kiosk_client, "owner_self")
    base = new_draft(kiosk_client)
    app_id = int(base.rsplit("/", 1)[1])
    page = kiosk_client.get(f"/kiosk/{app_id}/to-phone").get_data(as_text=True)
    token = re.search(r"/kiosk/to-phone/([\w-]+)/qr.svg", page).group(1)
    assert kiosk_client.get(f"/kiosk/to-phone/{token}/qr.svg").status_code == 200

    stranger = seeded.test_client()
    sign_in(stranger, "one_owner_applicant")
    assert stranger.get(f"/kiosk/to-phone/{token}").status_code == 404
    phone = seeded.test_client()
    sign_in(phone, "owner_self")
    taken = phone.get(f"/kiosk/to-phone/{token}")
    assert taken.status_code == 303 and taken.location.endswith(f"/residence/{app_id}")
    assert phone.get(f"/kiosk/to-phone/{token}").status_code == 404  # one use
    kiosk_client.post("/kiosk/finish")
    assert application_at(base) is not None and application_at(base).channel == "phone"




@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_kiosk_pages_in_every_language(kiosk_client, runner, lang):
    """The page checks every HTML page passes, on each kiosk screen (drawn only at a kiosk)."""
    application = _submitted(kiosk_client)
    sign_in_again = kiosk_client.get(f"/kiosk/receipt/{application.id}?lang={lang}")
    check_page(sign_in_again, lang)
    draft = new_draft(kiosk_client)
    app_id = int(draft.rsplit("/", 1)[1])
    hand_over = kiosk_client.get(f"/kiosk/{app_id}/to-phone?lang={lang}")
    check_page(hand_over, lang)
    token = re.search(r"/kiosk/to-phone/([\w-]+)/qr.svg", hand_over.get_data(as_text=True))
    for path in ("/kiosk/services", "/kiosk/status", f"/kiosk/to-phone/{token.group(1)}x"):
        check_page(kiosk_client.get(f"{path}?lang={lang}"), lang)
    enrol_link = add_kiosk(runner, "ЦОН Астана №2")
    check_page(kiosk_client.get(f"{enrol_link}?lang={lang}"), lang)
    check_page(kiosk_client.get(f"/kiosk/enrol/unknown?lang={lang}"), lang)
    check_page(kiosk_client.get("/kiosk/"))  # the attract screen speaks all three at once


def test_limits_count_a_kiosk_by_its_identity_not_the_halls_address(seeded, client, runner):
    """Two kiosks in one hall share an address; each has its own 30 status look-ups."""
    first = seeded.test_client()
    enrol(first, runner)
    second = seeded.test_client()
    enrol(second, runner, "ЦОН Алматы, Бостандық №2")
    for _ in range(30):
        first.post("/kiosk/status", data={"number": "1", "iin": iin("owner_self")})
    assert first.post("/kiosk/status", data={"number": "1", "iin": iin("owner_self")}
                      ).status_code == 429
    assert second.post("/kiosk/status", data={"number": "1", "iin": iin("owner_self")}
                       ).status_code == 200


def test_the_housing_journey_at_a_kiosk_sends_the_upload_to_the_phone(kiosk_client, seeded,
                                                                       tmp_path):
    """SPEC §3: a file upload is replaced by "continue on your phone"; the draft is the kiosk's."""
    from tests.web.housing_helpers import PDF, _file, new_housing_draft

    seeded.config["HOUSING_UPLOAD_DIR"] = str(tmp_path)
    services = kiosk_client.get("/kiosk/services?lang=en").get_data(as_text=True)
    assert 'href="/housing/"' in services and 'href="/residence/"' in services
    sign_in(kiosk_client, "emergency")
    base = new_housing_draft(kiosk_client)
    assert application_at(base).channel.startswith("kiosk:")
    kiosk_client.post(f"{base}/who", data={"person": iin("emergency")})
    kiosk_client.post(f"{base}/registries")
    kiosk_client.post(f"{base}/case", data={"case": "emergency"})
    page = check_page(kiosk_client.get(f"{base}/conclusion?lang=en"), "en")
    assert page.find("input", type="file") is None
    app_id = base.rsplit("/", 1)[1]
    assert page.find("a", href=f"/kiosk/{app_id}/to-phone") is not None
    posted = kiosk_client.post(f"{base}/conclusion", data={"file": (_file(PDF), "c.pdf")},
                               content_type="multipart/form-data")
    assert posted.status_code == 400  # nothing is stored from a kiosk

    token = re.search(r"/kiosk/to-phone/([\w-]+)/qr.svg",
                      kiosk_client.get(f"/kiosk/{app_id}/to-phone").get_data(as_text=True)
                      ).group(1)
    phone = seeded.test_client()
    sign_in(phone, "emergency")
    taken = phone.get(f"/kiosk/to-phone/{token}")
    assert taken.status_code == 303 and taken.location.endswith(f"/housing/{app_id}")
    on_phone = check_page(phone.get(f"{base}/conclusion?lang=en"), "en")
    assert on_phone.find("input", type="file") is not None
