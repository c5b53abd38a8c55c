"""The kept counts (housing_queue_count) give exactly the position and total the count over the
list gives (portal.domain.housing.queue: active entries ahead + 1; suspended and closed entries
out of the order), after any sequence of joins, leaves, suspensions, restorations and moves
between lists, and under changes released together. SQLite here; PostgreSQL with
PORTAL_TEST_DATABASE_URL (`make test-postgres`)."""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.core.models import Application, AppStatus
from portal.core.models.housing import QueueCount, QueueCounter, QueueEntry
from portal.domain.housing.queue import EntryStatus, ListKey
from portal.housing.services import housing_queue

LISTS = [ListKey("almaty", "general"), ListKey("almaty", "orphans"), ListKey("astana", "general")]
ALMATY = ZoneInfo("Asia/Almaty")
# Moments that share an instant, a UTC day, a year; that straddle a UTC midnight and a new year
# (one given in Almaty's time, where the local date is the next day); before 1970.
MOMENTS = [
    dt.datetime(2015, 3, 1, 10, 0, tzinfo=dt.UTC),
    dt.datetime(2015, 3, 1, 10, 0, tzinfo=dt.UTC),
    dt.datetime(2015, 3, 1, 23, 59, 59, 999999, tzinfo=dt.UTC),
    dt.datetime(2015, 3, 2, 0, 30, tzinfo=ALMATY),  # 2015-03-01 19:30 UTC
    dt.datetime(2015, 3, 2, 0, 0, tzinfo=dt.UTC),
    dt.datetime(2015, 12, 31, 23, 0, tzinfo=dt.UTC),
    dt.datetime(2016, 1, 1, 3, 0, tzinfo=ALMATY),  # 2015-12-31 22:00 UTC
    dt.datetime(2016, 1, 1, 0, 0, tzinfo=dt.UTC),
    dt.datetime(2020, 7, 7, 7, 7, 7, 7, tzinfo=dt.UTC),
    dt.datetime(1969, 12, 31, 12, 0, tzinfo=dt.UTC),
]

OPS = st.one_of(
    st.tuples(st.just("join"), st.integers(0, len(LISTS) - 1),
              st.integers(0, len(MOMENTS) - 1)),
    st.tuples(st.sampled_from(["close", "suspend", "restore"]), st.integers(0, 30), st.just(0)),
    st.tuples(st.just("move"), st.integers(0, 30), st.integers(0, len(LISTS) - 1)),
)


def join(db, key: ListKey, moment: dt.datetime) -> QueueEntry:
    application = Application(
        number=f"T-{secrets.token_hex(6)}", service="housing", status=AppStatus.IN_QUEUE,
        applicant_iin="000000000000", status_token=secrets.token_urlsafe(24),
        data={"settlement": key.settlement_code}, submitted_at=moment)
    db.session.add(application)
    db.session.flush()
    return housing_queue.register(application, key, moment, moment)


def apply(db, op: str, arg: int, other: int) -> None:
    if op == "join":
        join(db, LISTS[arg], MOMENTS[other])
        return
    entries = db.session.scalars(sa.select(QueueEntry).order_by(QueueEntry.id)).all()
    if not entries:
        return
    entry = entries[arg % len(entries)]
    active, suspended, closed = (s.value for s in EntryStatus)
    if op == "close":
        housing_queue.close(entry)
    elif op == "suspend":
        housing_queue.move_entry(entry, [active], suspended)
    elif op == "restore":
        housing_queue.move_entry(entry, [suspended], active)
    elif entry.status != closed and entry.list_code != LISTS[other].list_code and \
            entry.settlement_code == LISTS[other].settlement_code:
        housing_queue.move_to_list(entry, LISTS[other])


def kept_counts(db) -> set[tuple]:
    return {tuple(r) for r in db.session.execute(sa.select(
        QueueCount.settlement_code, QueueCount.list_code, QueueCount.span, QueueCount.start,
        QueueCount.active).where(QueueCount.active != 0))}


def assert_counts_equal_the_count(db) -> None:
    db.session.expire_all()
    for entry in db.session.scalars(sa.select(QueueEntry)):
        assert housing_queue.position(entry) == housing_queue.counted_position(entry), entry.id
        place = housing_queue.place_of(entry)
        assert place.position == housing_queue.counted_position(entry)
        assert place.total == housing_queue.counted_total(entry.settlement_code,
                                                          entry.list_code)
    for key in LISTS:
        assert housing_queue.total(key.settlement_code, key.list_code) == \
            housing_queue.counted_total(key.settlement_code, key.list_code)


