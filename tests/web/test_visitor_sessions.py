"""A visitor's session (a form's CSRF token, a message, where to go after signing in) is a
signed cookie, not a row in the store (portal.core.sessions.VisitorCookieSessions); anything else
moves it to the server store. Database store and Redis."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeSerializer

from portal.core.sessions import VISITOR_PREFIX
from portal.extensions import db
from tests.web.helpers import code_in, iin, last_sms, phone_of

COOKIE = "mk_session"


@pytest.fixture(params=["database", "redis"])
def app_config(request, app_config):
    config = {**app_config, "WTF_CSRF_ENABLED": True}
    if request.param == "redis":
        config["REDIS_URL"] = request.getfixturevalue("redis_url")
    return config


@pytest.fixture(autouse=True)
def _close_redis(app):
    yield
    client = getattr(app.session_interface.store, "client", None)
    if hasattr(client, "connection_pool"):
        client.close()


def stored_sessions(app) -> int:
    if app.config.get("REDIS_URL"):
        import redis

        with redis.Redis.from_url(app.config["REDIS_URL"]) as store:
            return len(store.keys("mk:session:*"))
    db.session.commit()
    return db.session.execute(sa.text("SELECT count(*) FROM sessions")).scalar()


def token_of(response) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))[1]


def test_a_visitors_form_token_is_a_signed_cookie_until_sign_in_begins(seeded, app, client):
    before = stored_sessions(app)
    page = client.get("/sign-in")
    assert client.get_cookie(COOKIE).value.startswith(VISITOR_PREFIX)
    assert stored_sessions(app) == before  # no row, no key for a visitor reading a form
    response = client.post("/sign-in", data={"iin": iin("owner_self"),
                                             "csrf_token": token_of(page)})
    assert response.status_code == 303  # the token from the cookie session was accepted
    sid = client.get_cookie(COOKIE).value
    assert not sid.startswith(VISITOR_PREFIX) and stored_sessions(app) == before + 1
    code_page = client.get("/sign-in/code")
    response = client.post("/sign-in/code", data={
        "code": code_in(last_sms(phone_of("owner_self"))), "csrf_token": token_of(code_page)})
    assert response.status_code == 303 and client.get("/cabinet").status_code == 200


def _visitor_cookie(secret: str, data: dict, stamp: float = 1e12) -> str:
    serializer = URLSafeSerializer(secret, salt="mekenjai.visitor-session")
    return VISITOR_PREFIX + serializer.dumps([stamp, data])


@pytest.mark.parametrize("forge", ["wrong secret", "a signed-in key", "tampered", "not json"])
def test_a_forged_visitor_cookie_opens_nothing(seeded, app, client, forge):
    secret = app.secret_key if forge != "wrong secret" else "another-secret"
    value = _visitor_cookie(secret, {"iin": iin("owner_self"), "csrf_token": "x"})
    if forge == "tampered":
        value = _visitor_cookie(app.secret_key, {"csrf_token": "x"})[:-3] + "AAA"
    elif forge == "not json":
        value = VISITOR_PREFIX + "%%%"
    client.set_cookie(COOKIE, value)
    response = client.get("/cabinet")
    assert response.status_code == 302 and "/sign-in" in response.location
    assert client.get("/sign-in").status_code == 200


def test_a_visitor_cookie_is_honoured_for_twelve_hours(seeded, app, client, clock):
    page = client.get("/sign-in")
    clock.advance(hours=11, minutes=59)
    assert client.post("/sign-in", data={"iin": iin("owner_self"),
                                         "csrf_token": token_of(page)}).status_code == 303
    other = app.test_client()
    page = other.get("/sign-in")
    clock.advance(hours=12)
    response = other.post("/sign-in?lang=en", data={"iin": iin("owner_self"),
                                                    "csrf_token": token_of(page)})
    assert response.status_code == 400 and "form may have expired" in response.get_data(
        as_text=True)


def test_signing_out_leaves_only_a_cookie_with_the_message(seeded, app, client):
    from tests.web.helpers import sign_in

    app.config["WTF_CSRF_ENABLED"] = False
    sign_in(client, "owner_self")
    signed_in = stored_sessions(app)
    response = client.post("/sign-out?lang=en", follow_redirects=True)
    assert "You have signed out." in response.get_data(as_text=True)
    assert stored_sessions(app) == signed_in - 1


def test_a_stored_session_left_with_a_visitors_keys_is_deleted_and_becomes_a_cookie(
        seeded, app, client):
    before = stored_sessions(app)
    page = client.get("/sign-in")
    client.post("/sign-in", data={"iin": iin("owner_self"), "csrf_token": token_of(page)})
    stored_sid = client.get_cookie(COOKIE).value
    assert stored_sessions(app) == before + 1  # the code being typed is on the server
    with client.session_transaction() as session:
        for key in set(session) - {"csrf_token", "_permanent"}:
            del session[key]
    assert stored_sessions(app) == before
    value = client.get_cookie(COOKIE).value
    assert value.startswith(VISITOR_PREFIX) and stored_sid not in value
    assert client.get("/sign-in").status_code == 200  # the visitor goes on, in a cookie
