"""Server-side sessions (issue 6, "Codes and limits" 5): the cookie is only a random id;
sign-out, 30 minutes idle and 12 hours after sign-in end the session on the server. Every test
runs with the database store and with a real Redis server."""

from __future__ import annotations

import pytest

from portal.core.models import Application
from portal.extensions import db
from tests.web.helpers import iin, sign_in

COOKIE = "mk_session"


@pytest.fixture(params=["database", "redis"])
def app_config(request, app_config):
    if request.param == "redis":
        return {**app_config, "REDIS_URL": request.getfixturevalue("redis_url")}
    return app_config


@pytest.fixture(autouse=True)
def _close_redis(app):
    """Close the Redis client's sockets with the test, not at some later garbage collection."""
    yield
    client = getattr(app.session_interface, "client", None)
    if hasattr(client, "connection_pool"):
        client.close()


def _cookie(client) -> str:
    return client.get_cookie(COOKIE).value


def _replay(app, cookie: str):
    other = app.test_client()
    other.set_cookie(COOKIE, cookie)
    return other


def test_the_cookie_is_a_random_id_that_changes_at_sign_in(seeded, app, client):
    client.post("/sign-in", data={"iin": iin("owner_self")})
    before = _cookie(client)
    sign_in(client, "owner_self")
    after = _cookie(client)
    assert after != before and len(after) >= 40
    assert iin("owner_self") not in after
    import base64

    decoded = base64.urlsafe_b64decode(after + "=" * (-len(after) % 4))
    assert iin("owner_self").encode() not in decoded
    assert _replay(app, before).get("/cabinet").status_code == 302  # the old id is worth nothing


def test_a_cookie_replayed_after_sign_out_opens_nothing(seeded, app, client):
    sign_in(client, "owner_self")
    saved = _cookie(client)
    assert _replay(app, saved).get("/cabinet").status_code == 200
    assert client.post("/sign-out").status_code == 303
    thief = _replay(app, saved)
    response = thief.get("/cabinet")
    assert response.status_code == 302 and "/sign-in" in response.location
    assert thief.post("/residence/new").status_code == 302
    assert db.session.query(Application).count() == 0


@pytest.mark.parametrize("idle,open_", [({"minutes": 29, "seconds": 59}, True),
                                        ({"minutes": 30}, False)])
def test_thirty_idle_minutes_end_the_session(seeded, app, client, clock, idle, open_):
    sign_in(client, "owner_self")
    saved = _cookie(client)
    clock.advance(minutes=10)
    assert client.get("/cabinet").status_code == 200  # a request restarts the idle time
    clock.advance(**idle)
    assert (client.get("/cabinet").status_code == 200) is open_
    if not open_:
        assert _replay(app, saved).get("/cabinet").status_code == 302


@pytest.mark.parametrize("last,open_", [({"minutes": 23, "seconds": 59}, True),
                                        ({"minutes": 24}, False)])
def test_twelve_hours_after_sign_in_the_session_ends_however_busy(seeded, client, clock,
                                                                  last, open_):
    sign_in(client, "owner_self")
    for _ in range(24):  # 24 x 29 minutes = 11:36, never idle for 30 minutes
        clock.advance(minutes=29)
        assert client.get("/cabinet").status_code == 200
    clock.advance(**last)  # 11:59:59 or 12:00:00 after sign-in
    assert (client.get("/cabinet").status_code == 200) is open_


def test_sign_out_says_so_and_the_next_sign_in_works(seeded, client):
    sign_in(client, "owner_self")
    response = client.post("/sign-out?lang=en", follow_redirects=True)
    assert "You have signed out." in response.get_data(as_text=True)
    sign_in(client, "owner_self")
    assert client.get("/cabinet").status_code == 200


def test_the_session_lives_where_it_is_configured(seeded, app, client):
    sign_in(client, "owner_self")
    sid = _cookie(client)
    if app.config.get("REDIS_URL"):
        import redis

        with redis.Redis.from_url(app.config["REDIS_URL"]) as store:
            assert store.exists(f"mk:session:{sid}")
            client.post("/sign-out")
            assert not store.exists(f"mk:session:{sid}")
    else:
        import sqlalchemy as sa

        def stored() -> int:
            return db.session.execute(sa.text("SELECT count(*) FROM sessions WHERE session_id "
                                              "= :sid"), {"sid": f"mk:session:{sid}"}).scalar()

        assert stored() == 1
        client.post("/sign-out")
        db.session.commit()
        assert stored() == 0
