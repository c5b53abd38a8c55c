"""Extension singletons, bound to the app in create_app()."""

import flask
import flask_limiter
from flask_babel import Babel
from flask_htmx import HTMX
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

from portal.channels import client_key


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
htmx = HTMX()


# Options and settings that give Flask-Limiter work to do before a view is reached.
APP_WIDE_OPTIONS = ("default_limits", "application_limits", "meta_limits", "in_memory_fallback")
APP_WIDE_SETTINGS = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META",
                     "RATELIMIT_IN_MEMORY_FALLBACK", "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED")
_ROUTE_CHECKS = "mekenjai.limiter.routes"  # request.environ: the before-request pass is over


class Limiter(flask_limiter.Limiter):
    """Flask-Limiter, without its before-request pass over requests it has nothing to count.

    The portal's limits sit on their routes, and a route's own decorator checks them when the
    view is called. The before-request pass only adds application-wide, default, blueprint and
    meta limits (and the in-memory fallback), which the portal does not set; yet it resolved
    them on every request, a fifth of a page's time (docs/BENCHMARKS.md §1). A request filter
    (Flask-Limiter's documented hook) exempts the request during that pass only: Flask runs
    before-request functions in the order they were added, so the one init_app adds after
    Flask-Limiter's own marks the pass as over, and the routes' decorators see the filter
    false. The pass runs as before as soon as anything app-wide is set."""

    def __init__(self, key_func, **options):
        super().__init__(key_func, **options)
        self.app_wide_options = any(options.get(name) for name in APP_WIDE_OPTIONS)
        self.request_filter(self._before_routes_with_nothing_app_wide)

    def init_app(self, app) -> None:
        super().init_app(app)
        app.before_request(_route_checks_begin)

    def _before_routes_with_nothing_app_wide(self) -> bool:
        if flask.request.environ.get(_ROUTE_CHECKS):
            return False
        app = flask.current_app
        app_wide = app.extensions.get(_ROUTE_CHECKS)
        if app_wide is None:  # worked out once per app, when every blueprint is registered
            manager = self.limit_manager
            app_wide = app.extensions[_ROUTE_CHECKS] = bool(
                self.app_wide_options or any(app.config.get(name) for name in APP_WIDE_SETTINGS)
                or manager.application_limits or manager.default_limits
                or any(manager.blueprint_limits(app, name) for name in app.blueprints))
        return not app_wide


def _route_checks_begin() -> None:
    flask.request.environ[_ROUTE_CHECKS] = True


limiter = Limiter(key_func=client_key)