def empty(db) -> None:
    db.session.rollback()
    for model in (QueueCount, QueueEntry, QueueCounter, Application):
        db.session.execute(sa.delete(model))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(OPS, max_size=30))
def test_the_kept_position_and_total_equal_the_count_after_any_changes(app, db, ops):
    empty(db)
    for op in ops:
        apply(db, *op)
        db.session.flush()
        assert_counts_equal_the_count(db)
    # What the migration and the demo's bulk fill build equals what the changes kept.
    kept = kept_counts(db)
    housing_queue.rebuild_counts()
    assert kept_counts(db) == kept
    db.session.rollback()


def test_a_suspended_entry_keeps_its_number_out_of_the_order_and_back_in_on_restore(app, db):
    empty(db)
    first, second, third = (join(db, LISTS[0], MOMENTS[i]) for i in (0, 2, 5))
    assert [housing_queue.position(e) for e in (first, second, third)] == [1, 2, 3]
    assert housing_queue.move_entry(second, ["active"], "suspended")
    assert [housing_queue.position(e) for e in (first, second, third)] == [1, None, 2]
    assert housing_queue.total("almaty", "general") == 2
    assert not housing_queue.move_entry(second, ["active"], "suspended")  # already: no change
    assert housing_queue.total("almaty", "general") == 2
    assert housing_queue.move_entry(second, ["suspended"], "active")
    assert [housing_queue.position(e) for e in (first, second, third)] == [1, 2, 3]
    assert housing_queue.close(first) and not housing_queue.close(first)
    assert [housing_queue.position(e) for e in (second, third)] == [1, 2]
    assert housing_queue.total("almaty", "general") == 2
    db.session.rollback()


def test_a_moved_entry_keeps_its_original_date_in_the_new_list(app, db):
    empty(db)
    early = join(db, LISTS[0], MOMENTS[0])
    later = [join(db, LISTS[1], MOMENTS[i]) for i in (5, 8)]
    housing_queue.move_to_list(early, LISTS[1])
    assert (early.list_code, early.number) == ("orphans", 3)
    assert [housing_queue.position(e) for e in (early, *later)] == [1, 2, 3]
    assert housing_queue.total("almaty", "general") == 0
    assert housing_queue.total("almaty", "orphans") == 3
    db.session.rollback()


def run_together(app, jobs) -> list[BaseException]:
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job):
        with app.app_context():
            from portal.extensions import db as thread_db
            try:
                barrier.wait()
                job(thread_db)
                thread_db.session.commit()
            except BaseException as error:  # noqa: BLE001 - reported by the test
                thread_db.session.rollback()
                errors.append(error)
            finally:
                thread_db.session.remove()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


def test_changes_released_together_keep_the_counts_equal_to_the_count(app, db):
    """Suspensions, closings and restorations of the same entries at once: each entry moves
    once per conditional UPDATE that won, and the counts with it."""
    empty(db)
    entries = [join(db, LISTS[i % 2], MOMENTS[i % len(MOMENTS)]) for i in range(8)]
    for entry in entries[4:]:
        housing_queue.move_entry(entry, ["active"], "suspended")
    db.session.commit()
    ids = [e.id for e in entries]

    def change(entry_id, sources, target):
        def job(thread_db):
            entry = thread_db.session.get(QueueEntry, entry_id)
            housing_queue.move_entry(entry, sources, target)
        return job

    jobs = []
    for entry_id in ids:
        jobs += [change(entry_id, ["active"], "suspended"),
                 change(entry_id, ["active", "suspended"], "closed"),
                 change(entry_id, ["suspended"], "active")]
    assert run_together(app, jobs) == []
    assert_counts_equal_the_count(db)
    kept = kept_counts(db)
    housing_queue.rebuild_counts()
    assert kept_counts(db) == kept
    db.session.rollback()
    empty(db)
    db.session.commit()


def test_joins_released_together_keep_the_counts_equal_to_the_count(app, db):
    empty(db)
    db.session.commit()
    jobs = [lambda thread_db, i=i: join(thread_db, LISTS[i % 3], MOMENTS[i % len(MOMENTS)])
            for i in range(12)]
    assert run_together(app, jobs) == []
    assert_counts_equal_the_count(db)
    for key in LISTS:
        assert housing_queue.total(key.settlement_code, key.list_code) == 4
    empty(db)
    db.session.commit()
