"""Position look-up in the housing lists: p50/p95 at 10 k, 100 k and 1 M entries.

    .venv/bin/python bench/housing_queue.py                 # SQLite in a temporary file
    PORTAL_DATABASE_URL=postgresql+psycopg://... .venv/bin/python bench/housing_queue.py
    .venv/bin/python bench/housing_queue.py --sizes 10000,100000   # a quicker run

Each size: a fresh schema, `flask demo queue --entries N` (300 lists), then 500 look-ups of
random entries through housing_queue.place_of (position = one COUNT over the range of
ix_housing_queue_order, plus the list's total). Budget (issue 8): p95 <= 10 ms at 1 M.
Printed, never a pass/fail test.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402

LOOKUPS = 500


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--lists", type=int, default=300)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="housing-bench-")
    os.environ.setdefault("PORTAL_DATABASE_URL", f"sqlite:///{tmp}/bench.db")
    from demo_registries.queue import fill
    from portal import create_app
    from portal.extensions import db
    from portal.models.housing import QueueEntry
    from portal.services import housing_queue

    app = create_app()
    print("database:", os.environ["PORTAL_DATABASE_URL"].split(":")[0])
    with app.app_context():
        db.drop_all()
        db.create_all()
        total = 0
        for size in (int(s) for s in args.sizes.split(",")):
            started = time.perf_counter()
            fill(size - total, args.lists)
            total = size
            filled = time.perf_counter() - started
            ids = db.session.scalars(sa.select(QueueEntry.id)).all()
            rng = random.Random(7)
            times = []
            for entry_id in rng.sample(ids, min(LOOKUPS, len(ids))):
                db.session.expire_all()
                t0 = time.perf_counter()
                housing_queue.place_of(db.session.get(QueueEntry, entry_id))
                times.append((time.perf_counter() - t0) * 1000)
            times.sort()
            p95 = times[int(len(times) * 0.95) - 1]
            print(f"{size:>9} entries  fill {filled:6.1f} s  position p50 "
                  f"{statistics.median(times):6.2f} ms  p95 {p95:6.2f} ms")
        plan = db.session.execute(sa.text(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM housing_queue_entry "
            "WHERE settlement_code='almaty' AND list_code='general' AND status='active' "
            "AND submitted_at < '2020-01-01'"
        )).all() if db.engine.dialect.name == "sqlite" else []
        for row in plan:
            print("plan:", row[-1])


if __name__ == "__main__":
    main()
