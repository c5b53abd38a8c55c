"""Housing lists at scale: position look-up and the public status page, p50/p95 at 10 k,
100 k and 1 M entries.

    .venv/bin/python bench/housing_queue.py                 # SQLite in a temporary file
    PORTAL_DATABASE_URL=postgresql+psycopg://... .venv/bin/python bench/housing_queue.py
    .venv/bin/python bench/housing_queue.py --sizes 10000,100000   # a quicker run
    .venv/bin/python bench/housing_queue.py --lists 3       # lists of ~333,000 at 1 M
    make bench-queue     # both databases (a throwaway PostgreSQL), 3 and 300 lists, appended to
                         # docs/BENCHMARKS.md

Each size adds entries to one schema with `demo_registries.queue.fill` (what
`flask demo queue --entries N` runs; 300 lists unless --lists) up to N, timed (the fill makes
the lists' kept counts again at the end: housing_queue.rebuild_counts). Then:
- position: 500 look-ups of random entries through housing_queue.place_of (position and total
  in one statement over the kept counts, housing_queue_count: the years before, the days of
  the year before, and the entries of the entry's own day ahead);
- member's page data: what portal.housing.services.member.member_of reads for that application
  (the entry, its place, the place over time, its akimat transfer) 300 times, with about 30 %
  of the entries registered before 1 July 2025 moved from an akimat's list (the fill's);
- status page: one registered application (service housing, in the queue) per size, whose entry
  is the latest of a list, so its COUNT spans the whole list (the worst case), and 300 GETs of
  /housing/s/<token> through the Flask test client in-process (routing, the service, the
  template; no network, no server).
At the end the plan of the position statement for that entry (SQLite: EXPLAIN QUERY PLAN;
PostgreSQL: EXPLAIN ANALYZE) and the machine's load average. Budget (issues 8 and 24): p95 <=
10 ms at 1 M, in lists of 300,000 (--lists 3) as well as 300 lists of 3,000. Printed, never a
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


def member_times(db, token: str) -> list[float]:
    """What a queue member's own page reads (portal.housing.services.member.member_of: the
    entry, its place, the place over time, the akimat's transfer), for the bench's application,
    given a transfer as the moved members have."""
    import datetime as dt

    from portal.core.models.housing_member import QueueTransfer
    from portal.core.models.shared import Application
    from portal.housing.services import housing_queue, member

    application = db.session.scalar(sa.select(Application).filter_by(status_token=token))
    entry = housing_queue.entry_of(application)
    db.session.merge(QueueTransfer(entry_id=entry.id, akimat_settlement=entry.settlement_code,
                                   akimat_number=1, akimat_date=dt.date(2012, 3, 14),
                                   moved_on=dt.date(2025, 7, 1)))
    db.session.commit()
    times = []
    for _ in range(PAGE_GETS):
        db.session.expire_all()
        t0 = time.perf_counter()
        found = member.member_of(application)
        times.append((time.perf_counter() - t0) * 1000)
        assert found is not None and found.transfer is not None
    return times


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
    """The plan of the statement place_of sends for `entry`."""
    from portal.housing.services import housing_queue

    statement = housing_queue.place_statement().params(housing_queue.place_params(entry))
    sql = str(statement.compile(dialect=db.engine.dialect,
                                compile_kwargs={"literal_binds": True}))
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "sqlite":
            return [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
        return [row[0] for row in conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + sql)]


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
    from demo_registries.queue import fill, list_keys, moved
    from portal import create_app
    from portal.core.models.housing import QueueEntry
    from portal.extensions import db
    from portal.housing.services import housing_queue

    app = create_app()
    key = list_keys(args.lists)[0]
    with app.app_context():
        print(f"database: {server_version(db)}; {args.lists} lists; {LOOKUPS} position "
              f"look-ups, {PAGE_GETS} status pages per size; load average "
              f"{Path('/proc/loadavg').read_text().split()[:3]}")
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
            mem50, mem95 = p50_p95(member_times(db, token))
            print(f"{size:>9} entries  fill {filled:6.1f} s  position p50 {pos50:6.2f} ms "
                  f"p95 {pos95:6.2f} ms  status page p50 {page50:6.2f} ms p95 {page95:6.2f} ms"
                  f"  (page: place {place.position} of {place.total})  member's page data p50 "
                  f"{mem50:6.2f} ms p95 {mem95:6.2f} ms ({moved()} moved from akimats)")
        for line in explain(db, entry):
            print("plan:", line)
        print(f"load average at the end: {Path('/proc/loadavg').read_text().split()[:3]}")


if __name__ == "__main__":
    main()
