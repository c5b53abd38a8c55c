"""The office's decision in a real browser, JavaScript off: an officer opens an emergency case
from the work list, reads it, registers it, and the public status page shows the number."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest

from portal.housing.office.staff import accounts

PASSWORD = "browser-password-2026"
SECRET = "JBSWY3DPEHPK3PXPBROWSERO"


@pytest.fixture
def live_app_config(live_app_config, tmp_path):
    return {**live_app_config, "HOUSING_UPLOAD_DIR": str(tmp_path / "uploads")}


def emergency_case(live_app) -> tuple[int, str, str]:
    """The demo's emergency case, filed through the housing service (as the journey does)."""
    from demo_registries.seed import DEMO_PEOPLE
    from portal.core.models import Application, AppStatus
    from portal.extensions import db
    from portal.housing.office.staff.demo import DEMO_CASES, seed_demo_cases
    from portal.housing.services import housing

    people = {p["key"]: p["iin"] for p in DEMO_PEOPLE}
    with live_app.app_context():
        assert DEMO_CASES[0][0] == "emergency"
        seed_demo_cases(people)
        [application] = [a for a in housing.drafts_of(people["emergency"])
                         if a.status == AppStatus.UNDER_REVIEW]
        accounts.add("browser-officer", "Сотрудник Тестовый", "officer", ["karaganda"],
                     PASSWORD, totp_secret=SECRET)
        found = (application.id, application.number, application.status_token)
        assert db.session.get(Application, found[0]) is not None
        db.session.remove()
    return found


def test_an_officer_registers_an_emergency_case(new_context, live_app, live_clock,
                                                assert_accessible, screenshot):
    app_id, number, token = emergency_case(live_app)
    page = new_context(locale="ru-RU", java_script_enabled=False).new_page()
    page.goto("/office/sign-in?lang=ru")
    page.fill("#login", "browser-officer")
    page.fill("#password", PASSWORD)
    page.fill("#code", pyotp.TOTP(SECRET).at(live_clock.now()))
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url("**/office/")
    assert number in page.locator("table").inner_text()
    screenshot(page, "office-work-list-with-a-case-360")
    assert_accessible(page, "office work list with a case")
    page.get_by_role("link", name=number).click()
    page.wait_for_url(f"**/office/applications/{app_id}")
    assert "conclusion.pdf" in page.locator("main").inner_text()
    screenshot(page, "office-emergency-review-360")
    assert_accessible(page, "office emergency review")
    page.get_by_role("button", name="Поставить на учёт").first.click()
    page.wait_for_url(f"**/office/applications/{app_id}")
    assert "Поставлен на учёт под номером 1" in page.locator("main").inner_text()
    assert_accessible(page, "office after the registration")
    page.goto(f"/housing/s/{token}?lang=ru")
    assert "На учёте" in page.locator("main").inner_text()
    assert number in page.locator("main").inner_text()


def _demo_cases(live_app) -> dict[str, tuple[int, str, str]]:
    """The demo's hearing and complaint cases, and an officer for Astana and a head."""
    from demo_registries.seed import DEMO_PEOPLE
    from portal.core.models import AppStatus
    from portal.housing.office.staff.demo import seed_demo_cases
    from portal.housing.services import housing

    people = {p["key"]: p["iin"] for p in DEMO_PEOPLE}
    with live_app.app_context():
        from portal.extensions import db

        seed_demo_cases(people)
        found = {}
        for key in ("sold_recently", "worsened"):
            [application] = [a for a in housing.drafts_of(people[key])
                             if a.status == AppStatus.PRELIMINARY_REFUSAL]
            found[key] = (application.id, application.number, people[key])
        accounts.add("browser-officer", "Сотрудник Тестовый", "officer", ["astana"],
                     PASSWORD, totp_secret=SECRET)
        accounts.add("browser-head", "Руководитель Тестовый", "head", ["almaty", "astana"],
                     PASSWORD, totp_secret=HEAD_SECRET)
        db.session.remove()
    return found


