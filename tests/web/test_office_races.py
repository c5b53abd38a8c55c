"""Parallel sign-ins against the real database (SQLite here; PostgreSQL with
`make test-postgres`): the failure count loses nothing, the lock (wrong codes after the right
password) comes exactly once, wrong passwords are counted apart, and one code signs in once."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from portal.housing.office.staff.models import StaffAudit, StaffMember, StaffSession
from tests.web.office_helpers import PASSWORD, code_now, make_staff


def in_parallel(app, n: int, data_for) -> list[int]:
    """n test clients post /office/sign-in at the same moment; returns their statuses."""
    barrier = threading.Barrier(n)
    statuses: list[int] = [0] * n

    def run(i: int):
        client = app.test_client()
        with app.app_context():
            barrier.wait()
            statuses[i] = client.post("/office/sign-in", data=data_for(i)).status_code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return statuses


def member(db) -> StaffMember:
    db.session.expire_all()
    return db.session.scalar(sa.select(StaffMember))


def count(db, action: str) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(StaffAudit)
                             .where(StaffAudit.action == action))


def test_four_parallel_failures_are_all_counted(app, db):
    make_staff()
    statuses = in_parallel(app, 4, lambda i: {"login": "officer1", "password": PASSWORD,
                                              "code": "000000"})
    assert statuses == [200] * 4
    assert member(db).failed_attempts == 4 and member(db).locked_until is None


def test_eight_parallel_failures_lock_once(app, db):
    make_staff()
    statuses = in_parallel(app, 8, lambda i: {"login": "officer1", "password": PASSWORD,
                                              "code": "000000"})
    assert statuses == [200] * 8
    assert member(db).locked_until is not None
    assert count(db, "lockout") == 1
    # Exactly five failures were counted before the lock; the rest met a locked account.
    assert count(db, "sign_in_failed") == 8


def test_eight_parallel_wrong_passwords_are_counted_apart_and_lock_nothing(app, db):
    make_staff()
    statuses = in_parallel(app, 8, lambda i: {"login": "officer1", "password": f"wrong-{i}",
                                              "code": "000000"})
    assert statuses == [200] * 8
    assert member(db).password_failures == 5 and member(db).password_paused_until is not None
    assert member(db).locked_until is None and count(db, "lockout") == 0


def test_one_code_signs_in_once_however_many_send_it(app, db):
    make_staff()
    code = code_now()
    statuses = in_parallel(app, 4, lambda i: {"login": "officer1", "password": PASSWORD,
                                              "code": code})
    assert sorted(statuses) == [200, 200, 200, 303]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffSession)) == 1
