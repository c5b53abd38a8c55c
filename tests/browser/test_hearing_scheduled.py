"""The hearing the officer schedules, in a real browser, JavaScript off, every page axe-checked
(issue 20 "done when" (c); SPEC §2 "Preliminary decision and hearing"; [002 p.17], APPC art. 73).

The controlled clock: the emergency case is filed on Tuesday 15.12.2026 10:00 Almaty; Wednesday
16.12 is Independence Day, so the 2 working days after the notice are Thursday 17.12 and Friday
18.12. The officer first picks Monday 21.12 (the third working day): refused with the Rules'
reason, nothing changes. Then Friday 18.12 at 11:30, in person at the office's address: the
preliminary refusal goes with that hearing. The applicant objects with a file. Before 11:30 the
page offers no final decision; at 11:30 the officer records the minutes (who took part, what the
applicant said, the objection's file read) and the positive outcome, which is issued only with
the officer's own ЭЦП over the text the server rebuilds from the decision: a signature over the
offered text with a changed statement posted beside it is refused (NCALayer needs JavaScript, so
the test signs the text the page offers with the test NCA, tests/support_ecp, as NCALayer would,
and posts the page's own form fields with the browser's session)."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pyotp
import pytest

from portal.clock import ALMATY
from portal.housing.office.staff import accounts
from tests.support_ecp.pki import FakeNca, make_cms

PASSWORD = "browser-password-2026"
SECRET = "JBSWY3DPEHPK3PXPBROWSERO"
OFFICER_IIN = "840512473013"
FILED = dt.datetime(2026, 12, 15, 10, 0, tzinfo=ALMATY)  # Tuesday; Wednesday is a holiday
HEARING = dt.datetime(2026, 12, 18, 11, 30, tzinfo=ALMATY)  # the second working day after it
ADDRESS = "Karaganda, Bukhar-Zhyrau 47, room 5"
STATEMENT = "The expert signed the conclusion; the original is attached."
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def pki() -> FakeNca:
    return FakeNca()


@pytest.fixture
def live_app_config(live_app_config, pki, tmp_path):
    return {**live_app_config, "HOUSING_UPLOAD_DIR": str(tmp_path / "uploads"),
            "ECP_TRUST_DIR": str(pki.write_trust_dir(tmp_path / "trust")),
            "NCALAYER_URL": "ws://127.0.0.1:9"}  # nothing listens: the test signs


def _emergency_case(live_app, live_clock) -> tuple[int, str, str]:
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
        found = (application.id, people["emergency"],
                 next(p["phone"] for p in DEMO_PEOPLE if p["key"] == "emergency"))
        db.session.remove()
    return found


def _stored(live_app, app_id: int):
    from portal.core.models import Application
    from portal.core.models.signing import Signature
    from portal.extensions import db

    with live_app.app_context():
        application = db.session.get(Application, app_id)
        status, data = application.status, dict(application.data or {})
        signatures = [(s.purpose, s.signer_iin, s.content) for s in
                      db.session.query(Signature).filter_by(application_id=app_id)]
        db.session.remove()
    return status, data, signatures


def _staff_signs_in(context, clock):
    page = context.new_page()
    page.goto("/office/sign-in?lang=en")
    page.fill("#login", "browser-officer")
    page.fill("#password", PASSWORD)
    page.fill("#code", pyotp.TOTP(SECRET).at(clock.now()))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/office/")
    return page


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


def _refuse_preliminarily(officer, app_id: int, day: str, time: str) -> None:
    officer.goto(f"/office/applications/{app_id}?lang=en")
    officer.check('input[name="grounds"][value="emergency_not_confirmed"]')
    officer.fill("#motivation", "The conclusion is not signed by the expert.")
    officer.fill("#hearing_date", day)
    officer.fill("#hearing_time", time)
    officer.check('input[name="way"][value="in_person"]')
    officer.fill("#place", ADDRESS)
    officer.get_by_role("button", name="Issue the preliminary refusal").click()
    officer.wait_for_url(f"**/office/applications/{app_id}")


def test_a_hearing_outside_the_window_is_refused_one_inside_is_held_and_its_positive_result_signed(
        new_context, live_app, live_clock, pki, assert_accessible, screenshot, tmp_path):
    app_id, citizen_iin, phone = _emergency_case(live_app, live_clock)
    officer = _staff_signs_in(new_context(locale="en-GB", java_script_enabled=False), live_clock)

    # Monday 21.12 is the third working day after the notice: refused, with the Rules' reason.
    _refuse_preliminarily(officer, app_id, "2026-12-21", "10:00")
    main = officer.locator("main").inner_text()
    assert "The hearing must be after the day of the notice and no later" in main
    assert officer.get_by_role("button", name="Issue the preliminary refusal").count() == 1
    assert _stored(live_app, app_id)[0] == "under_review"
    assert_accessible(officer, "a hearing outside the window, refused with the reason")

    # Friday 18.12 at 11:30, in person at the office: inside the window.
    _refuse_preliminarily(officer, app_id, "2026-12-18", "11:30")
    main = officer.locator("main").inner_text()
    assert ADDRESS in main and "11:30" in main
    assert "The final decision is taken after the hearing" in main
    status, data, _signatures = _stored(live_app, app_id)
    assert status == "preliminary_refusal"
    assert dt.datetime.fromisoformat(data["hearing_at"]) == HEARING
    assert (data["hearing_way"], data["hearing_place"]) == ("in_person", ADDRESS)
    screenshot(officer, "office-hearing-scheduled-in-person")
    assert_accessible(officer, "the hearing scheduled in person")

    # The applicant objects with a file before the hearing.
    citizen = _citizen_signs_in(new_context(locale="kk-KZ", java_script_enabled=False),
                                citizen_iin, phone)
    citizen.goto(f"/housing/{app_id}/done?lang=kk")
    assert ADDRESS in citizen.locator("main").inner_text()
    upload = tmp_path / "original.pdf"
    upload.write_bytes(PDF)
    citizen.goto(f"/housing/{app_id}/objection?lang=kk")
    citizen.fill("#text", "Қорытындыға сарапшы қол қойған, түпнұсқасын тіркеймін.")
    citizen.set_input_files("#file", str(upload))
    citizen.locator('main form button.button').click()
    citizen.wait_for_url(f"**/housing/{app_id}/done**")

    # A minute before the hearing: no final decision is offered.
    live_clock.set(HEARING - dt.timedelta(minutes=1))
    officer = _staff_signs_in(new_context(locale="en-GB", java_script_enabled=False), live_clock)
    officer.goto(f"/office/applications/{app_id}?lang=en")
    assert "original.pdf" in officer.locator("main").inner_text()
    assert officer.get_by_role("button", name="Record the outcome").count() == 0
    assert officer.locator("#hearing-not-yet").count() == 1

    # At the hearing's time: the minutes and the positive outcome, to be signed.
    live_clock.set(HEARING)
    officer = _staff_signs_in(new_context(locale="en-GB", java_script_enabled=False), live_clock)
    officer.goto(f"/office/applications/{app_id}?lang=en")
    assert officer.locator("#hearing-not-yet").count() == 0
    officer.fill("#participants", "The applicant in person; officer Test")
    officer.fill("#statement", STATEMENT)
    officer.get_by_label("original.pdf").check()
    officer.check('input[name="outcome"][value="registered"]')
    officer.get_by_role("button", name="Record the outcome").click()
    form = officer.locator("form[data-ecp-sign]")
    text = base64.b64decode(form.get_attribute("data-ecp-text-b64")).decode()
    assert "Registered in the list after the hearing" in text
    assert STATEMENT in text and "original.pdf" in text and OFFICER_IIN in text
    assert_accessible(officer, "the positive result's signing page")
    assert _stored(live_app, app_id)[0] == "preliminary_refusal"  # nothing issued unsigned
    fields = {el.get_attribute("name"): el.get_attribute("value") or ""
              for el in form.locator('input[type="hidden"]').all()}
    fields["cms"] = make_cms(text.encode(), pki.citizen(OFFICER_IIN),
                             signing_time=live_clock.now())
    url = f"/office/applications/{app_id}/sign-decision?lang=en"

    # The signed text is rebuilt on the server: other minutes beside the signature are refused.
    forged = officer.request.post(url, form={**fields, "statement": "The applicant agreed."},
                                  max_redirects=0)
    assert forged.status == 422
    assert _stored(live_app, app_id)[0] == "preliminary_refusal"

    signed = officer.request.post(url, form=fields, max_redirects=0)
    assert signed.status == 303, signed.text()[:500]
    officer.goto(f"/office/applications/{app_id}?lang=en")
    assert "Registered in the list" in officer.locator("main").inner_text()
    assert_accessible(officer, "office after the signed positive result")
    status, data, signatures = _stored(live_app, app_id)
    assert status == "in_queue"
    assert data["hearing"]["outcome"] == "registered"
    assert data["hearing"]["minutes"]["statement"] == STATEMENT
    assert len(data["hearing"]["minutes"]["files_read"]) == 1
    [(purpose, signer, signed_text)] = [s for s in signatures if s[0] == "final_refusal"]
    assert signer == OFFICER_IIN and STATEMENT in signed_text
