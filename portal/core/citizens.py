"""The signed-in citizen (web layer, no blueprint): who is signed in, the guard that sends
everyone else to sign-in, and the ownership check. Every journey's blueprint imports this
module, never portal.auth.routes (blueprints do not import each other: .importlinter)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from flask import abort, has_request_context, redirect, request, session, url_for

from portal.core.registries import registries
from portal.core.services.requester import NOBODY, Requester
from portal.i18n import current_language

CITIZEN = "iin"  # session key: the signed-in citizen's IIN (kept on the server only)
NAME = "given_name"  # session key: their given name, from the registry at sign-in (the greeting)
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


@dataclass(frozen=True)
class SignedIn:
    """Who is signed in, as the session holds it: enough for the guards, the ownership check
    and the greeting, so a page that needs nothing more of the person asks no registry."""

    iin: str
    given_name: str


def signed_in() -> SignedIn | None:
    """The signed-in citizen from the session (no registry read), or None. A session begun
    before the name was kept in it gets it now, from the registry, once."""
    if not has_request_context():
        return None
    iin = session.get(CITIZEN)
    if not iin:
        return None
    name = session.get(NAME)
    if name is None:
        person = current_citizen()
        if person is None:
            return None
        name = session[NAME] = person.given_name
    return SignedIn(iin, name)


def current_iin() -> str | None:
    """The signed-in citizen's IIN, or None (outside a request too)."""
    citizen = signed_in()
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
    """Sign this citizen in: a new server-side session (a fresh id: no fixation), read anew,
    with their given name in it (the registry is asked here, not on every page after).
    Sign-in by SMS code (portal.auth.routes) and by ЭЦП (portal.ecp.routes) both end here."""
    from portal.core import sessions

    person = registries().person(iin)
    sessions.begin(**{CITIZEN: iin, NAME: person.given_name if person else ""})
    forget()
    if person is not None:
        request.environ[_CACHE] = person  # this request already has them


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if signed_in() is None:
            session[NEXT] = request.full_path if request.method == "GET" else None
            return redirect(url_for("auth.sign_in"))
        return view(*args, **kwargs)

    return wrapped


def require_owner(application) -> None:
    """Applications are visible only to their applicant."""
    iin = current_iin()
    if iin is None or application.applicant_iin != iin:
        abort(404)


def citizen_context() -> dict:
    return {"citizen": signed_in()}


def init_app(app) -> None:
    app.context_processor(citizen_context)
