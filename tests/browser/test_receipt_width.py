"""The printed receipt fits a 360 px phone: its status link (one long word) wraps instead of
widening the page (it made the receipt 413 px wide in English, 445 px in Russian)."""

from __future__ import annotations

import pytest

from tests.browser.test_residence_journey import LOCALE, PEOPLE, newest_code, sign_in, walk_to_path


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_receipt_is_no_wider_than_a_360_px_phone(lang, new_context):
    context = new_context(locale=LOCALE[lang])
    page, outbox = context.new_page(), context.new_page()
    person = PEOPLE["owner_self"]
    page.goto(f"/?lang={lang}")
    sign_in(page, outbox, person)
    walk_to_path(page, "Абай 150")
    page.locator("main form button").first.click()
    page.wait_for_url("**/reason")
    page.locator("#reason input[value=relatives]").check()
    page.locator("main form button.button").click()
    page.wait_for_url("**/check")
    page.locator("main form button").first.click()
    page.wait_for_url("**/sign")
    page.locator('input[name="code"]').fill(newest_code(outbox, person["phone"]))
    page.locator('main form[action$="/submit"] button').click()
    page.wait_for_url("**/done")
    page.goto(page.url.replace("/done", "/receipt"))
    assert page.locator(".status-link").count() == 1
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, width
