"""A member moved from an akimat's list, on a 320 px phone with JavaScript off (issue 22 part
2): signs in, opens their place from the cabinet, sees the place and the chart, gives the
consent by SMS code (the suspended place is active at once, the notice arrives), corrects the
phone (the notice goes to the new number). axe-core checks every page; screenshots go to
test-artifacts/screenshots/."""

from __future__ import annotations

from demo_registries.seed import DEMO_PEOPLE
from tests.browser.test_residence_journey import digits, newest_code, sign_in

PEOPLE = {p["key"]: p for p in DEMO_PEOPLE}
NARROW = {"width": 320, "height": 640}
OLD_PHONE = "+77470001122"  # the akimat's list held it (demo_registries/members.py)
NEW_PHONE = "+77019998877"


def test_a_member_moved_from_an_akimat_gives_the_consent_and_corrects_the_phone(
        live_app, new_context, assert_accessible, screenshot):
    from demo_registries.members import seed_members  # as `flask demo seed` does

    with live_app.app_context():
        assert seed_members() == 3
    person = PEOPLE["akimat_member"]
    context = new_context(locale="ru-RU", java_script_enabled=False, viewport=NARROW)
    page = context.new_page()
    outbox = context.new_page()
    page.goto("/?lang=ru")
    sign_in(page, outbox, person)

    page.locator("main a[href$='/member']").first.click()
    page.wait_for_url("**/member")
    assert "№ 3187" in page.locator("#akimat").inner_text()
    assert "приостановлен" in page.locator("#entry-status").inner_text().lower()
    chart = page.locator("svg.place-chart")
    assert chart.is_visible() and chart.locator("circle").count() >= 2
    assert chart.bounding_box()["width"] <= 320
    assert page.locator(".vh table tbody tr").count() >= 2
    assert_accessible(page, "member page (ru, 320 px)")
    screenshot(page, "member-ru-320-01-place")

    page.locator("main form[action$='/consent/send'] button").click()
    page.wait_for_url("**/member/consent")
    assert_accessible(page, "consent code page")
    screenshot(page, "member-ru-320-02-consent")
    page.locator('input[name="code"]').fill(newest_code(outbox, person["phone"]))
    page.locator("main form[action$='/member/consent'] button").click()
    page.wait_for_url("**/member")
    status = page.locator("#entry-status").inner_text().lower()
    assert "активн" in status and "приостановлен" not in status
    assert page.locator("#place strong").is_visible()  # a position again
    outbox.goto(f"/demo/sms?phone={digits(OLD_PHONE)}")
    assert "согласие на обработку персональных данных подписано" in \
        outbox.locator("#rows").inner_text()
    screenshot(page, "member-ru-320-03-active")

    page.locator("main a[href$='/member/phone']").click()
    page.wait_for_url("**/member/phone")
    assert_accessible(page, "phone page")
    page.locator('input[name="phone"]').fill("8 701 999 88 77")
    page.locator("main form button.button").click()
    page.wait_for_url("**/member")
    assert "перепроверит" in page.locator("main").inner_text()
    outbox.goto(f"/demo/sms?phone={digits(NEW_PHONE)}")
    assert "теперь приходят на этот номер" in outbox.locator("#rows").inner_text()
    assert_accessible(page, "member page after the changes")
    screenshot(page, "member-ru-320-04-phone")
