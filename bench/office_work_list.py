"""The office's work list at a city's scale: p50/p95 of what the /office/ page reads, with
10 k, 100 k and 300 k housing applications on file (a city's general list is ~300,000).

    .venv/bin/python bench/office_work_list.py                  # SQLite in a temporary file
    PORTAL_DATABASE_URL=postgresql+psycopg://... .venv/bin/python bench/office_work_list.py
    .venv/bin/python bench/office_work_list.py --sizes 10000    # a quicker run
    make bench-office    # both databases (a throwaway PostgreSQL), appended to
                         # docs/BENCHMARKS.md

The applications are what years of a list leave: nearly all in the queue (or closed) with
nothing for the office, 2 % of them with a complaint long answered and 1 % with a category
request long decided (what a text match on the JSON finds, and the office then skips), and
the same 40 awaiting the office at every size (reviews, hearings, open complaints, a
re-check), in 3 settlements. Each size: 100 calls of housing_office.work_list for the head
(every settlement) and for an officer (one), with the number of items, then the plan of the
statement. Budget (issue 24): the work list does not grow with the applications on file
(p95 <= 10 ms at 300 k on both databases). Printed, never a pass/fail test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402

CALLS = 100
SETTLEMENTS = ("751110000", "711110000", "511010000")  # Almaty, Astana, Shymkent
SUBMITTED = dt.datetime(2019, 5, 6, 4, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 12, 2)


def p50_p95(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def _data(n: int) -> dict:
    """A registered member's answers as the application keeps them (~0.6 KB of JSON)."""
    data = {"settlement": SETTLEMENTS[n % 3], "case": "no_housing", "category": "general",
            "list_code": "general", "phone": f"+7701{n:07d}", "email": "", "lang": "ru",
            "sms_consent": True, "personal_data_consent": True, "applicant_name":
            f"Member {n}", "queue_number": n, "decision_number": f"D-{n}",
            "decision_on": "2019-05-13", "family": [
                {"iin": f"{n:012d}", "relation": "spouse", "name": f"Spouse {n}"}]}
    if n % 50 == 7:  # a complaint, answered years ago
        data["complaints"] = [{"body": "provider_head", "text": "…", "due": "2019-06-05",
                               "answered_at": "2019-05-30T06:00:00+00:00"}]
    if n % 100 == 11:  # a category request, decided
        data["category_requests"] = [{"code": "large_family", "outcome": "not_confirmed",
                                      "resolved_at": "2020-02-02T06:00:00+00:00"}]
    return data


def _awaiting(n: int) -> tuple[str, dict]:
    """One of the 40 applications that do await the office today."""
    data = _data(n)
    kind = n % 4
    if kind == 0:
        return "under_review", {**data, "decision_due": "2026-12-09"}
    if kind == 1:
        return "preliminary_refusal", {**data, "hearing_at": "2026-12-04T05:00:00+00:00"}
    if kind == 2:
        return "in_queue", {**data, "complaints": [
            {"body": "provider_head", "text": "…", "due": "2026-12-20"}]}
    return "in_queue", {**data, "recheck": {"due": "2026-12-15"}}


def fill(db, start: int, stop: int) -> None:
    from portal.core.models.shared import Application

    rows = []
    for n in range(start, stop):
        status, data = ("in_queue", _data(n)) if n % 40 else ("refused", _data(n))
        rows.append({"number": f"H-{n:08d}", "service": "housing", "status": status,
                     "applicant_iin": f"{n:012d}", "subject_iin": f"{n:012d}", "data": data,
                     "status_token": secrets.token_urlsafe(16), "channel": "portal",
                     "created_at": SUBMITTED, "updated_at": SUBMITTED,
                     "submitted_at": SUBMITTED})
        if len(rows) == 10_000:
            db.session.execute(sa.insert(Application), rows)
            rows = []
    if rows:
        db.session.execute(sa.insert(Application), rows)
    db.session.commit()


def add_awaiting(db) -> None:
    """The 40 that await the office, through the ORM (as the portal writes them)."""
    from portal.core.models.shared import Application

    for n in range(40):
        status, data = _awaiting(n)
        db.session.add(Application(
            number=f"W-{n:04d}", service="housing", status=status,
            applicant_iin=f"9{n:011d}", subject_iin=f"9{n:011d}", data=data,
            status_token=secrets.token_urlsafe(16), submitted_at=SUBMITTED))
    db.session.commit()


def staff(db):
    from portal.housing.office.staff.models import StaffMember

    head = StaffMember(login="bench-head", full_name="Head", role="head", settlements=[],
                       password_hash="-")
    officer = StaffMember(login="bench-officer", full_name="Officer", role="officer",
                          settlements=[SETTLEMENTS[0]], password_hash="-")
    db.session.add_all([head, officer])
    db.session.commit()
    return head, officer


def times_of(db, work_list, member) -> tuple[list[float], int]:
    times, items = [], 0
    for _ in range(CALLS):
        db.session.expire_all()
        t0 = time.perf_counter()
        items = len(work_list(member, today=TODAY))
        times.append((time.perf_counter() - t0) * 1000)
        db.session.rollback()
    return times, items


def explain(db) -> list[str]:
    from portal.housing.office.services import housing_office

    statement = housing_office.candidates_statement()
    compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    prefix = "EXPLAIN ANALYZE " if db.engine.dialect.name == "postgresql" else \
        "EXPLAIN QUERY PLAN "
    rows = db.session.execute(sa.text(prefix + str(compiled))).all()
    return [" ".join(str(c) for c in row) for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,300000")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="office-bench-")
    os.environ.setdefault("PORTAL_DATABASE_URL", f"sqlite:///{tmp}/bench.db")
    from portal import create_app
    from portal.extensions import db
    from portal.housing.office.services import housing_office

    app = create_app()
    with app.app_context():
        print(f"database: {db.engine.dialect.name} "
              f"{'.'.join(map(str, db.engine.dialect.server_version_info or ()))}; "
              f"{CALLS} work lists per size and staff member; load average "
              f"{Path('/proc/loadavg').read_text().split()[:3]}")
        db.drop_all()
        db.create_all()
        add_awaiting(db)
        head, officer = staff(db)
        total = 0
        for size in (int(s) for s in args.sizes.split(",")):
            started = time.perf_counter()
            fill(db, total, size)
            filled = time.perf_counter() - started
            total = size
            if db.engine.dialect.name == "postgresql":
                db.session.execute(sa.text("ANALYZE"))
                db.session.commit()
            line = [f"{size:>7} applications  fill {filled:5.1f} s"]
            for who, member in (("head", head), ("officer", officer)):
                member = db.session.merge(member)
                p50, p95 = p50_p95(times_of(db, housing_office.work_list, member)[0])
                items = len(housing_office.work_list(member, today=TODAY))
                line.append(f"{who} ({items} items) p50 {p50:7.2f} ms p95 {p95:7.2f} ms")
            print("  ".join(line), flush=True)
        for row in explain(db):
            print("plan:", row)
        print(f"load average at the end: {Path('/proc/loadavg').read_text().split()[:3]}")


if __name__ == "__main__":
    main()
