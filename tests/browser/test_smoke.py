"""The home page in a real Chromium on a 360x740 phone: each language, links that switch it
without JavaScript, no accessibility violations (axe-core, WCAG 2.x A/AA), no CSP errors."""

from __future__ import annotations

import pytest

LANGUAGES = ("kk", "ru", "en")


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def language_link(page, code: str):
    return page.locator(f'nav.langs a[hreflang="{code}"]')


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_page_in_each_language(lang, phone_page, assert_accessible, screenshot, watch_console):
    page = phone_page
    problems = watch_console(page)

    response = page.goto(f"/?lang={lang}")

    assert response is not None and response.status == 200
    assert html_lang(page) == lang
    assert page.locator("h1").count() == 1
    assert page.title().strip()
    # The current language is marked for screen readers; the other two are links to switch.
    assert language_link(page, lang).get_attribute("aria-current") == "true"
    for other in LANGUAGES:
        assert language_link(page, other).is_visible()
    # Nothing is wider than the phone: no sideways scrolling at 360 px.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    screenshot(page, f"home-{lang}-360x740")
    assert_accessible(page, f"home page ({lang})")
    assert problems == []


def test_browser_language_is_used_without_a_choice(new_context):
    page = new_context(locale="ru-RU").new_page()
    page.goto("/")
    assert html_lang(page) == "ru"


def test_language_links_work_without_javascript(new_context, screenshot, assert_accessible):
    page = new_context(locale="kk-KZ", java_script_enabled=False).new_page()
    page.goto("/")
    assert html_lang(page) == "kk"

    for code in ("ru", "en", "kk", "en"):
        language_link(page, code).click()
        page.wait_for_load_state()
        assert html_lang(page) == code
        assert f"lang={code}" in page.url
        assert language_link(page, code).get_attribute("aria-current") == "true"

    # The choice is remembered: a plain address keeps English.
    page.goto("/")
    assert html_lang(page) == "en"
    screenshot(page, "home-en-no-javascript")
    assert_accessible(page, "home page without JavaScript (en)")


def test_language_links_work_with_javascript(phone_page, watch_console):
    page = phone_page
    problems = watch_console(page)
    page.goto("/?lang=kk")
    language_link(page, "ru").click()
    page.wait_for_url("**lang=ru**")
    assert html_lang(page) == "ru"
    language_link(page, "en").click()
    page.wait_for_url("**lang=en**")
    assert html_lang(page) == "en"
    assert problems == []
