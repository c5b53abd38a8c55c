"""The office in a real browser: first sign-in with the authenticator set-up (JavaScript off,
phone width), a head's sign-in with password + TOTP, the work list and the audit trail (desktop
width); every page checked with axe-core and photographed."""

from __future__ import annotations

import pyotp
from playwright.sync_api import expect

from portal.housing.office.staff import accounts

PASSWORD = "browser-password-2026"
HEAD_SECRET = "JBSWY3DPEHPK3PXPBROWSERH"
DESKTOP = {"width": 1280, "height": 800}


def add_staff(live_app, login, role, secret=None):
    from portal.extensions import db

    with live_app.app_context():
        if accounts.by_login(login) is None:
            accounts.add(login, "Сотрудник Тестовый", role, ["almaty"], PASSWORD,
                         totp_secret=secret)
        db.session.remove()


def code_at(secret, live_clock) -> str:
    return pyotp.TOTP(secret).at(live_clock.now())


def test_first_sign_in_sets_up_the_app_without_javascript(
        new_context, live_app, live_clock, assert_accessible, screenshot):
    add_staff(live_app, "browser-newbie", "officer")
    page = new_context(locale="ru-RU", java_script_enabled=False).new_page()
    page.goto("/office/sign-in?lang=ru")
    assert page.locator("h1").inner_text() == "Вход в жилищный отдел"
    screenshot(page, "office-sign-in-360")
    assert_accessible(page, "office sign-in")
    page.fill("#login", "browser-newbie")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url("**/office/sign-in/set-up")
    assert page.locator("h1").inner_text() == "Настройте приложение-аутентификатор"
    screenshot(page, "office-set-up-360")
    assert_accessible(page, "office set-up")
    secret = page.locator("code.secret").inner_text().strip()
    page.fill("#code", "000000")
    page.get_by_role("button", name="Подтвердить и войти").click()
    assert "Код неверный" in page.locator("main").inner_text()
    assert_accessible(page, "office set-up with an error")
    page.fill("#code", code_at(secret, live_clock))
    page.get_by_role("button", name="Подтвердить и войти").click()
    page.wait_for_url("**/office/")
    assert page.locator("h1").inner_text() == "Список работ"
    screenshot(page, "office-work-list-360")
    assert_accessible(page, "office work list")


def test_head_signs_in_with_password_and_code_reads_the_audit_and_signs_out(
        new_context, live_app, live_clock, assert_accessible, screenshot, watch_console):
    add_staff(live_app, "browser-head", "head", HEAD_SECRET)
    page = new_context(locale="en-US", viewport=DESKTOP).new_page()
    problems = watch_console(page)
    page.goto("/office/sign-in?lang=en")
    page.fill("#login", "browser-head")
    page.fill("#password", "not-the-password")
    page.fill("#code", code_at(HEAD_SECRET, live_clock))
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".error-summary")).to_contain_text("The login, password or code is wrong")
    screenshot(page, "office-sign-in-refused-1280")
    assert_accessible(page, "office sign-in refused")
    live_clock.advance(seconds=30)  # the code above was not used, but take a fresh one
    page.fill("#login", "browser-head")
    page.fill("#password", PASSWORD)
    page.fill("#code", code_at(HEAD_SECRET, live_clock))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/office/")
    page.select_option("#kind", "hearing")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/office/?*kind=hearing*")
    screenshot(page, "office-work-list-1280")
    assert_accessible(page, "office work list (desktop)")
    page.get_by_role("link", name="Audit trail").click()
    page.wait_for_url("**/office/audit")
    expect(page.locator("table")).to_contain_text("browser-head")
    screenshot(page, "office-audit-1280")
    assert_accessible(page, "office audit")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/office/sign-in")
    expect(page.locator("h1")).to_have_text("Sign in to the housing office")
    page.goto("/office/")
    assert page.url.endswith("/office/sign-in")
    assert not problems, problems
