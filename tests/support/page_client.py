"""The test client every test gets (tests/conftest.py sets it as app.test_client_class): each
full HTML page it receives with a 200 passes tests/web/pages.py's check_page, asked for or not,
in the language the URL asked for; and pages can be addressed by endpoint name.

    page = client.get_page("housing.done", app_id=7, lang="en")   # url_for, 200, checked

htmx fragments (no doctype) and files are not pages and are not checked."""

from __future__ import annotations

from flask import url_for
from flask.testing import FlaskClient

from tests.web.pages import LANGS, check_page


def is_full_page(response) -> bool:
    if response.status_code != 200 or response.mimetype != "text/html":
        return False
    if response.direct_passthrough:  # a file sent as it is
        return False
    return response.get_data(as_text=True).lstrip()[:15].lower() == "<!doctype html>"


class PageClient(FlaskClient):
    check_pages = True  # a test that must read a broken page as it is sets this to False

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if self.check_pages and is_full_page(response):
            asked = response.request.args.get("lang") if response.request else None
            check_page(response, asked if asked in LANGS else None)
        return response

    def url(self, endpoint: str, **values) -> str:
        with self.application.test_request_context():
            return url_for(endpoint, **values)

    def get_page(self, endpoint: str, **values):
        """GET the page `endpoint` names (url_for's values, `lang` too); it must be a 200 and
        a full page, checked; returns the parsed page."""
        response = self.get(self.url(endpoint, **values))
        assert response.status_code == 200, (endpoint, response.status_code)
        assert is_full_page(response), endpoint
        return check_page(response, values.get("lang"))