HEAD_SECRET = "JBSWY3DPEHPK3PXPBROWSERH"


def _citizen_signs_in(context, iin: str, phone: str):
    import re

    page = context.new_page()
    page.goto("/sign-in?lang=en")
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


def _staff_signs_in(context, login: str, secret: str, clock):
    page = context.new_page()
    page.goto("/office/sign-in?lang=en")
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    page.fill("#code", pyotp.TOTP(secret).at(clock.now()))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/office/")
    return page


def test_objection_hearing_final_refusal_and_a_complaint_answered_by_the_head(
        new_context, live_app, live_clock, assert_accessible, screenshot):
    from demo_registries.seed import DEMO_PEOPLE

    cases = _demo_cases(live_app)
    hearing_id, hearing_number, citizen_iin = cases["sold_recently"]
    phone = next(p["phone"] for p in DEMO_PEOPLE if p["iin"] == citizen_iin)

    # The citizen objects to the preliminary refusal before the hearing.
    citizen = _citizen_signs_in(new_context(locale="en-GB", java_script_enabled=False),
                                citizen_iin, phone)
    citizen.goto(f"/housing/{hearing_id}/objection?lang=en")
    citizen.fill("#text", "The flat was sold to pay for my father's treatment.")
    citizen.get_by_role("button", name="Send the objection").click()
    citizen.wait_for_url(f"**/housing/{hearing_id}/**")

    # At the hearing's time [002 p.17] the officer reads it and refuses finally, with the
    # minutes and a motivation.
    with live_app.app_context():
        from portal.core.models import Application
        from portal.extensions import db

        hearing_at = db.session.get(Application, hearing_id).data["hearing_at"]
        db.session.remove()
    live_clock.set(dt.datetime.fromisoformat(hearing_at))
    officer = _staff_signs_in(new_context(locale="en-GB", java_script_enabled=False),
                              "browser-officer", SECRET, live_clock)
    officer.get_by_role("link", name=hearing_number).click()
    officer.wait_for_url(f"**/office/applications/{hearing_id}")
    assert "father's treatment" in officer.locator("main").inner_text()
    officer.fill("#participants", "The applicant (online objection); officer Test")
    officer.check('input[name="outcome"][value="refused"]')
    officer.fill("#motivation", "Sold within five years; no exception of the Rules applies.")
    officer.get_by_role("button", name="Record the outcome").click()
    officer.wait_for_url(f"**/office/applications/{hearing_id}")
    assert_accessible(officer, "office after the hearing")
    citizen = _citizen_signs_in(new_context(locale="en-GB", java_script_enabled=False),
                                citizen_iin, phone)  # two days later
    citizen.goto(f"/housing/{hearing_id}/done?lang=en")
    done = citizen.locator("main").inner_text()
    assert "Refused" in done and "no exception of the Rules applies" in done

    # The head satisfies the demo complaint: the applicant is registered with a number.
    complaint_id, complaint_number, _iin = cases["worsened"]
    head = _staff_signs_in(new_context(locale="en-GB", java_script_enabled=False),
                           "browser-head", HEAD_SECRET, live_clock)
    head.goto("/office/?kind=complaint&lang=en")
    head.get_by_role("link", name=complaint_number).click()
    head.wait_for_url(f"**/office/applications/{complaint_id}")
    screenshot(head, "office-complaint-360")
    head.check('input[name="c0-outcome"][value="satisfied"]')
    head.fill("#c0-text", "The sale paid for surgery; the ground does not apply.")
    head.get_by_role("button", name="Send the answer").click()
    head.wait_for_url(f"**/office/applications/{complaint_id}")
    assert_accessible(head, "office after the complaint's answer")
    with live_app.app_context():
        from portal.core.models import Application, AppStatus
        from portal.extensions import db

        assert db.session.get(Application, hearing_id).status == AppStatus.REFUSED
        answered = db.session.get(Application, complaint_id)
        assert answered.status == AppStatus.IN_QUEUE and answered.data["queue_number"]
        db.session.remove()
