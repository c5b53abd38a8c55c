"""The browser tests' app servers (werkzeug's, on a free loopback port, in a thread)."""

from __future__ import annotations


def closing_every_response(app):
    """The app, each response read whole and closed before werkzeug's dev server writes it.

    When a browser drops a connection (it navigates on, the test cuts the network), the dev
    server's clean-up reads what is left on the socket before it closes the response; that read
    raises, so the response (a static file, an icon, a sound) stays open until the garbage
    collector finds it, and pytest's ResourceWarning then fails whichever test is running."""

    def wrapped(environ, start_response):
        iterable = app(environ, start_response)
        try:
            body = b"".join(iterable)
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()
        return [body]

    return wrapped
