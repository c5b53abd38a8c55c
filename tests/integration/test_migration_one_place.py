"""The migration that gives each queue entry its person and refuses a second place: existing
entries get their application's subject; a person already listed twice stops the upgrade with
a message that says what to do, and nothing is guessed (SQLite, or PostgreSQL when
PORTAL_TEST_DATABASE_URL is set)."""

from __future__ import annotations

import sqlalchemy as sa

from demo_registries.models import drop_tables
from portal import create_app
from portal.extensions import db

BEFORE = "c5d6e7f8a9b0"
PERSON = "960327464406"


def _start_at(app, revision: str):
    # Whatever test ran before on this database (PostgreSQL's is one per xdist worker): the
    # demo registries' tables too, or the early revisions that made them cannot run.
    drop_tables()
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade", revision]).exit_code == 0
    return runner


def _entry(conn, app_id: int, number: int, status: str = "active") -> None:
    conn.execute(sa.text(
        "INSERT INTO application (id, number, service, status, applicant_iin, subject_iin, data, "
        "status_token, channel, created_at, updated_at) VALUES (:id, :n, 'housing', "
        "'in_queue', :p, :p, '{}', :n, 'portal', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
        {"id": app_id, "n": f"H-2026-{app_id:06d}", "p": PERSON})
    conn.execute(sa.text(
        "INSERT INTO housing_queue_entry (application_id, settlement_code, list_code, number, "
        "status, submitted_at, registered_at) VALUES (:id, 'almaty', 'general', :number, "
        ":status, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
        {"id": app_id, "number": number, "status": status})


def _cleanup(runner):
    db.session.rollback()
    assert runner.invoke(args=["db", "downgrade", "base"]).exit_code == 0
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    db.engine.dispose()


def test_existing_entries_get_their_person_and_a_second_place_is_refused_after(app_config):
    app = create_app(app_config)
    with app.app_context():
        runner = _start_at(app, BEFORE)
        with db.engine.begin() as conn:
            _entry(conn, 1, 1, status="closed")
            _entry(conn, 2, 2)
        upgrade = runner.invoke(args=["db", "upgrade"])
        assert upgrade.exit_code == 0, upgrade.output
        with db.engine.connect() as conn:
            people = conn.execute(sa.text(
                "SELECT person_iin FROM housing_queue_entry ORDER BY id")).scalars().all()
        assert people == [PERSON, PERSON]
        try:
            with db.engine.begin() as conn:
                conn.execute(sa.text(
                    "INSERT INTO housing_queue_entry (person_iin, settlement_code, list_code, "
                    "number, status, submitted_at, registered_at) VALUES (:p, 'almaty', "
                    "'general', 3, 'suspended', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                    {"p": PERSON})
        except sa.exc.IntegrityError:
            pass
        else:
            raise AssertionError("a second place of the same person was kept")
        _cleanup(runner)


def test_a_person_listed_twice_stops_the_upgrade_and_says_what_to_do(app_config):
    app = create_app(app_config)
    with app.app_context():
        runner = _start_at(app, BEFORE)
        with db.engine.begin() as conn:
            _entry(conn, 1, 1)
            _entry(conn, 2, 2)
        upgrade = runner.invoke(args=["db", "upgrade"])
        assert upgrade.exit_code != 0
        message = upgrade.output
        assert "almaty/general: 2 places of a person ending 4406" in message
        assert "Close the extra entries" in message and PERSON not in message
        db.engine.dispose()
        with db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE housing_queue_entry SET status = 'closed' "
                                 "WHERE application_id = 2"))
        upgrade = runner.invoke(args=["db", "upgrade"])
        assert upgrade.exit_code == 0, upgrade.output
        _cleanup(runner)
