"""Server-side sessions (Flask-Session 0.8): the cookie carries only a random id.

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

A session is written only when it changes (SESSION_REFRESH_EACH_REQUEST is off): reading a page
costs one read of the store, not a write. The time last seen is kept to the minute
(SEEN_EVERY_SECONDS), so an active citizen's session is written at most once a minute, which
also renews the stored session's own expiry; idle time is therefore counted from a moment up to
a minute before the last request (a sign-in may end up to a minute early, never late).
"""

from __future__ import annotations

import datetime as dt
import functools

import redis
from flask import Flask, current_app, request, session
from flask_session import Session
from flask_session.sqlalchemy import sqlalchemy as _sqlalchemy_store

from portal.clock import now
from portal.extensions import db

SIGNED_IN_AT = "signed_in_at"  # session keys: when the sign-in began, when last seen (epoch s)
SEEN_AT = "seen_at"
SEEN_EVERY_SECONDS = 60  # how stale SEEN_AT may be before a request writes it again

# Flask-Session defines its model class on our db.Model each time an app is made; a second app
# in one process (the tests make hundreds) would redefine the table ("Table 'sessions' is already
# defined"). One model per process serves every app: its queries go through db.session, which
# belongs to the current app.
if not hasattr(_sqlalchemy_store.create_session_model, "cache_info"):
    _sqlalchemy_store.create_session_model = functools.cache(
        _sqlalchemy_store.create_session_model)


def not_sessions_table(object_, name, type_, reflected, compare_to) -> bool:
    """Alembic's include_object hook: Flask-Session owns the `sessions` table, not our
    migrations (it creates the table itself at start-up)."""
    return not (type_ == "table" and name == current_app.config["SESSION_SQLALCHEMY_TABLE"])


def init_app(app: Flask) -> None:
    if app.config.get("REDIS_URL"):
        app.config["SESSION_TYPE"] = "redis"
        app.config.setdefault("SESSION_REDIS", redis.Redis.from_url(app.config["REDIS_URL"]))
    else:
        app.config["SESSION_TYPE"] = "sqlalchemy"
        app.config["SESSION_SQLALCHEMY"] = db
    app.config["SESSION_PERMANENT"] = True
    Session(app)
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
    if request.endpoint == "static" or not session:
        return
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
    session.clear()
    session.modified = True
    current_app.session_interface._delete_session(
        current_app.session_interface._get_store_id(session.sid))
    session.sid = current_app.session_interface._generate_sid(
        current_app.session_interface.sid_length)
