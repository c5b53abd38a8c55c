"""The hearing in a real browser, JavaScript off (SPEC §2 "Preliminary decision and hearing",
[002 p.17]): an officer issues a preliminary refusal with the hearing's date, time and way; the
applicant reads the grounds with their references in Kazakh and the SMS with the hearing's date,
and objects online with a file; the officer cannot decide before the hearing's time, then
decides after it, signed with their own ЭЦП (the test's NCA, tests/support_ecp: NCALayer needs
JavaScript, so the test signs the text the page offers, as NCALayer would, and posts the page's
own form fields with the browser's session)."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pyotp
import pytest
from babel.dates import format_date

from portal.clock import ALMATY
from portal.housing.office.staff import accounts
from tests.support_ecp.pki import FakeNca, make_cms

PASSWORD = "browser-password-2026"
SECRET = "JBSWY3DPEHPK3PXPBROWSERO"
OFFICER_IIN = "840512473013"
FILED = dt.datetime(2026, 11, 23, 11, 0, tzinfo=ALMATY)  # Monday
HEARING = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ALMATY)  # the second working day, proposed
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def pki() -> FakeNca:
    return FakeNca()


@pytest.fixture
def live_app_config(live_app_config, pki, tmp_path):
    return {**live_app_config, "HOUSING_UPLOAD_DIR": str(tmp_path / "uploads"),
            "ECP_TRUST_DIR": str(pki.write_trust_dir(tmp_path / "trust")),
            "NCALAYER_URL": "ws://127.0.0.1:9"}  # nothing listens: the test signs


def _emergency_case(live_app, live_clock) -> tuple[int, str, str, str]:
    from demo_registries.seed import DEMO_PEOPLE
    from portal.core.models import AppStatus
    from portal.extensions import db
    from portal.housing.office.staff.demo import seed_demo_cases
    from portal.housing.services import housing

    live_clock.set(FILED)
    people = {p["key"]: p["iin"] for p in DEMO_PEOPLE}
    with live_app.app_context():
        seed_demo_cases(people)
        [application] = [a for a in housing.drafts_of(people["emergency"])
                         if a.status == AppStatus.UNDER_REVIEW]
        accounts.add("browser-officer", "Сотрудник Тестовый", "officer", ["karaganda"],
                     PASSWORD, totp_secret=SECRET)
        accounts.set_iin("browser-officer", OFFICER_IIN)
        found = (application.id, application.number, people["emergency"],
                 next(p["phone"] for p in DEMO_PEOPLE if p["key"] == "emergency"))
        db.session.remove()
    return found


def _staff_signs_in(context, clock):
    page = context.new_page()
    page.goto("/office/sign-in?lang=en")
    page.fill("#login", "browser-officer")
    page.fill("#password", PASSWORD)
    page.fill("#code", pyotp.TOTP(SECRET).at(clock.now()))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/office/")
    return page


def _outbox(context, phone: str) -> str:
    page = context.new_page()
    page.goto(f"/demo/sms?phone={re.sub(r'[^0-9]', '', phone)}")
    text = page.locator("main").inner_text()
    page.close()
    return text


def _citizen_signs_in(context, iin: str, phone: str):
    page = context.new_page()
    page.goto("/sign-in?lang=kk")
    page.locator('input[name="iin"]').fill(iin)
    page.locator('main form[action$="/sign-in"] button').click()
    page.wait_for_url("**/sign-in/code")
    outbox = context.new_page()
    outbox.goto(f"/demo/sms?phone={re.sub(r'[^0-9]', '', phone)}")
    code = outbox.locator("#rows code.otp").first.inner_text().strip()
    outbox.close()
    page.locator('input[name="code"]').fill(code)
    page.locator('main form[action$="/sign-in/code"] button').click()
    page.wait_for_url("**/cabinet")
    return page


def test_preliminary_refusal_online_objection_and_a_signed_decision_after_the_hearing(
        new_context, live_app, live_clock, pki, assert_accessible, tmp_path):
    app_id, number, citizen_iin, phone = _emergency_case(live_app, live_clock)

    # The officer issues a preliminary refusal; the hearing: proposed, online.
    officer = _staff_signs_in(new_context(locale="en-GB", java_script_enabled=False), live_clock)
    officer.goto(f"/office/applications/{app_id}?lang=en")
    officer.check('input[name="grounds"][value="emergency_not_confirmed"]')
    officer.fill("#motivation", "The conclusion is not signed by the expert.")
    officer.get_by_role("button", name="Issue the preliminary refusal").click()
    officer.wait_for_url(f"**/office/applications/{app_id}")

    # The applicant: the grounds with their references in Kazakh, the hearing, the SMS.
    context = new_context(locale="kk-KZ", java_script_enabled=False)
    citizen = _citizen_signs_in(context, citizen_iin, phone)
    citizen.goto(f"/housing/{app_id}/done?lang=kk")
    done = citizen.locator("main").inner_text()
    with live_app.test_request_context("/?lang=kk"):
        from flask_babel import force_locale

        from portal.domain.housing.grounds import Ground
        from portal.housing import labels
        with force_locale("kk"):
            name = str(labels.GROUND_NAMES[Ground.EMERGENCY_NOT_CONFIRMED])
            reference = str(labels.GROUND_REFERENCES[Ground.EMERGENCY_NOT_CONFIRMED])
    assert name in done and reference in done
    assert format_date(HEARING.date(), "long", locale="kk") in done and "10:00" in done
    sms = _outbox(context, phone)
    assert format_date(HEARING.date(), "d MMMM", locale="kk") in sms and "10:00" in sms
    assert_accessible(citizen, "the preliminary refusal with its hearing")

    # ... objects online with a file, before the hearing.
    upload = tmp_path / "deed.pdf"
    upload.write_bytes(PDF)
    citizen.goto(f"/housing/{app_id}/objection?lang=kk")
    citizen.fill("#text", "Қорытындыға сарапшы қол қойған, түпнұсқасын тіркеймін.")
    citizen.set_input_files("#file", str(upload))
    citizen.locator('main form button.button').click()
    citizen.wait_for_url(f"**/housing/{app_id}/done**")

    # The officer cannot decide before the hearing's time: the page says why.
    officer.goto(f"/office/applications/{app_id}?lang=en")
    main = officer.locator("main").inner_text()
    assert "deed.pdf" in main and "The final decision is taken after the hearing" in main
    assert officer.get_by_role("button", name="Record the outcome").count() == 0

    # At the hearing's time: the minutes, the outcome, signed with the officer's own ЭЦП.
    live_clock.set(HEARING)
    officer = _staff_signs_in(new_context(locale="en-GB", java_script_enabled=False), live_clock)
    officer.goto(f"/office/applications/{app_id}?lang=en")
    officer.fill("#participants", "The applicant (online objection); officer Test")
    officer.fill("#statement", "The conclusion is signed; the original is attached.")
    officer.locator('input[name="files_read"]').first.check()
    officer.check('input[name="outcome"][value="refused"]')
    officer.fill("#motivation", "The attached copy is not the expert's conclusion.")
    officer.get_by_role("button", name="Record the outcome").click()
    form = officer.locator("form[data-ecp-sign]")
    text = base64.b64decode(form.get_attribute("data-ecp-text-b64")).decode()
    assert "Final refusal after the hearing" in text and "deed.pdf" in text
    fields = {el.get_attribute("name"): el.get_attribute("value") or ""
              for el in form.locator('input[type="hidden"]').all()}
    fields["cms"] = make_cms(text.encode(), pki.citizen(OFFICER_IIN), signing_time=live_clock.now())
    response = officer.request.post(f"/office/applications/{app_id}/sign-decision?lang=en",
                                    form=fields, max_redirects=0)
    assert response.status == 303, response.text()[:500]
    officer.goto(f"/office/applications/{app_id}?lang=en")
    assert "Refused finally" in officer.locator("main").inner_text()
    assert_accessible(officer, "office after the signed hearing result")

    # The applicant sees the final refusal with its grounds and references, in Kazakh.
    live_clock.set(HEARING + dt.timedelta(minutes=5))
    citizen = _citizen_signs_in(new_context(locale="kk-KZ", java_script_enabled=False),
                                citizen_iin, phone)
    citizen.goto(f"/housing/{app_id}/done?lang=kk")
    done = citizen.locator("main").inner_text()
    assert name in done and reference in done
    assert "The attached copy is not the expert's conclusion." in done
    with live_app.app_context():
        from portal.core.models import Application, AppStatus
        from portal.extensions import db

        application = db.session.get(Application, app_id)
        assert application.status == AppStatus.REFUSED
        assert application.data["hearing"]["minutes"]["files_read"]
        db.session.remove()
