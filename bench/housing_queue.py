"""Housing lists at scale: position look-up and the public status page, p50/p95 at 10 k,
100 k and 1 M entries.

    .venv/bin/python bench/housing_queue.py                 # SQLite in a temporary file
    PORTAL_DATABASE_URL=postgresql+psycopg://... .venv/bin/python bench/housing_queue.py
    .venv/bin/python bench/housing_queue.py --sizes 10000,100000   # a quicker run
    make bench-queue     # both databases (a throwaway PostgreSQL), appended to docs/BENCHMARKS.md

Each size adds entries to one schema with `demo_registries.queue.fill` (what
`flask demo queue --entries N` runs; 300 lists) up to N, timed. Then:
- position: 500 look-ups of random entries through housing_queue.place_of (position = one COUNT
  over the range of ix_housing_queue_order, plus the list's total);
- status page: one registered application (service housing, in the queue) per size, whose entry
  is the latest of a list, so its COUNT spans the whole list (the worst case), and 300 GETs of
  /housing/s/<token> through the Flask test client in-process (routing, the service, the
  template; no network, no server).
At the end the plan of the position COUNT for that entry (SQLite: EXPLAIN QUERY PLAN;
PostgreSQL: EXPLAIN ANALYZE). Budget (issue 8): p95 <= 10 ms at 1 M. Printed, never a
pass/fail test. PostgreSQL's tables are ANALYZEd after each fill, as autovacuum's analyze would
after a bulk load (without statistics the planner guesses row counts).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402

LOOKUPS = 500
PAGE_GETS = 300
LATEST = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # after every demo entry: last of its list


def p50_p95(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def position_times(db, entry_model, housing_queue) -> list[float]:
    ids = db.session.scalars(sa.select(entry_model.id)).all()
    rng = random.Random(7)
    times = []
    for entry_id in rng.sample(ids, min(LOOKUPS, len(ids))):
        db.session.expire_all()
        t0 = time.perf_counter()
        housing_queue.place_of(db.session.get(entry_model, entry_id))
        times.append((time.perf_counter() - t0) * 1000)
    return times


def registered_application(db, key, size: int):
    """An application in the queue, last of the list `key`: what a citizen's QR code opens."""
    from portal.core.models.shared import Application
    from portal.domain.statuses import AppStatus
    from portal.housing.services import housing_queue

    application = Application(
        number=f"BENCH-{size}", service="housing", status=AppStatus.IN_QUEUE,
        applicant_iin="000000000000", status_token=secrets.token_urlsafe(24),
        data={"settlement": key.settlement_code, "case": "no_housing"},
        submitted_at=LATEST)
    db.session.add(application)
    db.session.flush()
    entry = housing_queue.register(application, key, LATEST, LATEST)
    db.session.commit()
    return application.status_token, entry


def page_times(app, token: str) -> tuple[list[float], str]:
    client = app.test_client()
    url = f"/housing/s/{token}?lang=en"
    first = client.get(url)  # warm: template compiled, connection pooled
    assert first.status_code == 200, first.status_code
    times = []
    for _ in range(PAGE_GETS):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    return times, first.get_data(as_text=True)


def explain(db, entry) -> list[str]:
    where = ("WHERE settlement_code = :s AND list_code = :l AND status = 'active' "
             "AND (submitted_at < :t OR (submitted_at = :t AND id < :i))")
    params = {"s": entry.settlement_code, "l": entry.list_code, "t": entry.submitted_at,
              "i": entry.id}
    if db.engine.dialect.name == "sqlite":
        # SQLite stores the timestamp as the type's string; the plan does not depend on it.
        params["t"] = entry.submitted_at.isoformat()
        rows = db.session.execute(sa.text(
            f"EXPLAIN QUERY PLAN SELECT count(*) FROM housing_queue_entry {where}"), params)
        return [row[-1] for row in rows]
    rows = db.session.execute(sa.text(
        f"EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM housing_queue_entry {where}"), params)
    return [row[0] for row in rows]


def server_version(db) -> str:
    if db.engine.dialect.name == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return db.session.scalar(sa.text("SELECT version()")).split(" on ")[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--lists", type=int, default=300)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="housing-bench-")
    os.environ.setdefault("PORTAL_DATABASE_URL", f"sqlite:///{tmp}/bench.db")
    from demo_registries.queue import fill, list_keys
    from portal import create_app
    from portal.core.models.housing import QueueEntry
    from portal.extensions import db
    from portal.housing.services import housing_queue

    app = create_app()
    key = list_keys(args.lists)[0]
    with app.app_context():
        print(f"database: {server_version(db)}; {args.lists} lists; {LOOKUPS} position "
              f"look-ups, {PAGE_GETS} status pages per size")
        db.drop_all()
        db.create_all()
        total = 0
        entry = None
        for size in (int(s) for s in args.sizes.split(",")):
            started = time.perf_counter()
            fill(size - total, args.lists)
            filled = time.perf_counter() - started
            total = size
            if db.engine.dialect.name == "postgresql":
                db.session.execute(sa.text("ANALYZE"))
                db.session.commit()
            pos50, pos95 = p50_p95(position_times(db, QueueEntry, housing_queue))
            token, entry = registered_application(db, key, size)
            total += 1
            place = housing_queue.place_of(entry)
            db.session.commit()
            times, html = page_times(app, token)
            assert f"{place.position}" in html, "the page shows the position"
            page50, page95 = p50_p95(times)
            print(f"{size:>9} entries  fill {filled:6.1f} s  position p50 {pos50:6.2f} ms "
                  f"p95 {pos95:6.2f} ms  status page p50 {page50:6.2f} ms p95 {page95:6.2f} ms"
                  f"  (page: place {place.position} of {place.total})")
        for line in explain(db, entry):
            print("plan:", line)


if __name__ == "__main__":
    main()
