"""Migration qu3u3c0unt01 builds the kept counts of positions (housing_queue_count) for the
entries there are: afterwards every position and total equals the count over the list, and the
counts are what the changes would have kept (SQLite, or PostgreSQL when
PORTAL_TEST_DATABASE_URL is set)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from portal import create_app
from portal.core.models.housing import QueueCount, QueueEntry
from portal.extensions import db
from portal.housing.services import housing_queue
from tests.integration.test_migration_one_place import _cleanup, _start_at

BEFORE = "ma1l0utb0x01"
MOMENTS = [dt.datetime(2015, 3, 1, 10, tzinfo=dt.UTC), dt.datetime(2015, 3, 1, 10, tzinfo=dt.UTC),
           dt.datetime(2016, 1, 1, 3, tzinfo=ZoneInfo("Asia/Almaty")),
           dt.datetime(2015, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
           dt.datetime(1969, 12, 31, 12, tzinfo=dt.UTC), dt.datetime(2024, 2, 29, tzinfo=dt.UTC)]


def test_the_migration_counts_the_entries_there_are(app_config):
    app = create_app(app_config)
    with app.app_context():
        runner = _start_at(app, BEFORE)
        rows = []
        for i in range(36):
            list_code = ("general", "orphans")[i % 2]
            rows.append({"settlement_code": "almaty", "list_code": list_code, "number": i + 1,
                         "status": ("active", "active", "suspended", "closed")[i % 4],
                         "submitted_at": MOMENTS[i % len(MOMENTS)],
                         "registered_at": MOMENTS[0], "application_id": None})
        with db.engine.begin() as conn:
            conn.execute(sa.insert(QueueEntry.__table__), rows)
        upgrade = runner.invoke(args=["db", "upgrade"])
        assert upgrade.exit_code == 0, upgrade.output
        kept = db.session.execute(sa.select(QueueCount.__table__)).all()
        assert kept
        for entry in db.session.scalars(sa.select(QueueEntry)):
            assert housing_queue.position(entry) == housing_queue.counted_position(entry)
        for list_code in ("general", "orphans"):
            assert housing_queue.total("almaty", list_code) == \
                housing_queue.counted_total("almaty", list_code) > 0
        housing_queue.rebuild_counts()  # the service's SQL: the same rows
        assert sorted(db.session.execute(sa.select(QueueCount.__table__)).all()) == sorted(kept)
        _cleanup(runner)
