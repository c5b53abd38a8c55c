"""What the portal refuses at the door, before any view: another site's form (403), a NUL in a
field or a body no form can read (400), a route id no row can have (404), a body over
MAX_CONTENT_LENGTH (413; on an upload step: back to the step with the error at its file field)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, current_app, redirect, request, session
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BaseConverter, IntegerConverter

from .errors import error_page

FOREIGN_ORIGIN = (_l("You cannot open this page"),
                  _l("The form was sent from another website. Open the portal at its own "
                     "address and try again. Nothing has been changed."))


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
    """Mark a view that takes file uploads; every other view refuses a file part (400). A body
    over MAX_CONTENT_LENGTH sent to it comes back to its own page (`too_large`): the view asks
    `upload_was_too_large()` on GET and puts the error at its file field."""
    view.accepts_files = True
    return view


TOO_LARGE_KEY = "upload_too_large"
# How much of a refused body is read and thrown away so that the answer reaches the browser: a
# server that closes the connection with the upload still arriving resets it, and the browser
# shows a network error instead of the page (nginx, with client_max_body_size above this, sends
# at most that much; beyond it nginx answers with static/too-large.html itself).
DRAIN_MAX_BYTES = 32 * 1024 * 1024
_DRAIN_CHUNK = 64 * 1024


def _drain_body() -> None:
    stream = request.environ.get("wsgi.input")
    if stream is None:
        return
    left = min(request.content_length or DRAIN_MAX_BYTES, DRAIN_MAX_BYTES)
    try:
        while left > 0:
            chunk = stream.read(min(_DRAIN_CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
    except OSError:  # the client gave up: nothing to answer
        pass


def too_large(exc):
    """A body over MAX_CONTENT_LENGTH (a Content-Length over it is refused before the body is
    read; a chunked body once it passes the limit). On an upload step the answer is a redirect
    to the step's own page (303, so Back and Reload never re-send the upload), which shows the
    translated error at the file field and everything saved before; elsewhere the translated
    413 page."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if request.method == "POST" and getattr(view, "accepts_files", False):
        _drain_body()
        session[TOO_LARGE_KEY] = request.path
        return redirect(request.full_path.rstrip("?"), 303)
    return error_page(413)


def upload_was_too_large() -> bool:
    """On an upload step's GET: whether the upload just sent here was over the limit (`too_large`
    sent the browser back here). Answered once."""
    if session.get(TOO_LARGE_KEY) != request.path:
        return False
    session.pop(TOO_LARGE_KEY)
    return True


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
