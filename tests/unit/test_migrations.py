"""The committed migrations build the same schema as the models (on SQLite, or PostgreSQL
when PORTAL_TEST_DATABASE_URL is set)."""

from __future__ import annotations

import sqlalchemy as sa

from portal import create_app
from portal.extensions import db


def test_migrations_match_the_models(app_config):
    app = create_app(app_config)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        runner = app.test_cli_runner()
        upgrade = runner.invoke(args=["db", "upgrade"])
        assert upgrade.exit_code == 0, upgrade.output
        check = runner.invoke(args=["db", "check"])
        assert check.exit_code == 0, check.output
        assert "reg_person" in sa.inspect(db.engine).get_table_names()
        downgrade = runner.invoke(args=["db", "downgrade", "base"])
        assert downgrade.exit_code == 0, downgrade.output
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        db.engine.dispose()
