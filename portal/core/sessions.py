"""Server-side sessions (Flask-Session, public API only): the cookie carries only a random id.

What a session holds (the signed-in IIN, the code being typed, the CSRF token) stays on the
server: in the database by default (Flask-Session's own `sessions` table, created at start-up
and kept out of Alembic), in Redis when PORTAL_REDIS_URL is set (several app servers share it).
So a session ends for real, on the server, when:

- the citizen signs out (`end()` deletes the stored session; a saved cookie then opens nothing);
- SESSION_IDLE_MINUTES (30) pass without a request (checked on every request with the portal's
  clock, and the stored session's own expiry, PERMANENT_SESSION_LIFETIME, backs it up);
- SESSION_MAX_HOURS (12) pass since sign-in, however busy the session (stored at sign-in, so
  replaying a cookie cannot stretch a sign-in forever).

The id changes at sign-in (`begin()`), so an id planted before sign-in is worth nothing after.

A visitor's session holding nothing but VISITOR_KEYS (a form's CSRF token, a message to show,
where to go after signing in) is kept in a signed cookie instead (VisitorCookieSessions): every
first visit to a form page used to write a row, most of that page's time (docs/BENCHMARKS.md §1).
Nothing in it identifies anyone or is worth ending on the server; as soon as anything else is
put in the session (the sign-in code being typed, the signed-in IIN, a kiosk visit) it moves to
the server store under a fresh id, and the cookie becomes that id again.

A session is written only when it changes (SESSION_REFRESH_EACH_REQUEST is off): reading a page
costs one read of the store, not a write. The time last seen is kept to the minute
(SEEN_EVERY_SECONDS), so an active citizen's session is written at most once a minute, which
also renews the stored session's own expiry; idle time is therefore counted from a moment up to
a minute before the last request (a sign-in may end up to a minute early, never late).
"""

from __future__ import annotations

import datetime as dt
import secrets

import redis
from flask import Flask, current_app, request, session
from flask.sessions import SessionInterface
from flask_session import Session
from itsdangerous import BadSignature, URLSafeSerializer

from portal.clock import now
from portal.core.adapters import one_session_model_per_process
from portal.extensions import db

SIGNED_IN_AT = "signed_in_at"  # session keys: when the sign-in began, when last seen (epoch s)
SEEN_AT = "seen_at"
SEEN_EVERY_SECONDS = 60  # how stale SEEN_AT may be before a request writes it again

# What a visitor's session may hold and stay in a cookie: Flask-WTF's CSRF token, flashed
# messages, portal.core.citizens.NEXT. Anything else sends the session to the server store.
VISITOR_KEYS = frozenset({"csrf_token", "_flashes", "next"})
VISITOR_PREFIX = "v."  # a visitor cookie; a server session's cookie is its bare id
VISITOR_HOURS = 12  # a visitor cookie is honoured this long after it was last written
# What a browser fetches beside a page (Sec-Fetch-Dest): an icon, a picture, a sound.
SUBRESOURCES = frozenset({"image", "audio", "video", "track", "font", "style", "script",
                          "manifest"})


def holds_at_most(data, keys) -> bool:
    """Nothing in the session but these keys (Flask's own `_permanent` flag aside)."""
    return set(data) - {"_permanent"} <= set(keys)


def visitor_only(data) -> bool:
    return holds_at_most(data, VISITOR_KEYS)


def holds_nothing(data) -> bool:
    return holds_at_most(data, ())


