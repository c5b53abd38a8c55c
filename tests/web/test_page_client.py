"""The tests' client checks every full HTML page it receives (tests/support/page_client.py)."""

from __future__ import annotations

import pytest

TWO_HEADINGS = ("<!doctype html><html lang=\"en\"><head><title>One</title></head>"
                "<body><h1>One</h1><h1>Two</h1></body></html>")


@pytest.fixture
def broken_pages(app):
    app.add_url_rule("/broken-page", "broken_page", lambda: TWO_HEADINGS)
    app.add_url_rule("/broken-fragment", "broken_fragment", lambda: "<h1>One</h1><h1>Two</h1>")
    return app


def test_a_page_that_breaks_the_page_checks_fails_the_test_that_receives_it(broken_pages,
                                                                             client):
    with pytest.raises(AssertionError):
        client.get("/broken-page")
    client.check_pages = False  # read as it is, on purpose
    assert client.get("/broken-page").status_code == 200


def test_a_fragment_is_no_page_and_is_not_checked(broken_pages, client):
    assert client.get("/broken-fragment").status_code == 200


def test_a_page_got_by_its_endpoint_name_is_checked_in_its_language(app, client):
    page = client.get_page("main.home", lang="ru")
    assert page.html["lang"] == "ru"
    assert client.url("main.home", lang="en") == "/?lang=en"
