"""Guards for portal/core/adapters.py, the one module that relies on a library's internals: each
fails as soon as the internal it relies on changes, so an upgrade cannot break it silently."""

from __future__ import annotations

import inspect

from flask_session.sqlalchemy import sqlalchemy as flask_session_sql

from portal import create_app
from portal.core.adapters import one_session_model_per_process
from portal.extensions import db


def test_flask_sessions_sql_store_still_makes_its_model_with_create_session_model():
    one_session_model_per_process()
    made = flask_session_sql.create_session_model
    assert hasattr(made, "cache_info")  # ours, kept for the process
    assert list(inspect.signature(made.__wrapped__).parameters) == [
        "db", "table_name", "schema", "bind_key", "sequence"]
    # The store looks the name up in its module when an app is made (so ours is the one used).
    assert "create_session_model(" in inspect.getsource(
        flask_session_sql.SqlAlchemySessionInterface.__init__)


def test_two_apps_in_one_process_share_one_session_model(app_config):
    first, second = create_app(app_config), create_app(app_config)
    try:
        assert first.session_interface.store.sql_session_model is \
            second.session_interface.store.sql_session_model
    finally:
        for app in (first, second):
            with app.app_context():
                db.engine.dispose()
