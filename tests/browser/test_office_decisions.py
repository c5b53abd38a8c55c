"""The office's decision in a real browser, JavaScript off: an officer opens an emergency case
from the work list, reads it, registers it, and the public status page shows the number."""

from __future__ import annotations

import pyotp
import pytest

from portal.staff import accounts

PASSWORD = "browser-password-2026"
SECRET = "JBSWY3DPEHPK3PXPBROWSERO"


@pytest.fixture
def live_app_config(live_app_config, tmp_path):
    return {**live_app_config, "HOUSING_UPLOAD_DIR": str(tmp_path / "uploads")}


def emergency_case(live_app) -> tuple[int, str, str]:
    """The demo's emergency case, filed through the housing service (as the journey does)."""
    from demo_registries.seed import DEMO_PEOPLE
    from portal.extensions import db
    from portal.models import Application, AppStatus
    from portal.services import housing
    from portal.staff.demo import DEMO_CASES, seed_demo_cases

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
