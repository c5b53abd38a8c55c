"""What every page shares, one concern a module: errors (translated error pages), headers
(security headers), fragments (a page or its htmx fragment), guards (what is refused at the
door; route converters), tokens (the CSRF token in forms and htmx's header). Views
import these names from here; init_app wires them."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Response
from flask_wtf.csrf import CSRFError

from portal.core.services.errors import Gone
from portal.domain import limits
from portal.extensions import csrf

from .errors import ERRORS, RETRY_AFTER_SECONDS, end_the_session, error_page, gone, unexpected
from .fragments import render_page
from .guards import (
    FOREIGN_ORIGIN,
    MAX_ROUTE_ID,
    SAFE_METHODS,
    PathPart,
    RouteId,
    accepts_files,
    refuse_odd_requests,
    too_large,
    upload_was_too_large,
)
from .headers import CSP, security_headers
from .tokens import CSRF_PLACEHOLDER, csrf_field, csrf_header_token, fill_csrf_header

__all__ = ["CSP", "CSRF_PLACEHOLDER", "ERRORS", "FOREIGN_ORIGIN",
           "MAX_ROUTE_ID", "PathPart", "RETRY_AFTER_SECONDS", "RouteId", "SAFE_METHODS",
           "accepts_files", "csrf_field", "csrf_header_token", "error_page",
           "exempt_from_csrf", "fill_csrf_header", "init_app", "refuse_odd_requests",
           "gone", "render_page", "security_headers", "too_large", "unexpected",
           "upload_was_too_large"]


def exempt_from_csrf(view):
    """Flask-WTF's csrf.exempt, marked on the view too, so the checks above can ask the view
    (Flask-WTF keeps its list of exempt views to itself). For webhooks authenticated by their
    own secret."""
    view.csrf_exempt = True
    return csrf.exempt(view)


def init_app(app: Flask) -> None:
    from portal.core import labels
    from portal.core.services.catalogue import catalogue
    from portal.core.services.notices import public_url_for
    from portal.domain.phones import mask_phone

    # Before any blueprint adds its rules: converters are looked up when a rule is added.
    app.url_map.converters["int"] = RouteId
    app.url_map.converters["default"] = app.url_map.converters["string"] = PathPart

    app.jinja_env.globals.update(
        status_label=labels.status_label, consent_label=labels.consent_label,
        masked_phone=mask_phone, public_url_for=public_url_for,
        csrf_field=csrf_field, csrf_token=csrf_header_token,
        limits=limits,  # limits: figures in texts (domain/limits.py)
        # The shared pages (cabinet, status, kiosk menu) ask the catalogue, never name a service.
        services=lambda: list(catalogue), service_of=catalogue.of)

    # Flask-WTF puts its own csrf_token in a context processor too: this one, later, wins.
    app.context_processor(lambda: {"csrf_token": csrf_header_token})
    app.after_request(fill_csrf_header)
    app.after_request(security_headers)

    # Browsers ask for /favicon.ico where a page names no icon (a PDF, a plain answer).
    icon = Path(app.static_folder, "favicon.svg").read_bytes()

    def favicon():
        """The portal's icon (base.html names it; browsers also ask here when a page names
        none). From memory: a browser that drops the request as it navigates leaves no file
        open."""
        return Response(icon, mimetype="image/svg+xml",
                        headers={"Cache-Control": "public, max-age=604800"})

    app.add_url_rule("/favicon.ico", endpoint="favicon", view_func=favicon)

    # First of all (before the CSRF check, so a foreign site gets the clear answer).
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_odd_requests)

    for code in ERRORS:
        app.register_error_handler(code, lambda exc, code=code: error_page(code))

    app.register_error_handler(413, too_large)
    app.register_error_handler(CSRFError, lambda exc: error_page(400))
    app.register_error_handler(Gone, gone)
    app.register_error_handler(Exception, unexpected)
    # Teardowns run last-registered first: this one before Flask-SQLAlchemy's (init_extensions).
    app.teardown_appcontext(end_the_session)
