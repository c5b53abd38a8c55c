"""The whole residence registration as people do it, on 360x740 phones: the applicant in one
browser, each owner in another reading the 1414 code from the demo SMS outbox. One run per
language; the English one with JavaScript off (plain forms, no htmx) to prove pages work
without it. axe-core checks every page; screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest

from demo_registries.seed import DEMO_PEOPLE

PEOPLE = {p["key"]: p for p in DEMO_PEOPLE}
LOCALE = {"kk": "kk-KZ", "ru": "ru-RU", "en": "en-GB"}

# (applicant, owners who must confirm, address search, whom to register, JavaScript on)
JOURNEYS = {
    "kk": ("one_owner_applicant", ["single_owner"], "Төле би 59", None, True),
    "ru": ("two_owners_applicant", ["co_owner_1", "co_owner_2"], "Қабанбай батыр 11", None,
           True),
    "en": ("parent_of_teen", ["parent_spouse"], "Сәтпаев 30", "Ерасыл", False),
}


def digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def newest_code(outbox, phone: str, purpose_hint: str = "") -> str:
    outbox.goto(f"/demo/sms?phone={digits(phone)}")
    code = outbox.locator("#rows code.otp").first
    code.wait_for()
    return code.inner_text().strip()


def newest_link(outbox, phone: str) -> str:
    outbox.goto(f"/demo/sms?phone={digits(phone)}")
    body = outbox.locator("#rows").inner_text()
    return re.search(r"https?://\S+/c/[\w-]+", body).group(0)


def sign_in(page, outbox, person):
    page.goto("/sign-in")
    page.locator('input[name="iin"]').fill(person["iin"])
    page.locator('main form[action$="/sign-in"] button').click()
    page.wait_for_url("**/sign-in/code")
    page.locator('input[name="code"]').fill(newest_code(outbox, person["phone"]))
    page.locator('main form[action$="/sign-in/code"] button').click()
    page.wait_for_url("**/cabinet")


def walk_to_address(page) -> None:
    """Start a draft for oneself: the address step."""
    page.goto("/residence/")
    page.locator('main form[action$="/residence/new"] button').click()
    page.wait_for_url("**/who")
    page.locator("#person input[type=radio]").first.check()
    page.locator("main form button.button").click()
    page.wait_for_url("**/address")


def walk_to_path(page, search: str) -> None:
    """Start a draft for oneself and pick the first address found: the path page follows."""
    walk_to_address(page)
    page.locator("#q").press_sequentially(search, delay=40)  # typed, as a person does
    page.locator("#results input[name=address_id]").first.check()
    page.locator("#results button").click()
    page.wait_for_url("**/path")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_registration_with_owner_consent(lang, new_context, assert_accessible, screenshot,
                                         watch_console):
    applicant_key, owner_keys, search, ward, javascript = JOURNEYS[lang]
    applicant = PEOPLE[applicant_key]
    context = new_context(locale=LOCALE[lang], java_script_enabled=javascript)
    page = context.new_page()
    problems = watch_console(page)
    outbox = context.new_page()  # the applicant's own SMS, read as a tester would
    page.goto(f"/?lang={lang}")
    sign_in(page, outbox, applicant)

    page.goto("/residence/")
    assert_accessible(page, f"start ({lang})")
    screenshot(page, f"residence-{lang}-0-start")
    page.locator('main form[action$="/residence/new"] button').click()
    page.wait_for_url("**/who")
    assert_accessible(page, f"who ({lang})")
    screenshot(page, f"residence-{lang}-1-who")
    if ward:
        page.locator("#person label", has_text=ward).click()
    else:
        page.locator("#person input[type=radio]").first.check()
    page.locator("main form button.button").click()

    page.wait_for_url("**/address")
    page.locator("#q").press_sequentially(search, delay=40)  # typed, as a person does
    if javascript:  # htmx live search: results appear without a page load
        page.locator("#results input[name=address_id]").first.wait_for()
    else:
        page.locator('main form[role=search] button').click()
        page.wait_for_url("**/address?q=*")
    assert_accessible(page, f"address ({lang})")
    screenshot(page, f"residence-{lang}-2-address")
    page.locator("#results input[name=address_id]").first.check()
    page.locator("#results button").click()

    page.wait_for_url("**/path")
    assert page.locator(".notice ul li").count() == len(owner_keys)  # masked owners
    assert_accessible(page, f"path ({lang})")
    screenshot(page, f"residence-{lang}-3-path")
    page.locator("main form button").first.click()

    page.wait_for_url("**/reason")
    page.locator("#reason input[value=relatives]").check()
    page.locator("main form button.button").click()
    page.wait_for_url("**/check")
    assert_accessible(page, f"check ({lang})")
    screenshot(page, f"residence-{lang}-4-check")
    page.locator("main form button").click()

    page.wait_for_url("**/sign")
    page.locator('input[name="code"]').fill(newest_code(outbox, applicant["phone"]))
    assert_accessible(page, f"sign ({lang})")
    page.locator('main form[action$="/submit"] button').click()
    page.wait_for_url("**/done")
    number = page.locator(".number").inner_text().strip()
    assert re.fullmatch(r"R-\d{4}-\d{6}", number)
    page.wait_for_function("() => document.querySelector('img.qr').complete")
    assert page.locator("img.qr").evaluate("img => img.naturalWidth") > 0  # the SVG loaded
    assert_accessible(page, f"done ({lang})")
    screenshot(page, f"residence-{lang}-5-done")

    status_url = page.locator("main a.button").get_attribute("href")
    page.goto(status_url)
    assert page.locator("#consents .tag").count() == 1 + len(owner_keys)
    screenshot(page, f"residence-{lang}-6-waiting")

    # Each owner, on their own phone, follows the link in their 1414 SMS.
    for i, owner_key in enumerate(owner_keys):
        owner = PEOPLE[owner_key]
        owner_context = new_context(locale=LOCALE[lang], java_script_enabled=javascript)
        owner_outbox = owner_context.new_page()
        code = newest_code(owner_outbox, owner["phone"])
        link = newest_link(owner_outbox, owner["phone"])
        owner_page = owner_context.new_page()
        owner_problems = watch_console(owner_page)
        owner_page.goto(f"{link}?lang={lang}")
        assert owner_page.locator("html").get_attribute("lang") == lang
        assert_accessible(owner_page, f"owner consent ({lang})")
        screenshot(owner_page, f"residence-{lang}-7-owner-{i + 1}")
        owner_page.locator('input[name="code"]').fill(code)
        owner_page.locator('button[value="agree"]').click()
        owner_page.locator(".notice.success").wait_for()
        screenshot(owner_page, f"residence-{lang}-8-owner-{i + 1}-agreed")
        assert owner_problems == []

    page.goto(status_url)
    if javascript:
        page.locator("#consents .tag.ok").first.wait_for()
    assert page.locator("#consents > p .tag.ok").count() == 1  # registered
    assert_accessible(page, f"status ({lang})")
    screenshot(page, f"residence-{lang}-9-registered")
    assert problems == []


def test_the_countdown_polls_while_waiting(new_context, live_clock, watch_console):
    """With JavaScript on, the waiting status page updates itself (htmx polling)."""
    # Not the kk journey's applicant: she is registered at Төле би 59-34 by then, and a second
    # application there is refused (rule 6).
    applicant = PEOPLE["incapable_owner_applicant"]
    context = new_context(locale="en-GB")
    page, outbox = context.new_page(), context.new_page()
    problems = watch_console(page)
    page.goto("/?lang=en")
    sign_in(page, outbox, applicant)
    walk_to_path(page, "Төле би 59")
    page.locator("main form button").first.click()
    page.wait_for_url("**/reason")
    page.locator("#reason input[value=rent]").check()
    page.locator("main form button.button").click()
    page.wait_for_url("**/check")
    page.locator("main form button").click()
    page.wait_for_url("**/sign")  # the signing code has been sent
    page.locator('input[name="code"]').fill(newest_code(outbox, applicant["phone"]))
    page.locator('main form[action$="/submit"] button').click()
    page.wait_for_url("**/done")
    page.goto(page.locator("main a.button").get_attribute("href"))
    assert "60 min" in page.locator("#consents").inner_text()
    live_clock.advance(minutes=61)  # nobody answers: the hour passes
    page.locator("#consents .tag.bad").first.wait_for(timeout=15_000)  # no reload by us
    assert "did not confirm in time" in page.locator("#consents").inner_text()
    assert problems == []


@pytest.mark.parametrize("lang,key,search", [
    ("kk", "minor_owner_applicant", "Тәуке хан 24"),       # a co-owner is a minor
    ("ru", "incapable_owner_applicant", "Бұқар жырау 47"),  # a co-owner declared incapable
    ("en", "lease_outsider", "Сарыарқа 31"),                # not in the state rental lease
])
def test_branches_that_stop_before_signing(lang, key, search, new_context, assert_accessible,
                                           screenshot, watch_console):
    person = PEOPLE[key]
    context = new_context(locale=LOCALE[lang])
    page, outbox = context.new_page(), context.new_page()
    problems = watch_console(page)
    page.goto(f"/?lang={lang}")
    sign_in(page, outbox, person)
    walk_to_path(page, search)
    assert page.locator('main form[action$="/path"]').count() == 0  # no way to go on
    assert page.locator(".notice[role=alert]").is_visible()
    if key == "lease_outsider":
        assert "akimat" in page.locator(".notice").inner_text()
    else:
        assert page.locator("ul.list li").count() >= 1  # the ЦОНs, with addresses and hours
    assert_accessible(page, f"path stops ({lang}, {key})")
    screenshot(page, f"residence-{lang}-stop-{key}")
    assert problems == []


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_pages_outside_the_journeys_are_accessible(lang, new_context, assert_accessible,
                                                   screenshot):
    page = new_context(locale=LOCALE[lang]).new_page()
    for name, url in (("consent-code", "/consent"), ("not-found", "/no-such-page"),
                      ("residence-intro", "/residence/")):
        page.goto(f"{url}?lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        assert_accessible(page, f"{name} ({lang})")
        screenshot(page, f"page-{lang}-{name}")
    page.goto(f"/consent?lang={lang}")
    page.locator('input[name="code"]').fill("12")
    page.locator("main form button").click()
    page.locator(".error-summary").wait_for()
    assert_accessible(page, f"consent code with an error ({lang})")
    screenshot(page, f"page-{lang}-consent-code-error")
