"""Warm-up before the app servers fork: what each process would otherwise do on its first
requests, done once in gunicorn's master (deploy/gunicorn.conf.py: preload_app, PORTAL_WARM_UP).

Jinja compiles a template the first time it is rendered, about 40 ms for a page with its base
and macros; with four workers that is every page compiled four times, on the first citizens'
requests (`make load` saw a cold worker answer GET /sign-in in 44 ms, a warm one in 5 ms).
Compiled here, the templates (and the translation catalogues, the CLDR data for dates, the ORM's
mappers) are inherited by every worker, and recycled workers start warm too. A template that
does not compile stops the server's start, not a citizen's request.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask_babel import get_translations
from sqlalchemy.orm import configure_mappers

from portal import i18n


def warm_up(app: Flask) -> list[str]:
    """Compile every template, load each language's catalogue and date formats, configure the
    ORM's mappers. Touches no database. Returns the templates compiled."""
    names = app.jinja_env.list_templates(extensions=["html"])
    for name in names:
        app.jinja_env.get_template(name)
    configure_mappers()
    moment = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)
    for code in app.config["LANGUAGES"]:
        with app.test_request_context(f"/?lang={code}"):
            get_translations()
            i18n.format_moment(moment, code)
    return names
