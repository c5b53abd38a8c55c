"""Shared fixtures: an app on a fresh database (SQLite file, or PostgreSQL when
PORTAL_TEST_DATABASE_URL is set), a controlled clock, the test client, the seeded registries."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from flask import g

from portal import create_app
from portal.clock import FrozenClock
from portal.extensions import db as _db
from portal.extensions import limiter

pytest_plugins = ["tests.support.redis_server"]

# Monday 23 November 2026, 11:00 in Almaty: a working day, inside office hours.
START = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)


def _database_url(tmp_path) -> str:
    return os.environ.get("PORTAL_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def app_config(tmp_path, clock) -> dict:
    """Override in a test module to change settings before the app is built."""
    return {
        "TESTING": True,
        "ENV_NAME": "test",
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path),
        "DEMO_MODE": True,
        "PUBLIC_URL": "http://localhost",
        "SMS_BACKEND": "outbox",
        "SMS_INBOUND_SECRET": "test-inbound-secret",
        "RATELIMIT_STORAGE_URI": "memory://",
        "SESSION_COOKIE_SECURE": False,
        "WTF_CSRF_ENABLED": False,
        "CLOCK": clock,
    }


@pytest.fixture
def app(app_config):
    app = create_app(app_config)

    @app.before_request
    def fresh_request_caches():
        # The fixture's app context outlives each test request, so its `g` would carry
        # Flask-Babel's cached locale from one request to the next; a server's would not.
        g.pop("_flask_babel", None)

    with app.app_context():
        _db.drop_all()
        _db.create_all()
        limiter.reset()
        yield app
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def seeded(app):
    """The demo registries, as `flask demo seed` creates them."""
    from portal.registries.seed import seed_demo

    seed_demo()
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
