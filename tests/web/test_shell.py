"""What every page shares: languages, security headers, CSRF, error pages, health check."""

from __future__ import annotations

import pytest

from portal import create_app
from portal.config import ConfigError
from tests.web.helpers import iin, sign_in
from tests.web.pages import LANGS, check_page, text_of


@pytest.mark.parametrize("lang,heading", [("kk", None), ("ru", None), ("en", "Public services")])
def test_home_in_every_language(client, lang, heading):
    page = check_page(client.get(f"/?lang={lang}"), lang)
    if heading:
        assert heading in page.h1.get_text()
    links = {a["hreflang"]: a["href"] for a in page.select(".langs a")}
    assert set(links) == set(LANGS)
    assert all(f"lang={code}" in href for code, href in links.items())


def test_kazakh_is_the_default(client):
    assert check_page(client.get("/")).html["lang"] == "kk"


def test_accept_language_is_the_first_guess(client):
    response = client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    assert check_page(response).html["lang"] == "ru"


def test_the_choice_is_remembered_in_a_cookie(client):
    response = client.get("/?lang=en")
    assert "lang=en" in response.headers["Set-Cookie"]
    assert check_page(client.get("/sign-in")).html["lang"] == "en"
    # and it beats the browser's guess
    response = client.get("/", headers={"Accept-Language": "ru"})
    assert check_page(response).html["lang"] == "en"


def test_an_unknown_language_falls_back(client):
    assert check_page(client.get("/?lang=xx")).html["lang"] == "kk"


def test_kazakh_pages_have_no_english_sentences(client):
    text = text_of(check_page(client.get("/?lang=kk")))
    for english in ("Sign in", "Registration", "housing", "Questions"):
        assert english not in text


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_htmx_is_vendored_and_configured_for_the_csp(client):
    page = check_page(client.get("/demo/sms"))  # a page that uses htmx (it polls)
    loader = page.select_one("script[src$='/static/js/htmx-on-demand.js']")
    assert loader["data-htmx"] == "/static/htmx.min.js"
    with client.get(loader["data-htmx"]) as htmx:
        assert htmx.status_code == 200
    assert not [s for s in page.select("script") if not s.get("src")]  # no inline script
    config = page.select_one("meta[name=htmx-config]")["content"]
    assert '"allowEval":false' in config and '"includeIndicatorStyles":false' in config
    body = page.body
    assert body["data-hx-boost"] == "true" and "X-CSRFToken" in body["data-hx-headers"]


def test_htmx_is_fetched_only_by_pages_that_use_more_than_the_boost(client):
    """Issue #24: htmx is 17 KB gzipped, more than a first visit's whole budget (14.6 KB), so a
    page that only boosts its links does without it: they work as plain links."""
    for url in ("/", "/sign-in", "/consent", "/queue", "/housing/", "/no-such-page"):
        page = client.get(url).get_data(as_text=True)
        assert "htmx.min.js" not in page, url


def test_pages_that_use_htmx_do_not_fetch_it_on_first_load(seeded, client):
    """Issue #24: the address step names only the small on-demand loader; htmx itself is no
    <script src> of the page (the loader fetches it on the first intent)."""
    sign_in(client, "one_owner_applicant")
    base = client.post("/residence/new").location.rsplit("/", 1)[0]
    client.post(f"{base}/who", data={"person": iin("one_owner_applicant")})
    page = check_page(client.get(f"{base}/address"))
    assert [s["src"] for s in page.select("script[src]")] == ["/static/js/htmx-on-demand.js"]
    assert page.select_one("#q")["data-hx-get"]


@pytest.mark.parametrize("lang,words", [("en", "Page not found"), ("ru", None), ("kk", None)])
def test_404_is_translated(client, lang, words):
    response = client.get(f"/no-such-page?lang={lang}")
    assert response.status_code == 404
    page = check_page(response, lang)
    if words:
        assert words in page.h1.get_text()


def test_500_is_a_translated_page_not_a_stack_trace(app, client):
    @app.route("/boom")
    def boom():
        raise RuntimeError("kaboom")

    response = client.get("/boom?lang=en")
    assert response.status_code == 500
    assert "Something went wrong" in text_of(check_page(response))
    assert "kaboom" not in response.get_data(as_text=True)


def test_413_for_a_too_large_body(app, client):
    response = client.post("/sign-in?lang=en", data={"iin": "x" * (7 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too large" in text_of(check_page(response))


def test_429_is_translated(seeded, client):
    for _ in range(10):
        client.post("/consent", data={"code": "123456"})
    response = client.post("/consent?lang=en", data={"code": "123456"})
    assert response.status_code == 429
    assert "Too many attempts" in text_of(check_page(response))


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


class TestWithCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_a_post_without_the_token_is_refused_with_a_translated_page(self, client):
        response = client.post("/sign-in?lang=en", data={"iin": "850314301209"})
        assert response.status_code == 400
        assert "could not be understood" in text_of(check_page(response))

    def test_a_post_with_the_token_from_the_page_works(self, seeded, client):
        page = check_page(client.get("/sign-in"))
        token = page.select_one("input[name=csrf_token]")["value"]
        response = client.post("/sign-in", data={"iin": "850314301209", "csrf_token": token})
        assert response.status_code == 303

    def test_htmx_sends_the_token_in_a_header(self, seeded, client):
        import json

        page = check_page(client.get("/sign-in"))
        header = json.loads(page.body["data-hx-headers"])["X-CSRFToken"]
        response = client.post("/sign-in", data={"iin": "850314301209"},
                               headers={"X-CSRFToken": header, "HX-Request": "true"})
        assert response.status_code == 303


def test_every_post_route_is_csrf_protected(app):
    """Only the SMS provider's webhooks (secured by its shared secret) are exempt."""
    from portal.extensions import csrf

    exempt = {name for name in csrf._exempt_views}
    assert exempt == {"portal.residence.consent.routes.inbound_sms",
                      "portal.residence.consent.routes.delivery_report"}


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        create_app()


# Secure cookies in production: test_production_settings_are_accepted; PORTAL_DEMO=1, once
# silently ignored there, now refuses to start: test_production_refuses_demo_mode (both in
# tests/web/test_production_settings.py).


def test_the_vendored_htmx_is_the_pinned_2_0_11():
    from portal.config import REPO_ROOT

    source = (REPO_ROOT / "static" / "htmx.min.js").read_text()
    assert 'version:"2.0.11"' in source


def test_sqlite_runs_in_wal_mode(app, db):
    import sqlalchemy as sa

    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL has no journal mode")
    assert db.session.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"


@pytest.mark.parametrize("lang,words", [("kk", "уақытша"), ("ru", "временно"),
                                        ("en", "briefly unavailable")])
@pytest.mark.parametrize("failure", ["database", "redis"])
def test_an_unreachable_database_or_redis_is_a_translated_503_to_retry(app, client, lang, words,
                                                                      failure):
    import redis
    import sqlalchemy as sa

    @app.route("/store-down")
    def store_down():
        if failure == "database":
            raise sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the "
                                                                     "connection unexpectedly"))
        raise redis.exceptions.ConnectionError("Connection refused")

    response = client.get(f"/store-down?lang={lang}")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    page = text_of(check_page(response, lang))
    assert words in page.lower() and "closed the connection" not in page
