"""Extension singletons, bound to the app in create_app()."""

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


class Limiter(flask_limiter.Limiter):
    """Flask-Limiter, without its before-request pass over requests it has nothing to count.

    The portal's limits sit on their routes, and a route's own decorator checks them when the
    view is called. The before-request pass only adds application-wide, default and blueprint
    limits, which the portal does not set; yet it resolved them on every request, a fifth of a
    page's time (docs/BENCHMARKS.md §1). It runs again as soon as any of them is set."""

    def _check_request_limit(self, callable_name=None, in_middleware=True):
        if in_middleware and not self._has_app_wide_limits():
            return None
        return super()._check_request_limit(callable_name, in_middleware)

    def _has_app_wide_limits(self) -> bool:
        manager = self.limit_manager
        return bool(manager.application_limits or manager.default_limits
                    or manager._blueprint_limits or manager._endpoint_hints or self._meta_limits)


limiter = Limiter(key_func=client_key)
