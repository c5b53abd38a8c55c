"""Every page the portal has, in every language, passes the HTML checks (one <h1>, a lang,
labels, unique ids, CSRF on POST forms). A new GET route fails here until it is listed."""

from __future__ import annotations

import pytest

from tests.web.crawl import citizen_pages
from tests.web.helpers import iin, last_sms, new_draft, phone_of
from tests.web.pages import LANGS, check_page

NOT_HTML = {"static", "favicon", "main.healthz", "status.qr", "office.setup_qr", "kiosk.handoff_qr",
            "housing.qr", "housing.document", "office.document", "office.audit_export",
            "kiosk.speech_audio"}


@pytest.fixture
def urls(seeded, client, tmp_path):
    """One real URL for each GET endpoint, from a signed-in applicant with a draft and an
    application waiting for an owner's consent (tests/web/crawl.py)."""
    return citizen_pages(seeded, client, tmp_path)


def test_every_get_route_is_checked(app, urls):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    unlisted = endpoints - set(urls) - NOT_HTML
    assert not unlisted, f"add these pages to the crawl: {sorted(unlisted)}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_in_every_language(app, client, urls, lang):
    for endpoint, url in urls.items():
        if url is None:
            continue
        sep = "&" if "?" in url else "?"
        response = client.get(f"{url}{sep}lang={lang}")
        assert response.status_code == 200, (endpoint, response.status_code)
        check_page(response, lang)


def test_the_code_page_and_a_resumed_draft(seeded, client):
    client.post("/sign-in", data={"iin": iin("owner_self")})
    check_page(client.get("/sign-in/code?lang=ru"), "ru")
    from tests.web.helpers import code_in

    client.post("/sign-in/code", data={"code": code_in(last_sms(phone_of("owner_self")))})
    draft = new_draft(client)
    assert client.get(draft).location.endswith(f"{draft}/who")
