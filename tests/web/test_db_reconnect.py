"""Speed under real load: a database restart or a dropped connection is never a 500. The pool
pings a connection before lending it (pool_pre_ping), so the request after the drop works; a
connection lost in the middle of a request is the translated 503 with Retry-After. PostgreSQL
only: SQLite has no server to restart (a closed SQLite connection is already discarded by the
pool when it comes back)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.support.threads import run_together
from tests.web.helpers import sign_in


def _postgres_only(db) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")


def _kill_the_apps_connections(db) -> int:
    """What a database restart does to the pool: every backend of this database ends."""
    admin = sa.create_engine(db.engine.url, poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        killed = conn.execute(sa.text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
    admin.dispose()
    return killed


def test_the_request_after_a_killed_connection_succeeds(app, db, seeded, client):
    _postgres_only(db)
    sign_in(client, "owner_self")
    assert client.get("/cabinet").status_code == 200
    assert _kill_the_apps_connections(db) >= 1
    response = client.get("/cabinet")
    assert response.status_code == 200  # pre-ping replaced the dead connection


def test_a_connection_killed_during_a_request_is_a_translated_503(app, db, client):
    _postgres_only(db)

    @app.route("/killed-mid-request")
    def killed_mid_request():
        own = db.session.execute(sa.text("SELECT pg_backend_pid()")).scalar()
        admin = sa.create_engine(db.engine.url, poolclass=sa.pool.NullPool)
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": own})
        admin.dispose()
        db.session.execute(sa.text("SELECT 1"))  # the real driver error, not a stand-in
        return "unreachable"

    response = client.get("/killed-mid-request?lang=en")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "briefly unavailable" in response.get_data(as_text=True)
    assert client.get("/healthz").status_code == 200  # and the next request is fine


def test_a_connection_lost_after_the_page_was_made_still_sends_the_page(app, db, client):
    """The restart comes after the view's last statement, with its transaction open: the page
    is made, and ending the request (Flask-SQLAlchemy's rollback on the dead connection) must
    not turn it into a 500 (the fault run of `make load` saw one, POST .../sign)."""
    _postgres_only(db)

    @app.route("/lost-after-the-page")
    def lost_after_the_page():
        own = db.session.execute(sa.text("SELECT pg_backend_pid()")).scalar()  # opens a transaction
        admin = sa.create_engine(db.engine.url, poolclass=sa.pool.NullPool)
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": own})
        admin.dispose()
        return "made"

    # In a thread of its own, as a server runs a request: no app context outlives it (the
    # fixture's would), so the request's own teardown runs, and with it the rollback.
    [response] = run_together(1, lambda _: client.get("/lost-after-the-page"))
    assert (response.status_code, response.get_data(as_text=True)) == (200, "made")
    assert client.get("/healthz").status_code == 200  # the dead connection left the pool