class VisitorCookieSessions(SessionInterface):
    """Flask-Session's server-side store, with a visitor's session (VISITOR_KEYS only) kept in
    a signed cookie. Everything else (regenerate, the store's own methods) is the store's."""

    def __init__(self, store):
        self.store = store

    def __getattr__(self, name):
        return getattr(self.store, name)

    def _serializer(self, app: Flask) -> URLSafeSerializer:
        return URLSafeSerializer(app.secret_key, salt="mekenjai.visitor-session")

    def _fresh(self, data=None):
        # A new id as Flask-Session makes one (SESSION_ID_LENGTH random bytes, URL-safe).
        session_ = self.store.session_class(
            data, sid=secrets.token_urlsafe(self.store.sid_length), permanent=True)
        session_.in_store = False
        return session_

    def open_session(self, app: Flask, request_):
        value = request_.cookies.get(app.config["SESSION_COOKIE_NAME"], "")
        if not value.startswith(VISITOR_PREFIX):
            opened = self.store.open_session(app, request_)
            # Found in the store: its id is the cookie (or the cookie's signed part).
            opened.in_store = bool(value) and value.split(".")[0] == opened.sid
            return opened
        try:
            stamp, data = self._serializer(app).loads(value[len(VISITOR_PREFIX):])
            fresh = _timestamp() - float(stamp) < VISITOR_HOURS * 3600
        except (BadSignature, TypeError, ValueError):
            return self._fresh()
        if not fresh or not isinstance(data, dict) or not visitor_only(data):
            return self._fresh()
        return self._fresh(data)

    def save_session(self, app: Flask, session_, response) -> None:
        if not visitor_only(session_) or (session_.in_store and holds_nothing(session_)):
            # The store's own: it deletes a stored session left empty, and its cookie.
            return self.store.save_session(app, session_, response)
        if session_.in_store:  # nothing left in it worth a stored session: drop the stored one
            self.store.regenerate(session_)
        elif not session_.modified:
            return None
        name, path, domain = (app.config["SESSION_COOKIE_NAME"], self.get_cookie_path(app),
                              self.get_cookie_domain(app))
        response.vary.add("Cookie")
        if holds_nothing(session_):
            response.delete_cookie(name, path=path, domain=domain)
            return None
        value = VISITOR_PREFIX + self._serializer(app).dumps([_timestamp(), dict(session_)])
        response.set_cookie(name, value, max_age=VISITOR_HOURS * 3600, httponly=True,
                            secure=self.get_cookie_secure(app),
                            samesite=self.get_cookie_samesite(app), path=path, domain=domain)
        return None


def not_sessions_table(object_, name, type_, reflected, compare_to) -> bool:
    """Alembic's include_object hook: Flask-Session owns the `sessions` table, not our
    migrations (it creates the table itself at start-up)."""
    return not (type_ == "table" and name == current_app.config["SESSION_SQLALCHEMY_TABLE"])


def beside_a_page() -> bool:
    """A file the browser fetches beside a page (a static file, an icon, a picture, a sound).
    Such a request may still be running when the visitor's next step writes the session; if it
    wrote the session too, it would put back what it had read and undo that step (a sign-in
    that lost where to come back to). So it never writes the session."""
    return (request.endpoint in ("static", "favicon")
            or request.headers.get("Sec-Fetch-Dest") in SUBRESOURCES)


def init_app(app: Flask) -> None:
    if app.config.get("REDIS_URL"):
        app.config["SESSION_TYPE"] = "redis"
        app.config.setdefault("SESSION_REDIS", redis.Redis.from_url(app.config["REDIS_URL"]))
    else:
        app.config["SESSION_TYPE"] = "sqlalchemy"
        app.config["SESSION_SQLALCHEMY"] = db
        one_session_model_per_process()
    app.config["SESSION_PERMANENT"] = True
    Session(app)
    app.session_interface = VisitorCookieSessions(app.session_interface)
    if app.config["SESSION_TYPE"] == "sqlalchemy":
        # Flask-Session checked for its table through a pooled connection: close it, so an app
        # that is built and never used (a CLI command, a test) leaves no connection open.
        with app.app_context():
            db.engine.dispose()
    app.before_request(_end_if_stale)


def _timestamp() -> float:
    return now().timestamp()


def _stale(stamp: float | None, limit: dt.timedelta) -> bool:
    return stamp is not None and _timestamp() - stamp >= limit.total_seconds()


def _end_if_stale() -> None:
    """End a session idle for SESSION_IDLE_MINUTES, or older than SESSION_MAX_HOURS."""
    if beside_a_page() or visitor_only(session):
        return  # a visitor's session holds nothing to end (its cookie has its own lifetime)
    config = current_app.config
    idle = dt.timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    lifetime = dt.timedelta(hours=config["SESSION_MAX_HOURS"])
    if _stale(session.get(SEEN_AT), idle) or _stale(session.get(SIGNED_IN_AT), lifetime):
        end()
        return
    stamp = _timestamp()
    if stamp - session.get(SEEN_AT, 0) >= SEEN_EVERY_SECONDS:
        session[SEEN_AT] = stamp


def begin(**data) -> None:
    """Start a signed-in session: what the anonymous session held is dropped, the id changes."""
    session.clear()
    session.update(data)
    session[SIGNED_IN_AT] = session[SEEN_AT] = _timestamp()
    current_app.session_interface.regenerate(session)


def end() -> None:
    """Delete the stored session; whatever is written to the session afterwards (a flash
    message) goes under a new id, so the old cookie stays dead."""
    # Flask-Session's regenerate deletes the stored session and gives this one a new id (it
    # does nothing to an empty session, which has nothing stored).
    current_app.session_interface.regenerate(session)
    session.clear()
    session.modified = True
    session.in_store = False  # deleted: what follows is a visitor's (a message) or nothing
