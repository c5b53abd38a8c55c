"""What every page shares: security headers, translated error pages, the htmx fragment helper."""

from __future__ import annotations

import logging

from flask import Flask, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError, generate_csrf
from jinja2_fragments.flask import render_block
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from portal.extensions import db, htmx

log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

ERRORS = {
    400: (_l("The request could not be understood"),
          _l("The form may have expired. Go back, reload the page and try again. "
             "Nothing you sent before has been lost.")),
    403: (_l("You cannot open this page"),
          _l("This page belongs to another user, or you need to sign in first.")),
    404: (_l("Page not found"),
          _l("Check the address, or start again from the home page. "
             "If you followed a link from an SMS, the link may have expired.")),
    405: (_l("The request could not be understood"),
          _l("Start again from the home page.")),
    413: (_l("The file is too large"),
          _l("A file may be at most 5 MB. Choose a smaller file and try again.")),
    429: (_l("Too many attempts"),
          _l("For your security we have paused this for a while. Wait a few minutes and try "
             "again, or call the Unified Contact Centre 1414.")),
    500: (_l("Something went wrong on our side"),
          _l("We have been told about it. Your saved applications are safe. "
             "Please try again in a few minutes.")),
}


def render_page(template: str, fragment: str | None = None, **context):
    """One template answers both ways: the whole page, or (when htmx targets the fragment's
    element, whose id equals the block name) just that block."""
    if fragment and htmx and htmx.target == fragment:
        response = make_response(render_block(template, fragment, **context))
    else:
        response = make_response(render_template(template, **context))
    response.headers.add("Vary", "HX-Target")
    return response


def csrf_field() -> Markup:
    """The hidden CSRF input for a POST form (plain forms; htmx sends the header instead)."""
    return Markup(f'<input type="hidden" name="csrf_token" value="{generate_csrf()}">')


def init_app(app: Flask) -> None:
    from portal import labels
    from portal.domain.phones import mask_phone

    app.jinja_env.globals.update(
        status_label=labels.status_label, consent_label=labels.consent_label,
        masked_phone=mask_phone, public_url=lambda path: app.config["PUBLIC_URL"] + path,
        csrf_field=csrf_field)

    @app.after_request
    def security_headers(response):
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config["SESSION_COOKIE_SECURE"]:
            h.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint != "static" and "Cache-Control" not in h:
            # Pages carry personal data and one-time forms: never from a shared cache.
            h["Cache-Control"] = "no-store"
        return response

    def error_page(code: int):
        title, text = ERRORS[code]
        return render_template("error.html", code=code, title=title, text=text), code

    for code in ERRORS:
        app.register_error_handler(code, lambda exc, code=code: error_page(code))

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return error_page(400)

    @app.errorhandler(Exception)
    def unexpected(exc):
        if isinstance(exc, HTTPException):
            return error_page(exc.code) if exc.code in ERRORS else exc
        log.exception("Unhandled error on %s", request.path)
        db.session.rollback()
        return error_page(500)
