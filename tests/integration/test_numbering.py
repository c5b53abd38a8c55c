"""Application numbers: per service prefix, per Almaty year, unique and gapless under
concurrent submissions; the New Year comes five hours earlier in Almaty than in UTC."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from portal.core.services import numbering
from portal.extensions import db

UTC = dt.UTC


def test_year_is_almatys_not_utcs():
    # Almaty is UTC+5: 19:00 UTC on 31 December is midnight of 1 January there.
    assert numbering.year_of(dt.datetime(2026, 12, 31, 18, 59, 59, tzinfo=UTC)) == 2026
    assert numbering.year_of(dt.datetime(2026, 12, 31, 19, 0, 0, tzinfo=UTC)) == 2027
    with pytest.raises(ValueError):
        numbering.year_of(dt.datetime(2026, 12, 31, 19, 0))


def test_numbers_count_per_prefix_and_restart_each_almaty_year(app, clock):
    clock.set(dt.datetime(2026, 12, 31, 18, 59, 59, tzinfo=UTC))
    assert numbering.next_number("R") == "R-2026-000001"
    assert numbering.next_number("R") == "R-2026-000002"
    assert numbering.next_number("H") == "H-2026-000001"
    clock.advance(seconds=1)  # 00:00:00 on 1 January 2027 in Almaty, still 2026 in UTC
    assert numbering.next_number("R") == "R-2027-000001"
    db.session.commit()
    assert numbering.next_number("R", at=dt.datetime(2026, 6, 1, tzinfo=UTC)) == "R-2026-000003"


def test_a_rolled_back_number_is_given_again(app):
    assert numbering.next_number("R") == "R-2026-000001"
    db.session.commit()
    assert numbering.next_number("R") == "R-2026-000002"
    db.session.rollback()
    assert numbering.next_number("R") == "R-2026-000002"


def test_assign_keeps_a_number_once_given(app):
    class Draft:
        number = None
        submitted_at = dt.datetime(2026, 12, 31, 20, 0, tzinfo=UTC)

    draft = Draft()
    assert numbering.assign(draft, "R") == "R-2027-000001"
    assert numbering.assign(draft, "R") == "R-2027-000001"


def test_concurrent_numbers_are_unique_and_gapless(app):
    n = 8
    barrier = threading.Barrier(n)
    got, errors = [], []

    def worker():
        try:
            with app.app_context():
                barrier.wait()
                number = numbering.next_number("Q")
                db.session.commit()
                got.append(number)
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(got) == [f"Q-2026-{i:06d}" for i in range(1, n + 1)]
