"""What every page shares: security headers, translated error pages, the htmx fragment helper."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import redis
import sqlalchemy as sa
from flask import Flask, abort, current_app, make_response, render_template, request, session
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError, generate_csrf
from jinja2_fragments.flask import render_block
from markupsafe import Markup
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter, IntegerConverter

from portal.domain import limits
from portal.extensions import csrf, db, htmx

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
          _l("A file may be at most %(num)d MB. Choose a smaller file and try again.",
             num=limits.UPLOAD_MAX_MEGABYTES)),
    429: (_l("Too many attempts"),
          _l("For your security we have paused this for a while. Wait a few minutes and try "
             "again, or call the Unified Contact Centre 1414.")),
    500: (_l("Something went wrong on our side"),
          _l("We have been told about it. Your saved applications are safe. "
             "Please try again in a few minutes.")),
    503: (_l("The service is briefly unavailable"),
          _l("We could not reach our database for a moment. Nothing you sent before has "
             "been lost. Please try again in a minute.")),
}
RETRY_AFTER_SECONDS = 30  # a database restart or a fail-over takes about this long


def _store_unreachable(exc: Exception) -> bool:
    """The database or Redis could not be reached (a restart, a fail-over, a lock held too
    long): nothing is wrong with the request, and the same request will work shortly."""
    return isinstance(exc, (sa.exc.OperationalError, sa.exc.InterfaceError,
                            redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)) \
        or (isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated)
FOREIGN_ORIGIN = (_l("You cannot open this page"),
                  _l("The form was sent from another website. Open the portal at its own "
                     "address and try again. Nothing has been changed."))


def render_page(template: str, fragment: str | None = None, **context):
    """One template answers both ways: the whole page, or (when htmx targets the fragment's
    element, whose id equals the block name) just that block."""
    if fragment and htmx and htmx.target == fragment:
        response = make_response(render_block(template, fragment, **context))
    else:
        response = make_response(render_template(template, **context))
    response.headers.add("Vary", "HX-Target")
    return response


# Route ids are database keys: PostgreSQL's integer ends at 2^31 - 1 (SQLite's at 2^63 - 1), and
# a larger id in the URL made the query itself fail. Beyond that, no row can exist: 404.
MAX_ROUTE_ID = 2**31 - 1
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class RouteId(IntegerConverter):
    """`<int:...>` for the whole portal: at most MAX_ROUTE_ID, so a longer number is a 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ROUTE_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


class PathPart(BaseConverter):
    """The default `<name>` converter without control characters: tokens in SMS links and QR
    codes (`/s/<token>`, `/c/<token>`) are URL-safe, and PostgreSQL refuses a NUL in a text
    parameter (the look-up failed with a 500 instead of finding nothing)."""

    regex = r"[^/\x00-\x1f\x7f]+"


def accepts_files(view):
    """Mark a view that takes file uploads; every other view refuses a file part (400)."""
    view.accepts_files = True
    return view


def _origin(url: str) -> tuple[str, str, int | None] | None:
    try:
        parts = urlsplit(url.strip())
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    except ValueError:
        return None
    if not parts.scheme or not parts.hostname:
        return None
    return parts.scheme.lower(), parts.hostname.lower(), port


def _foreign_origin(app: Flask) -> bool:
    """A state-changing request whose Origin header names another site. No Origin at all is
    allowed: old phone browsers do not send it, and the CSRF token still guards those forms.
    The portal's own origins are PUBLIC_URL's and the address the request came to."""
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    own = {_origin(app.config["PUBLIC_URL"]), _origin(request.host_url)}
    return _origin(origin) not in own - {None}


def _unreadable_body(view) -> bool:
    """Form views read `request.form`; Flask-WTF would also read a JSON body or a file part as
    the form's data and fail on it (a list, a number, a file where text is expected). Only
    CSRF-exempt views (the SMS webhooks, authenticated by their secret) read JSON."""
    if request.files and not getattr(view, "accepts_files", False):
        return True
    return request.is_json and not getattr(view, "csrf_exempt", False)


def error_page(code: int, texts: tuple | None = None):
    title, text = texts or ERRORS[code]
    return render_template("error.html", code=code, title=title, text=text), code


def _has_nul() -> bool:
    """No one types a NUL, and PostgreSQL refuses one in any text column: refuse it at the door
    rather than in whichever field reaches the database first."""
    fields = (request.args, request.form) if request.method not in SAFE_METHODS else (
        request.args,)
    return any("\x00" in key or "\x00" in value
               for multidict in fields for key, value in multidict.items(multi=True))


