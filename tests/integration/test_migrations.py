"""The committed migrations build the same schema as the models (on SQLite, or PostgreSQL
when PORTAL_TEST_DATABASE_URL is set)."""

from __future__ import annotations

import sqlalchemy as sa

from demo_registries.models import drop_tables
from portal import create_app
from portal.extensions import db


def test_migrations_match_the_models(app_config):
    """...and the production schema holds none of the demo registries' reg_* tables (their own
    metadata, created by `flask demo seed`): revision pr5e6f7a8b9c drops what earlier
    revisions made, and `db check` would see any reg_* model that crept into db.metadata."""
    app = create_app(app_config)
    with app.app_context():
        drop_tables()
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        runner = app.test_cli_runner()
        upgrade = runner.invoke(args=["db", "upgrade"])
        assert upgrade.exit_code == 0, upgrade.output
        check = runner.invoke(args=["db", "check"])
        assert check.exit_code == 0, check.output
        tables = sa.inspect(db.engine).get_table_names()
        assert "application" in tables
        assert not [name for name in tables if name.startswith("reg_")]
        # `make run`: upgrade, then `flask demo seed` makes and fills them; `db check` still
        # passes (they are not the portal's schema), and downgrade copes with them being there.
        assert runner.invoke(args=["demo", "seed"]).exit_code == 0
        assert "reg_person" in sa.inspect(db.engine).get_table_names()
        check = runner.invoke(args=["db", "check"])
        assert check.exit_code == 0, check.output
        downgrade = runner.invoke(args=["db", "downgrade", "base"])
        assert downgrade.exit_code == 0, downgrade.output
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        db.engine.dispose()


def test_residence_numbers_continue_after_the_ones_given_before_the_shared_counter(app_config):
    """Residence numbers were R-<year>-<id>; after the migration the shared counter continues
    from the highest one of each year, so no number is given twice."""
    from portal.core.services import numbering

    app = create_app(app_config)
    with app.app_context():
        drop_tables()
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        runner = app.test_cli_runner()
        assert runner.invoke(args=["db", "upgrade", "b3c4d5e6f7a8"]).exit_code == 0
        with db.engine.begin() as conn:
            for number in ("R-2026-000007", "R-2026-000003", "R-2025-000041", "H-2026-000009"):
                conn.execute(sa.text(
                    "INSERT INTO application (number, service, status, applicant_iin, data, "
                    "status_token, channel, created_at, updated_at) VALUES (:n, 'residence', "
                    "'registered', '900101300017', '{}', :n, 'portal', CURRENT_TIMESTAMP, "
                    "CURRENT_TIMESTAMP)"), {"n": number})
        upgrade = runner.invoke(args=["db", "upgrade"])
        assert upgrade.exit_code == 0, upgrade.output
        import datetime as dt

        in_2026 = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
        assert numbering.next_number("R", in_2026) == "R-2026-000008"
        assert numbering.next_number("R", dt.datetime(2025, 6, 1, tzinfo=dt.UTC)) == \
            "R-2025-000042"
        assert numbering.next_number("R", dt.datetime(2027, 6, 1, tzinfo=dt.UTC)) == \
            "R-2027-000001"
        db.session.rollback()
        assert runner.invoke(args=["db", "downgrade", "base"]).exit_code == 0
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        db.engine.dispose()
