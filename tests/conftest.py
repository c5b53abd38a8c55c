"""Shared fixtures: an app on a fresh database (SQLite file, or PostgreSQL when
PORTAL_TEST_DATABASE_URL is set), a controlled clock, the test client, the seeded registries.

Each test gets its own copy of a database built once per test session (per xdist worker):
the schema alone, or the schema with the demo registries when the test asks for `seeded`.
SQLite copies the file; PostgreSQL makes the test database with CREATE DATABASE ... TEMPLATE.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g
from sqlalchemy.engine import make_url

from portal import create_app
from portal.clock import FrozenClock
from portal.extensions import db as _db
from portal.extensions import limiter
from tests.support.page_client import PageClient

pytest_plugins = ["tests.support.redis_server"]

# Monday 23 November 2026, 11:00 in Almaty: a working day, inside office hours.
START = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)
TEMPLATES = ("empty", "seeded")


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _postgres_url() -> str | None:
    """The PostgreSQL test database, one per xdist worker."""
    url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if not url or _worker() == "main":
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{_worker()}").render_as_string(
        hide_password=False)


def _database_url(tmp_path) -> str:
    return _postgres_url() or f"sqlite:///{tmp_path / 'test.db'}"


def _base_config(database_url: str, clock: FrozenClock) -> dict:
    return {
        "TESTING": True,
        "ENV_NAME": "test",
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "DEMO_MODE": True,
        "PUBLIC_URL": "http://localhost",
        "SMS_BACKEND": "outbox",
        "SMS_SEND_IN_REQUEST": True,  # deterministic; tests/integration/test_sms_worker.py: off
        "SMS_INBOUND_SECRET": "test-inbound-secret",
        "RATELIMIT_STORAGE_URI": "memory://",
        "SESSION_COOKIE_SECURE": False,
        "WTF_CSRF_ENABLED": False,
        "CLOCK": clock,
    }


# --- Template databases ---------------------------------------------------------------------


class PostgresTemplates:
    """Template databases next to the test database, copied by CREATE DATABASE ... TEMPLATE
    (no connection may be open to the template meanwhile: each is built, then disposed)."""

    def __init__(self, url: str):
        self.url = make_url(url)
        self.admin = sa.create_engine(self.url.set(database="postgres"),
                                      isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)

    def name(self, kind: str) -> str:
        return f"{self.url.database}_tmpl_{kind}"

    def _recreate(self, database: str, template: str = "template0") -> None:
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{database}" TEMPLATE "{template}"'))

    def build_url(self, kind: str) -> str:
        self._recreate(self.name(kind))
        return self.url.set(database=self.name(kind)).render_as_string(hide_password=False)

    def restore(self, kind: str, database_url: str) -> None:
        self._recreate(make_url(database_url).database, self.name(kind))

    def drop(self) -> None:
        with self.admin.connect() as conn:
            for kind in TEMPLATES:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name(kind)}" WITH (FORCE)'))
        self.admin.dispose()


class SqliteTemplates:
    def __init__(self, folder: Path):
        self.folder = folder

    def build_url(self, kind: str) -> str:
        return f"sqlite:///{self.folder / f'{kind}.db'}"

    def restore(self, kind: str, database_url: str) -> None:
        target = make_url(database_url).database
        for suffix in ("-wal", "-shm"):
            Path(target + suffix).unlink(missing_ok=True)
        shutil.copyfile(self.folder / f"{kind}.db", target)

    def drop(self) -> None:
        pass


def _build_template(database_url: str, seed: bool) -> None:
    from demo_registries.models import create_tables
    from demo_registries.seed import seed_demo

    app = create_app(_base_config(database_url, FrozenClock(START)))
    with app.app_context():
        _db.create_all()
        create_tables()
        if seed:
            seed_demo()
        _db.session.remove()
        if _db.engine.dialect.name == "sqlite":
            with _db.engine.connect() as conn:  # everything into the main file, to copy it
                conn.execute(sa.text("PRAGMA wal_checkpoint(TRUNCATE)"))
                conn.execute(sa.text("PRAGMA journal_mode=DELETE"))
        _db.engine.dispose()


@pytest.fixture(scope="session")
def database_templates(tmp_path_factory):
    """Built once per session (per xdist worker): restore(kind, url) copies one to `url`."""
    url = _postgres_url()
    templates = PostgresTemplates(url) if url else SqliteTemplates(
        tmp_path_factory.mktemp("templates"))
    for kind in TEMPLATES:
        _build_template(templates.build_url(kind), seed=kind == "seeded")
    yield templates
    templates.drop()


# --- Fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def cheap_staff_password_hashes():
    """argon2-cffi's own profile for tests: a staff password hashed and verified in well under a
    millisecond instead of ~300 ms each (still argon2id; a hash carries its parameters)."""
    from argon2 import PasswordHasher
    from argon2.profiles import CHEAPEST

    from portal.housing.office.staff import accounts, signin

    cheap = PasswordHasher.from_parameters(CHEAPEST)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "hasher", cheap)
        patch.setattr(signin, "hasher", cheap)
        yield cheap



@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def app_config(tmp_path, clock) -> dict:
    """Override in a test module to change settings before the app is built."""
    return _base_config(_database_url(tmp_path), clock)


@pytest.fixture
def app(app_config, database_templates, request):
    kind = "seeded" if "seeded" in request.fixturenames else "empty"
    database_templates.restore(kind, app_config["SQLALCHEMY_DATABASE_URI"])
    app = create_app(app_config)
    app.extensions["test_database"] = kind
    app.test_client_class = PageClient  # every HTML page a test receives is checked

    def fresh_request_caches():
        # The fixture's app context outlives each test request, so its `g` would carry
        # Flask-Babel's cached locale and Flask-WTF's signed CSRF token from one request to the
        # next; a server's would not. First of all: other before_request functions may already
        # render a page.
        g.pop("_flask_babel", None)
        g.pop("csrf_token", None)

    app.before_request_funcs.setdefault(None, []).insert(0, fresh_request_caches)

    with app.app_context():
        limiter.reset()
        yield app
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def seeded(app):
    """The demo registries, as `flask demo seed` creates them (copied from the template)."""
    if app.extensions["test_database"] != "seeded":  # asked for late (getfixturevalue)
        from demo_registries.seed import seed_demo

        seed_demo()
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
