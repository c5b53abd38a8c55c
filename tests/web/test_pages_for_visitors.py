"""The home page, the residence start page, the sign-in form and the owner's /consent form, as
visitors get them: the same page for every visitor in a language but for each visitor's own
CSRF token, rendered for each request (no page is kept and rewritten: each visitor's page is
made for them)."""

from __future__ import annotations

import re

import pytest
from flask import template_rendered

from tests.web.pages import check_page

PAGES = ["/", "/residence/", "/sign-in", "/consent"]
FORMS = ["/sign-in", "/consent"]


def tokens(response) -> tuple[str, str]:
    """The form's CSRF token and the htmx header's."""
    html = response.get_data(as_text=True)
    return (re.search(r'name="csrf_token" value="([^"]*)"', html)[1],
            re.search(r'"X-CSRFToken": "([^"]*)"', html)[1])


@pytest.mark.parametrize("path", PAGES)
def test_a_visitor_reads_the_page_in_each_language_again_and_again(seeded, app, path):
    visitor = app.test_client()
    first = {lang: visitor.get(f"{path}?lang={lang}") for lang in ("kk", "ru", "en")}
    for lang, response in first.items():
        check_page(response, lang)
        again = app.test_client().get(f"{path}?lang={lang}")
        if path in FORMS:  # the same page but for each visitor's own token
            assert tokens(again)[0] != tokens(response)[0]
            assert again.get_data(as_text=True).replace(tokens(again)[0], "") == \
                response.get_data(as_text=True).replace(tokens(response)[0], "")
        else:
            assert again.get_data() == response.get_data()
        assert again.headers["Cache-Control"] == "no-store"  # still never in a shared cache
    assert len({response.get_data() for response in first.values()}) == 3
    # A visitor without ?lang gets the language of their browser, not the last one kept.
    assert 'lang="ru"' in app.test_client().get(
        path, headers={"Accept-Language": "ru"}).get_data(as_text=True)


@pytest.mark.parametrize("path", PAGES)
def test_each_visitor_page_is_rendered_for_its_request(seeded, app, path):
    rendered = []

    def note(sender, template, context, **extra):
        rendered.append(template.name)

    with template_rendered.connected_to(note, app):
        for _visitor in range(2):
            check_page(app.test_client().get(f"{path}?lang=en"), "en")
    assert len(rendered) == 2, rendered


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True


@pytest.mark.parametrize("path", FORMS)
def test_each_visitor_posts_the_form_with_their_own_token(seeded, app, csrf_on, path):
    first, second = app.test_client(), app.test_client()
    first_token, first_header = tokens(first.get(f"{path}?lang=en"))
    second_token, second_header = tokens(second.get(f"{path}?lang=en"))
    assert first_token and second_token and first_token != second_token
    assert (first_header, second_header) == (first_token, second_token)
    data = {"iin": "000000000000", "code": "123456"}
    assert second.post(path, data={**data, "csrf_token": first_token}).status_code == 400
    for client, token in ((first, first_token), (second, second_token)):
        response = client.post(f"{path}?lang=en", data={**data, "csrf_token": token})
        assert response.status_code == 200 and "form may have expired" not in \
            response.get_data(as_text=True)  # the form answered (a wrong IIN), not CSRF


def test_a_page_without_a_form_makes_no_token(seeded, app):
    visitor = app.test_client()
    visitor.get("/?lang=en")
    response = visitor.get("/residence/?lang=en")
    assert tokens_header(response) == "" and visitor.get_cookie("mk_session") is None


def tokens_header(response) -> str:
    return re.search(r'"X-CSRFToken": "([^"]*)"', response.get_data(as_text=True))[1]
