"""The web glue for staff sessions: the `mk_staff` cookie, current_staff(), staff_required().

The cookie is separate from the citizens' session cookie and scoped to /office, so a staff
session is never even sent to a citizen page, and a citizen's session opens no office page.
"""

from __future__ import annotations

import functools

from flask import abort, current_app, redirect, request, url_for

from . import signin
from .models import StaffMember

COOKIE = "mk_staff"
COOKIE_PATH = "/office"
_CACHE = "mekenjai.staff"


def token() -> str | None:
    return request.cookies.get(COOKIE)


def current_staff() -> StaffMember | None:
    """The signed-in staff member of this request (read once per request), or None."""
    if _CACHE not in request.environ:
        request.environ[_CACHE] = signin.resume(token())
    return request.environ[_CACHE]


def set_cookie(response, value: str) -> None:
    # No max-age: the cookie dies with the browser; the server ends the session earlier.
    response.set_cookie(COOKIE, value, path=COOKIE_PATH, httponly=True, samesite="Strict",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])


def clear_cookie(response) -> None:
    response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="Strict",
                           secure=current_app.config["SESSION_COOKIE_SECURE"])


def staff_required(role: str | None = None):
    """Only a signed-in staff member (of this role, if given) opens the view. Anyone else is
    sent to the office sign-in (GET) or refused (403); a wrong role is refused (403)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            staff = current_staff()
            if staff is None:
                if request.method in ("GET", "HEAD"):
                    return redirect(url_for("office.sign_in"))
                abort(403)
            if role is not None and staff.role != role:
                abort(403)
            return view(*args, **kwargs)

        wrapped.staff_required = True  # found by the route meta-test
        return wrapped

    return decorate