def refuse_odd_requests():
    """State-changing requests from another site (403); a NUL in a field, or a body no form can
    read (400)."""
    view = current_app.view_functions.get(request.endpoint)
    changes_state = view is not None and request.method not in SAFE_METHODS
    if changes_state and _foreign_origin(current_app) and not getattr(view, "csrf_exempt", False):
        return error_page(403, FOREIGN_ORIGIN)
    if _has_nul() or (changes_state and _unreadable_body(view)):
        abort(400)
    return None


CSRF_PLACEHOLDER = "__mekenjai_csrf_header__"
_PLACEHOLDER_ISSUED = "mekenjai.csrf_placeholder"


def exempt_from_csrf(view):
    """Flask-WTF's csrf.exempt, marked on the view too, so the checks above can ask the view
    (Flask-WTF keeps its list of exempt views to itself). For webhooks authenticated by their
    own secret."""
    view.csrf_exempt = True
    return csrf.exempt(view)


def csrf_field() -> Markup:
    """The hidden CSRF input for a POST form (plain forms; htmx sends the header instead)."""
    return Markup(f'<input type="hidden" name="csrf_token" value="{generate_csrf()}">')


def csrf_header_token() -> str:
    """`csrf_token()` in templates (base.html's htmx header, on <body>, rendered before the
    page's forms). A visitor without a session gets a placeholder, filled in after rendering
    (fill_csrf_header) with the token only if one of the page's forms made it: a page without a
    form then makes no session, so reading the home page or a status page costs no session
    write, while a form page's header holds its token at once."""
    if "csrf_token" in session:
        return generate_csrf()
    request.environ[_PLACEHOLDER_ISSUED] = True
    return CSRF_PLACEHOLDER


def fill_csrf_header(response):
    if (request.environ.get(_PLACEHOLDER_ISSUED) and not response.is_streamed
            and not response.direct_passthrough):
        token = generate_csrf() if "csrf_token" in session else ""
        response.set_data(response.get_data().replace(CSRF_PLACEHOLDER.encode(), token.encode()))
    return response


def security_headers(response):
    """Every response: the content policy and the browser's other protections."""
    connect = current_app.config.get("CSP_CONNECT_SRC")  # NCALayer, only where ЭЦП is on
    wanted = [
        ("Content-Security-Policy", f"{CSP}; connect-src 'self' {connect}" if connect else CSP),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ]
    if current_app.config["SESSION_COOKIE_SECURE"]:
        wanted.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    if request.endpoint != "static":
        # Pages carry personal data and one-time forms: never from a shared cache.
        wanted.append(("Cache-Control", "no-store"))
    # What a view set itself stays (one pass over the headers, not one per name).
    present = {key.lower() for key in response.headers.keys()}
    for key, value in wanted:
        if key.lower() not in present:
            response.headers.add(key, value)
    return response


def unexpected(exc):
    """Anything not handled: a translated page, never a stack trace. A database or Redis that
    cannot be reached is a 503 with Retry-After (the request itself was fine)."""
    if isinstance(exc, HTTPException):
        return error_page(exc.code) if exc.code in ERRORS else exc
    try:
        db.session.rollback()
    except sa.exc.SQLAlchemyError:
        log.warning("Rollback failed after an error on %s", request.path)
    if _store_unreachable(exc):
        log.warning("Database or Redis unreachable on %s: %s", request.path, exc)
        body, code = error_page(503)
        return body, code, {"Retry-After": str(RETRY_AFTER_SECONDS)}
    log.exception("Unhandled error on %s", request.path)
    return error_page(500)


def init_app(app: Flask) -> None:
    from portal import labels
    from portal.domain.phones import mask_phone
    from portal.services.catalogue import catalogue

    # Before any blueprint adds its rules: converters are looked up when a rule is added.
    app.url_map.converters["int"] = RouteId
    app.url_map.converters["default"] = app.url_map.converters["string"] = PathPart

    app.jinja_env.globals.update(
        status_label=labels.status_label, consent_label=labels.consent_label,
        masked_phone=mask_phone, public_url=lambda path: app.config["PUBLIC_URL"] + path,
        csrf_field=csrf_field, csrf_token=csrf_header_token,
        limits=limits,  # limits: figures in texts (domain/limits.py)
        # The shared pages (cabinet, status, kiosk menu) ask the catalogue, never name a service.
        services=lambda: list(catalogue), service_of=catalogue.of)

    # Flask-WTF puts its own csrf_token in a context processor too: this one, later, wins.
    app.context_processor(lambda: {"csrf_token": csrf_header_token})
    app.after_request(fill_csrf_header)
    app.after_request(security_headers)

    # First of all (before the CSRF check, so a foreign site gets the clear answer).
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_odd_requests)

    for code in ERRORS:
        app.register_error_handler(code, lambda exc, code=code: error_page(code))

    app.register_error_handler(CSRFError, lambda exc: error_page(400))
    app.register_error_handler(Exception, unexpected)
