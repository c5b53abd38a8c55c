"""Translated error pages, and anything unexpected: never a stack trace; a database or Redis out
of reach is a 503 with Retry-After."""

from __future__ import annotations

import logging

import redis
import sqlalchemy as sa
from flask import render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from portal.core.sessions import beside_a_page
from portal.domain import limits
from portal.extensions import db

log = logging.getLogger(__name__)


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


def error_page(code: int, texts: tuple | None = None):
    if beside_a_page():  # no one reads it, and the page would write the session (its forms)
        return str(ERRORS[code][0]), code, {"Content-Type": "text/plain; charset=utf-8"}
    title, text = texts or ERRORS[code]
    return render_template("error.html", code=code, title=title, text=text), code


# A draft deleted in another tab while this one signed it (errors.Gone): not an address typed
# wrong, so its own words, and a 404 (the application is not there).
GONE = (_l("This application no longer exists"),
        _l("It was deleted, perhaps in another tab or window. Nothing was signed or sent. "
           "Your other applications are in your personal account."))


def gone(exc):
    """What the request was about was deleted meanwhile: nothing it did is kept."""
    db.session.rollback()
    return error_page(404, GONE)


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


def end_the_session(exc) -> None:
    """Runs before Flask-SQLAlchemy's own teardown. That one rolls back what the request left
    open; on a connection the database dropped meanwhile (a restart while the request ran) the
    rollback raises, after the response was made, and gunicorn would answer a bare 500 in its
    place. The server has ended that transaction itself: the connection is dropped from the
    pool without the rollback, and the response (the page, or the 503) goes out."""
    try:
        db.session.remove()
    except sa.exc.DBAPIError as error:
        log.warning("Database connection lost at the end of a request: %s", error.orig)
        db.session().invalidate()  # the scoped session's own Session: not proxied
        db.session.remove()
