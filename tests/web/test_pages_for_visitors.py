"""The home page and the residence start page are rendered once per language for visitors
without a session (portal.web.same_for_every_visitor). Nobody else may get that copy: a
signed-in citizen, a visitor with a message waiting, a kiosk."""

from __future__ import annotations

import pytest

from tests.web.helpers import sign_in
from tests.web.pages import check_page, text_of
from tests.web.test_kiosk import enrol

PAGES = ["/", "/residence/"]


@pytest.mark.parametrize("path", PAGES)
def test_a_visitor_reads_the_page_in_each_language_again_and_again(seeded, app, path):
    visitor = app.test_client()
    first = {lang: visitor.get(f"{path}?lang={lang}") for lang in ("kk", "ru", "en")}
    for lang, response in first.items():
        check_page(response, lang)
        again = app.test_client().get(f"{path}?lang={lang}")
        assert again.get_data() == response.get_data()
        assert again.headers["Cache-Control"] == "no-store"  # still never in a shared cache
    assert len({response.get_data() for response in first.values()}) == 3
    # A visitor without ?lang gets the language of their browser, not the last one kept.
    assert 'lang="ru"' in app.test_client().get(
        path, headers={"Accept-Language": "ru"}).get_data(as_text=True)


@pytest.mark.parametrize("path", PAGES)
def test_a_signed_in_citizen_never_gets_the_visitors_copy(seeded, app, client, path):
    app.test_client().get(f"{path}?lang=en")  # a visitor's copy is kept
    sign_in(client, "owner_self")
    page = text_of(check_page(client.get(f"{path}?lang=en")))
    assert "Sign out" in page and "My applications" in page


def test_a_waiting_message_is_shown_though_a_copy_is_kept(seeded, app, client):
    app.test_client().get("/?lang=en")
    sign_in(client, "owner_self")
    response = client.post("/sign-out?lang=en", follow_redirects=True)
    assert "You have signed out." in text_of(check_page(response))


def test_a_kiosk_gets_its_own_layout_though_a_copy_is_kept(seeded, app, client, runner):
    visitor_html = app.test_client().get("/residence/?lang=en").get_data(as_text=True)
    assert 'class="kiosk' not in visitor_html
    enrol(client, runner)
    assert 'class="kiosk' in client.get("/residence/?lang=en").get_data(as_text=True)
