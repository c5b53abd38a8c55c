"""The one place where the portal reaches past a library's public API, each with a guard test
in tests/unit/test_adapters.py that fails as soon as the library's internals change
(tests/unit/test_private_access.py keeps every other module to public APIs).

Flask-Session's SQL store defines its model class on our db.Model each time an app is made
(`flask_session.sqlalchemy.sqlalchemy.create_session_model`, not a documented hook). A second
app in one process (the tests make hundreds; a server makes one) would define the `sessions`
table again ("Table 'sessions' is already defined"). Flask-Session has no option for this, and
the alternatives (our own SQLAlchemy instance for sessions, which Flask-SQLAlchemy refuses on
the same app, or our own session store) cost more than this one line: one model per process
serves every app, since its queries go through db.session, which belongs to the current app.
"""

from __future__ import annotations

import functools

from flask_session.sqlalchemy import sqlalchemy as flask_session_sql


def one_session_model_per_process() -> None:
    if not hasattr(flask_session_sql.create_session_model, "cache_info"):
        flask_session_sql.create_session_model = functools.cache(
            flask_session_sql.create_session_model)
