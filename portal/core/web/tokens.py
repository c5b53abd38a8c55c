"""The CSRF token: in plain forms, and in htmx's header (filled only if a form made one)."""

from __future__ import annotations

from flask import request, session
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

CSRF_PLACEHOLDER = "__mekenjai_csrf_header__"


_PLACEHOLDER_ISSUED = "mekenjai.csrf_placeholder"
_FIELD = "mekenjai.csrf_field"


def csrf_field() -> Markup:
    """The hidden CSRF input for a POST form (plain forms; htmx sends the header instead).
    Made once per request: a page has several forms (sign out, delete a draft, ...), and the
    token is the same for all of them."""
    field = request.environ.get(_FIELD)
    if field is None:
        field = request.environ[_FIELD] = Markup(
            f'<input type="hidden" name="csrf_token" value="{generate_csrf()}">')
    return field


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
