"""Signing in as a person would, on a 360x740 phone in each language: the IIN, the one-time code
read from the demo SMS outbox (as a tester does, in a second tab), "My applications", sign out.
Real CSRF tokens, real cookies; axe-core finds no WCAG A/AA violation on any page visited."""

from __future__ import annotations

import re

import pytest
from flask_babel import gettext

from demo_registries.seed import DEMO_PEOPLE

# A different demo person for each language, so the codes (and their resend cool-down on the
# frozen clock) never get in each other's way.
PERSON_FOR = {"kk": "owner_self", "ru": "single_owner", "en": "co_owner_1"}
LOCALE_FOR = {"kk": "kk-KZ", "ru": "ru-RU", "en": "en-GB"}


def demo_person(key: str) -> dict:
    person = next(p for p in DEMO_PEOPLE if p["key"] == key)
    assert person["phone"], f"demo person {key} needs a phone to sign in"
    return person


def translated(app, lang: str, message: str) -> str:
    """What the portal shows for `message` in `lang` (read from the compiled catalogue)."""
    with app.test_request_context(f"/?lang={lang}"):
        return gettext(message)


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def read_code_from_outbox(outbox, phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    outbox.goto(f"/demo/sms?phone={digits}")
    code = outbox.locator("#rows code.otp").first
    code.wait_for()
    value = code.inner_text().strip()
    assert re.fullmatch(r"\d{6}", value), value
    return value


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_sign_in_with_sms_code_and_sign_out(
    lang, new_context, live_app, assert_accessible, screenshot, watch_console
):
    person = demo_person(PERSON_FOR[lang])
    context = new_context(locale=LOCALE_FOR[lang])
    page = context.new_page()
    problems = watch_console(page)

    # Home page, in the chosen language.
    page.goto(f"/?lang={lang}")
    assert html_lang(page) == lang
    assert page.locator("nav.account").count() == 0
    assert_accessible(page, f"home ({lang})")

    # Step 1: the IIN.
    page.locator('main a[href$="/sign-in"]').click()
    page.wait_for_url("**/sign-in")
    assert html_lang(page) == lang
    screenshot(page, f"sign-in-{lang}-1-iin")
    assert_accessible(page, f"sign-in ({lang})")
    page.locator('input[name="iin"]').fill(person["iin"])
    page.locator('main form[action$="/sign-in"] button').click()

    # Step 2: the code, which the demo outbox shows.
    page.wait_for_url("**/sign-in/code")
    assert html_lang(page) == lang
    screenshot(page, f"sign-in-{lang}-2-code")
    assert_accessible(page, f"enter the code ({lang})")

    outbox = context.new_page()
    outbox_problems = watch_console(outbox)
    code = read_code_from_outbox(outbox, person["phone"])
    assert html_lang(outbox) == lang  # the language cookie is shared by the tabs
    screenshot(outbox, f"sign-in-{lang}-3-outbox")
    assert_accessible(outbox, f"demo SMS outbox ({lang})")
    outbox.close()

    page.locator('input[name="code"]').fill(code)
    page.locator('main form[action$="/sign-in/code"] button').click()

    # Signed in: "My applications".
    page.wait_for_url("**/cabinet")
    my_applications = translated(live_app, lang, "My applications")
    assert page.locator("h1").inner_text().strip() == my_applications
    account = page.locator("nav.account")
    assert account.get_by_role("link", name=my_applications).is_visible()
    assert html_lang(page) == lang
    screenshot(page, f"sign-in-{lang}-4-cabinet")
    assert_accessible(page, f"my applications ({lang})")

    # Sign out: back home, signed out, and the account page asks to sign in again.
    account.get_by_role("button", name=translated(live_app, lang, "Sign out")).click()
    page.wait_for_url(re.compile(r"/(\?.*)?$"))
    assert page.locator("nav.account").count() == 0
    assert (
        page.get_by_role("status")
        .filter(has_text=translated(live_app, lang, "You have signed out."))
        .is_visible()
    )
    assert html_lang(page) == lang
    screenshot(page, f"sign-in-{lang}-5-signed-out")
    assert_accessible(page, f"home after sign-out ({lang})")

    page.goto("/cabinet")
    page.wait_for_url("**/sign-in")

    assert problems == []
    assert outbox_problems == []
