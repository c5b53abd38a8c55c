"""Mekenjai, the citizen portal. create_app() is the only place where things are wired."""

from __future__ import annotations

import logging
import sqlite3

from flask import Flask
from jinja2 import StrictUndefined
from sqlalchemy import event
from sqlalchemy.engine import Engine

from portal import config as config_module
from portal.clock import SystemClock
from portal.extensions import babel, csrf, db, htmx, limiter, migrate


def create_app(config: dict | None = None) -> Flask:
    """The app, in the order its parts need each other: settings, the extensions, the web
    layer, the core's services, the journeys (each registers its blueprint and its service),
    the commands."""
    app = init_settings(config)
    init_proxies(app)
    init_extensions(app)
    init_web(app)
    init_core(app)
    init_journeys(app)
    init_commands(app)
    return app


def init_settings(config: dict | None) -> Flask:
    """The Flask app with its settings: defaults, the environment (unless TESTING), `config`."""
    root = config_module.REPO_ROOT
    app = Flask(
        __name__,
        template_folder=str(root / "templates"),
        static_folder=str(root / "static"),
        instance_path=str(config_module.INSTANCE_DIR),
    )
    app.config.from_object(config_module.Defaults)
    overrides = dict(config or {})
    if not overrides.get("TESTING"):
        app.config.update(config_module.from_environment())
    app.config.update(overrides)
    config_module.check_production(app.config)
    if app.config.get("ENV_NAME") != "production":
        app.jinja_env.undefined = StrictUndefined
    app.extensions["clock"] = app.config.get("CLOCK") or SystemClock()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    return app


def init_proxies(app: Flask) -> None:
    trusted = int(app.config.get("TRUSTED_PROXIES") or 0)
    if trusted:
        # The client's address (for per-IP limits and the audit) from the last `trusted`
        # X-Forwarded-* entries, which our own reverse proxies wrote: believed only when the
        # request comes from one of them (portal.proxies).
        from portal.proxies import FromOurProxies

        app.wsgi_app = FromOurProxies(app.wsgi_app, trusted, app.config["PROXY_ADDRESSES"])


def init_extensions(app: Flask) -> None:
    from portal.core import sessions

    root = config_module.REPO_ROOT

    db.init_app(app)
    migrate.init_app(app, db, directory=str(root / "migrations"), render_as_batch=True,
                     include_object=sessions.not_sessions_table)
    sessions.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)


def init_web(app: Flask) -> None:
    """Languages, and what every page shares (before any blueprint: the route converters)."""
    from portal import i18n
    from portal.core import web

    i18n.init_app(app, babel)
    web.init_app(app)


def init_core(app: Flask) -> None:
    """The state registries, SMS and e-mail, and who is signed in."""
    from portal.core import citizens, mail, registries, sms

    registries.init_app(app)
    sms.init_app(app)
    mail.init_app(app)
    citizens.init_app(app)


def init_journeys(app: Flask) -> None:
    """The shared pages and the journeys, each with its blueprint (importing a journey registers
    its service in the catalogue), ЭЦП, and the kiosk."""
    from portal.auth.routes import bp as auth_bp
    from portal.demo.routes import bp as demo_bp
    from portal.ecp import routes as ecp_routes
    from portal.ecp import setup as ecp_setup
    from portal.housing import bp as housing_bp
    from portal.housing import public_bp as housing_public_bp
    from portal.housing.office import bp as office_bp
    from portal.main.routes import bp as main_bp
    from portal.residence import bp as residence_bp
    from portal.residence.consent.routes import bp as consent_bp
    from portal.status.routes import bp as status_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(residence_bp, url_prefix="/residence")
    app.register_blueprint(housing_bp, url_prefix="/housing")
    app.register_blueprint(housing_public_bp)
    app.register_blueprint(consent_bp)
    app.register_blueprint(status_bp)
    app.register_blueprint(office_bp, url_prefix="/office")
    # Always registered; every demo view answers 404 unless demo mode is on.
    app.register_blueprint(demo_bp, url_prefix="/demo")
    ecp_setup.init_app(app)  # ЭЦП: the verifier (or off), signature_of()
    ecp_routes.init_app(app)  # its pages

    import kiosk

    kiosk.init_app(app)


def init_commands(app: Flask) -> None:
    from portal import cli

    cli.init_app(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """WAL lets readers and the writer work at once; foreign keys are off by default."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()
