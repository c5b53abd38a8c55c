"""Joining the housing waiting list on a 360x740 phone, in kk, ru and en (the English run with
JavaScript off): the registries page, the case (the emergency case uploads the expert's
conclusion), settlement, category, family, contacts, consents, check, SMS signing, done with a
number and a QR code. axe-core checks every page; screenshots go to
test-artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest

from demo_registries.seed import DEMO_PEOPLE
from tests.browser.test_residence_journey import LOCALE, newest_code, sign_in

PEOPLE = {p["key"]: p for p in DEMO_PEOPLE}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# (applicant, case, category, JavaScript on)
JOURNEYS = {
    "kk": ("emergency", "emergency", "pensioners", True),
    "ru": ("no_housing", "no_housing", "disabled", True),
    "en": ("large_family", "no_housing", "large_families", False),
}


@pytest.fixture
def live_app_config(live_app_config, tmp_path):
    return {**live_app_config, "HOUSING_UPLOAD_DIR": str(tmp_path / "uploads")}


def _continue(page):
    page.locator("main form button.button").last.click()


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_joining_the_housing_list(lang, new_context, assert_accessible, screenshot,
                                  watch_console, tmp_path):
    key, case, category, javascript = JOURNEYS[lang]
    person = PEOPLE[key]
    context = new_context(locale=LOCALE[lang], java_script_enabled=javascript)
    page = context.new_page()
    problems = watch_console(page)
    outbox = context.new_page()
    page.goto(f"/?lang={lang}")
    page.locator("a[href='/housing/']").first.click()
    page.wait_for_url("**/housing/")
    sign_in(page, outbox, person)

    def step(name: str, index: int):
        page.wait_for_url(f"**/{name}")
        assert_accessible(page, f"{name} ({lang})")
        screenshot(page, f"housing-{lang}-{index:02d}-{name}")

    page.goto("/housing/")
    assert_accessible(page, f"start ({lang})")
    page.locator('main form[action$="/housing/new"] button').click()
    step("who", 1)
    page.locator("#person input[type=radio]").first.check()
    _continue(page)
    step("registries", 2)
    assert person["name"].split()[0] in page.locator("main").inner_text()
    _continue(page)
    step("case", 3)
    page.locator(f"#case input[value={case}]").check()
    _continue(page)
    if case == "emergency":
        step("conclusion", 4)
        pdf = tmp_path / "conclusion.pdf"
        pdf.write_bytes(PDF)
        page.locator("input[name=file]").set_input_files(str(pdf))
        page.locator("main form[enctype] button").click()
        page.wait_for_url("**/conclusion")
        assert page.locator("main a[href*='/documents/']").count() == 1
        page.locator("main form:has(input[name=continue]) button").click()
    step("settlement", 5)
    _continue(page)
    step("category", 6)
    page.locator(f"#category input[value={category}]").check()
    _continue(page)
    step("family", 7)
    _continue(page)
    step("contacts", 8)
    _continue(page)
    step("consents", 9)
    page.locator("input[name=personal_data]").check()
    page.locator("input[name=truth]").check()
    _continue(page)
    step("check", 10)
    page.locator('main form[action$="/send-code"] button').click()
    page.wait_for_url("**/sign")
    page.locator('input[name="code"]').fill(newest_code(outbox, person["phone"]))
    assert_accessible(page, f"sign ({lang})")
    page.locator('main form[action$="/submit"] button').click()
    page.wait_for_url("**/done")
    number = page.locator("dd.number").inner_text().strip()
    assert re.fullmatch(r"H-\d{4}-\d{6}", number)
    page.wait_for_function("() => document.querySelector('img.qr').complete")
    assert page.locator("img.qr").evaluate("img => img.naturalWidth") > 0
    assert_accessible(page, f"done ({lang})")
    screenshot(page, f"housing-{lang}-11-done")
    page.goto(page.locator('main a.button[href*="/s/"]').get_attribute("href"))
    assert number in page.locator("main").inner_text()
    screenshot(page, f"housing-{lang}-12-status")
    assert not problems, problems
