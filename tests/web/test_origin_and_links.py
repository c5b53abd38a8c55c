"""Requests from other sites, and links that must never leave the site."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest

from tests.web.pages import check_page, text_of

IIN = "850314301209"


# --- The language links ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/%5Cevil.example", "/%5C%5Cevil.example/x",
                                  "/%2F%2Fevil.example", "/x/%5C%5Cevil.example"])
def test_the_language_links_of_a_404_stay_on_the_portal(client, path):
    response = client.get(path)
    assert response.status_code == 404
    page = check_page(response)
    links = page.select("nav.langs a")
    assert len(links) == 3
    page_url = "https://portal.example" + path
    for link in links:
        resolved = urlsplit(urljoin(page_url, link["href"]))
        # What a browser does: a backslash counts as a slash in http(s) URLs.
        assert "\\" not in link["href"] and not link["href"].startswith("/")
        assert resolved.netloc == "portal.example", link["href"]


def test_a_language_link_keeps_the_page_and_its_query(client):
    page = check_page(client.get("/sign-in?next=%2Fcabinet&lang=kk"))
    hrefs = {a["hreflang"]: a["href"] for a in page.select("nav.langs a")}
    assert hrefs["ru"] == "?next=%2Fcabinet&lang=ru"
    assert urljoin("http://localhost/sign-in?lang=kk", hrefs["en"]) == (
        "http://localhost/sign-in?next=%2Fcabinet&lang=en")


# --- The Origin header ----------------------------------------------------------------------


@pytest.mark.parametrize("origin", ["https://evil.example", "http://localhost.evil.example",
                                    "http://localhost:8080", "null", "https://localhost"])
def test_a_post_from_another_site_is_refused_with_a_translated_page(seeded, client, origin):
    response = client.post("/sign-in?lang=en", data={"iin": IIN}, headers={"Origin": origin})
    assert response.status_code == 403
    assert "sent from another website" in text_of(check_page(response))
    ru = client.post("/sign-in?lang=ru", data={"iin": IIN}, headers={"Origin": origin})
    assert ru.status_code == 403 and "другого сайта" in text_of(check_page(ru))


def test_nothing_is_done_for_a_foreign_post(seeded, client):
    from tests.web.helpers import last_sms

    client.post("/sign-in", data={"iin": IIN}, headers={"Origin": "https://evil.example"})
    assert last_sms() is None  # no sign-in code was sent


@pytest.mark.parametrize("headers", [{}, {"Origin": "http://localhost"},
                                     {"Origin": "HTTP://LOCALHOST:80"}])
def test_a_post_without_origin_or_from_the_portal_itself_works(seeded, client, headers):
    response = client.post("/sign-in", data={"iin": IIN}, headers=headers)
    assert response.status_code == 303


class TestBehindItsPublicAddress:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "PUBLIC_URL": "https://e-tirkeu.example.kz"}

    def test_the_public_url_and_the_host_asked_are_both_the_portal(self, seeded, client):
        assert client.post("/sign-in", data={"iin": IIN},
                           headers={"Origin": "https://e-tirkeu.example.kz"}).status_code == 303
        assert client.post("/sign-in", data={"iin": IIN}, base_url="http://10.0.0.5:8000",
                           headers={"Origin": "http://10.0.0.5:8000"}).status_code == 303
        assert client.post("/sign-in", data={"iin": IIN},
                           headers={"Origin": "http://e-tirkeu.example.kz"}).status_code == 403


def test_a_get_is_never_refused_for_its_origin(client):
    assert client.get("/", headers={"Origin": "https://evil.example"}).status_code == 200


def test_the_sms_webhook_takes_posts_from_the_provider(seeded, client):
    """The provider's servers are another origin; the webhook is guarded by its secret."""
    response = client.post(
        "/sms/inbound", json={"id": "p-1", "from": "+77000000000", "text": "hello"},
        headers={"Origin": "https://sms-provider.example",
                 "X-Webhook-Secret": "test-inbound-secret"})
    assert response.status_code == 200


class TestWithCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_the_origin_is_checked_before_the_token(self, client):
        response = client.post("/sign-in?lang=en", data={"iin": IIN},
                               headers={"Origin": "https://evil.example"})
        assert response.status_code == 403
