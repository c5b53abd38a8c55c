"""The signed-in citizen (web layer, no blueprint): who is signed in, the guard that sends
everyone else to sign-in, and the ownership check. Every journey's blueprint imports this
module, never portal.auth.routes (blueprints do not import each other: .importlinter)."""

from __future__ import annotations

import functools

from flask import abort, has_request_context, redirect, request, session, url_for

from portal.core.registries import registries
from portal.core.services.requester import NOBODY, Requester
from portal.i18n import current_language

CITIZEN = "iin"  # session key: the signed-in citizen's IIN (kept on the server only)
NEXT = "next"  # session key: where to go after signing in
_CACHE = "mekenjai.citizen"


def current_citizen():
    """The signed-in person from the population registry, read once per request (kept in the
    request's environ rather than `g`, which an outer app context may share across requests)."""
    if not has_request_context():
        return None
    if _CACHE not in request.environ:
        iin = session.get(CITIZEN)
        request.environ[_CACHE] = registries().person(iin) if iin else None
    return request.environ[_CACHE]


def current_iin() -> str | None:
    """The signed-in citizen's IIN, or None (outside a request too)."""
    citizen = current_citizen()
    return citizen.iin if citizen else None


def requester() -> Requester:
    """Who makes this request and in which language, as a value for the use cases that word
    an SMS (they take it as an argument: services never read the request)."""
    if not has_request_context():
        return NOBODY
    return Requester(iin=current_iin(), lang=current_language())


def forget() -> None:
    """After the session changed (sign-in, sign-out, a kiosk reset): read it again."""
    if has_request_context():
        request.environ.pop(_CACHE, None)


def begin_session(iin: str) -> None:
    """Sign this citizen in: a new server-side session (a fresh id: no fixation), read anew.
    Sign-in by SMS code (portal.auth.routes) and by ЭЦП (portal.ecp.routes) both end here."""
    from portal.core import sessions

    sessions.begin(**{CITIZEN: iin})
    forget()


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if current_citizen() is None:
            session[NEXT] = request.full_path if request.method == "GET" else None
            return redirect(url_for("auth.sign_in"))
        return view(*args, **kwargs)

    return wrapped


def require_owner(application) -> None:
    """Applications are visible only to their applicant."""
    citizen = current_citizen()
    if citizen is None or application.applicant_iin != citizen.iin:
        abort(404)


def citizen_context() -> dict:
    return {"citizen": current_citizen()}


def init_app(app) -> None:
    app.context_processor(citizen_context)
