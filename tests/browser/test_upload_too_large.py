"""A file over 5 MB at the conclusion step, in Chromium with JavaScript off at 320 px (issue
#21): the step's own page comes back with the error at the file field, and Back gives a working
page, not "Confirm form resubmission" (the answer to the upload is a redirect, so no history
entry is a POST)."""

from __future__ import annotations

import pytest

from demo_registries.seed import DEMO_PEOPLE
from portal.domain import limits
from tests.browser.test_residence_journey import sign_in

PERSON = next(p for p in DEMO_PEOPLE if p["key"] == "emergency")


@pytest.fixture
def live_app_config(live_app_config, tmp_path):
    return {**live_app_config, "HOUSING_UPLOAD_DIR": str(tmp_path / "uploads")}


def test_a_file_over_the_limit_shows_the_error_at_the_field_and_back_still_works(
        new_context, screenshot, assert_accessible, tmp_path):
    context = new_context(locale="en-GB", java_script_enabled=False,
                          viewport={"width": 320, "height": 640})
    page = context.new_page()
    outbox = context.new_page()
    page.goto("/?lang=en")
    sign_in(page, outbox, PERSON)
    page.goto("/housing/")
    page.locator('main form[action$="/housing/new"] button').click()
    page.wait_for_url("**/who")
    page.locator("#person input[type=radio]").first.check()
    page.locator("main form button.button").last.click()
    page.wait_for_url("**/registries")
    page.locator("main form button.button").last.click()
    page.wait_for_url("**/case")
    page.locator("#case input[value=emergency]").check()
    page.locator("main form button.button").last.click()
    page.wait_for_url("**/conclusion")
    step_url = page.url

    big = tmp_path / "scan.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (limits.UPLOAD_MAX_BYTES + 3 * 1024 * 1024))
    page.locator("input[name=file]").set_input_files(str(big))
    with page.expect_navigation():
        page.locator("main form[enctype] button").click()
    assert page.url == step_url
    error = page.locator(".field.has-error #file-error")
    assert "larger than 5 MB, so nothing was sent" in error.inner_text()
    assert page.locator(".error-summary a[href='#file']").count() == 1
    screenshot(page, "housing-en-conclusion-too-large-320")
    assert_accessible(page, "conclusion, file too large")

    response = page.go_back()
    assert response is None or response.status == 200
    assert page.url == step_url
    assert page.locator("h1").inner_text() == "The expert's technical conclusion"
    assert page.locator("input[name=file]").count() == 1
    assert "resubmission" not in page.content().lower()
    # And the page works: a good file attaches.
    good = tmp_path / "good.pdf"
    good.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.locator("input[name=file]").set_input_files(str(good))
    page.locator("main form[enctype] button").click()
    page.wait_for_url("**/conclusion")
    assert page.locator("main a[href*='/documents/']").count() == 1
