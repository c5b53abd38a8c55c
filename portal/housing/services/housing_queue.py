"""The housing lists in the database: registration with a gapless number, position and totals.

Rules (order, position, which list) are portal.domain.housing.queue; this module counts them
with SQL. Position = active entries of the same list ahead (earlier submitted_at, then lower
id) + 1.

Counting the entries ahead on every look-up costs time in proportion to the list (185 ms on
SQLite, 364 ms on PostgreSQL at p95 for lists of 300,000: issue 24). So the counts are kept:
`housing_queue_count` holds, per list, the active entries submitted in each UTC day and each UTC
year, and a position is one statement summing the years before (a few rows), the days of the
year before (at most 365 rows of one index range) and counting the entries of the entry's own
day that are ahead (tens of rows at 300,000 a list, over ix_housing_queue_order); the total is
the sum of the year rows. Why this and not the alternatives:
- a stored `place` column shifted by one UPDATE per change writes O(list) rows when an early
  entry leaves or is suspended (300,000 rows locked for one withdrawal);
- a Fenwick tree over days reads and writes O(log days) rows, but keeps about six rows per
  entry in sparse lists and is harder to check by eye; two levels (year, day) keep at most one
  row per entry plus one per year, read at most ~400 small rows, write two.
Every change of an entry's activity or list (`register`, `move_entry`, `close`, `move_to_list`)
adds +1/-1 to its two count rows with one INSERT … ON CONFLICT DO UPDATE SET active = active +
excluded.active in the change's transaction, after the conditional UPDATE of the entry that
decides the change happened (the entry's row lock then holds until the commit, so a count moves
once per real move; rows are written in key order, so two transactions cannot deadlock on them).
`rebuild_counts` makes them from the entries (the migration's SQL; the demo's bulk fill).
tests/web/test_housing_queue_counts.py proves position and total equal the COUNT after any
sequence of joins, leaves, suspensions, restorations and moves, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from portal.clock import as_utc, now
from portal.core.models.housing import QueueCount, QueueCounter, QueueEntry
from portal.domain.housing import queue as rules
from portal.domain.housing.queue import EntryStatus, ListKey
from portal.extensions import db


def _insert():
    dialect = db.session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def _ensure_counter(key: ListKey) -> None:
    db.session.execute(_insert()(QueueCounter).on_conflict_do_nothing().values(
        settlement_code=key.settlement_code, list_code=key.list_code, last_number=0))


def next_number(key: ListKey) -> int:
    """One more than the highest number of the list; not committed (a rollback gives it back)."""
    _ensure_counter(key)
    return db.session.execute(
        sa.update(QueueCounter)
        .where(QueueCounter.settlement_code == key.settlement_code,
               QueueCounter.list_code == key.list_code)
        .values(last_number=QueueCounter.last_number + 1)
        .returning(QueueCounter.last_number)
        .execution_options(synchronize_session=False)
    ).scalar_one()


class AlreadyListed(Exception):
    """The person already holds a place in this list (another application's). Raised before
    anything is inserted, or when the database refused the insert (ux_housing_queue_person: a
    parallel registration of the same person committed first); on PostgreSQL the transaction
    is then aborted, so the caller rolls back."""


def register(application, key: ListKey, submitted_at: dt.datetime,
             at: dt.datetime | None = None) -> QueueEntry:
    """The application's entry in the list (a second call returns the first entry). Raises
    AlreadyListed when its person holds a place in the list already."""
    existing = entry_of(application)
    if existing is not None:
        return existing
    person = application.subject_iin
    if person and held_place(person, key) is not None:
        raise AlreadyListed
    db.session.flush()  # what the caller holds goes in first: the refusal below is the entry's
    entry = QueueEntry(application_id=application.id, settlement_code=key.settlement_code,
                       list_code=key.list_code, number=next_number(key), person_iin=person,
                       status=EntryStatus.ACTIVE.value, submitted_at=submitted_at,
                       registered_at=at or now())
    db.session.add(entry)
    try:
        db.session.flush()
    except IntegrityError:
        raise AlreadyListed from None
    _count([(key, submitted_at, 1)])
    return entry


def held_place(person_iin: str, key: ListKey) -> QueueEntry | None:
    """The person's place in the list, active or suspended (what ux_housing_queue_person
    counts)."""
    return db.session.scalars(sa.select(QueueEntry).where(
        QueueEntry.person_iin == person_iin, QueueEntry.settlement_code == key.settlement_code,
        QueueEntry.list_code == key.list_code,
        QueueEntry.status != EntryStatus.CLOSED.value)).first()


def entry_of(application) -> QueueEntry | None:
    return db.session.scalars(
        sa.select(QueueEntry).where(QueueEntry.application_id == application.id)).first()


def entry_by_number(settlement_code: str, list_code: str, number: int) -> QueueEntry | None:
    return db.session.scalars(sa.select(QueueEntry).where(
        QueueEntry.settlement_code == settlement_code, QueueEntry.list_code == list_code,
        QueueEntry.number == number)).first()


DAY, YEAR = 0, 1  # housing_queue_count.span


def _count(changes: list[tuple[ListKey, dt.datetime, int]]) -> None:
    """Add each change (+1 an entry became active in the list at that moment, -1 it stopped)
    to the list's day and year rows: one upsert, rows in key order. Not committed."""
    deltas: dict[tuple[str, str, int, int], int] = {}
    for key, moment, delta in changes:
        moment = as_utc(moment)
        for span, start in ((DAY, rules.count_day(moment)), (YEAR, rules.count_year(moment))):
            row = (key.settlement_code, key.list_code, span, start)
            deltas[row] = deltas.get(row, 0) + delta
    rows = [{"settlement_code": s, "list_code": lc, "span": span, "start": start,
             "active": delta} for (s, lc, span, start), delta in sorted(deltas.items()) if delta]
    if not rows:
        return
    insert = _insert()(QueueCount).values(rows)
    db.session.execute(insert.on_conflict_do_update(
        index_elements=["settlement_code", "list_code", "span", "start"],
        set_={"active": QueueCount.active + insert.excluded.active}))


def _sum(span: int, *where) -> sa.ScalarSelect:
    return sa.select(sa.func.coalesce(sa.func.sum(QueueCount.active), 0)).where(
        QueueCount.settlement_code == sa.bindparam("settlement"),
        QueueCount.list_code == sa.bindparam("list_code"), QueueCount.span == span,
        *where).scalar_subquery()


# The place's statements are built once, with bound parameters: built per page they cost more
# than running them (the housing pages show a place on every request).
@functools.cache
def total_statement() -> sa.Select:
    """Active entries of the list (bound: settlement, list_code)."""
    return sa.select(_sum(YEAR))


@functools.cache
def place_statement() -> sa.Select:
    """(active entries ahead of an entry, active entries of the list): rules.ahead_from_counts
    in SQL; bound by `place_params`."""
    at = sa.bindparam("at", type_=QueueEntry.submitted_at.type)
    same_day = sa.select(sa.func.count()).select_from(QueueEntry).where(
        QueueEntry.settlement_code == sa.bindparam("settlement"),
        QueueEntry.list_code == sa.bindparam("list_code"),
        QueueEntry.status == EntryStatus.ACTIVE.value,
        # Both bounds plain, so the index range is the day up to the entry, not the rest of
        # the list (the OR alone bounds nothing for the planner).
        QueueEntry.submitted_at >= sa.bindparam("day_start", type_=QueueEntry.submitted_at.type),
        QueueEntry.submitted_at <= at,
        sa.or_(QueueEntry.submitted_at < at,
               sa.and_(QueueEntry.submitted_at == at, QueueEntry.id < sa.bindparam("id")))
    ).scalar_subquery()
    ahead = (_sum(YEAR, QueueCount.start < sa.bindparam("year"))
             + _sum(DAY, QueueCount.start >= sa.bindparam("first_day"),
                    QueueCount.start < sa.bindparam("day"))
             + same_day)
    return sa.select(ahead, _sum(YEAR))


def place_params(entry: QueueEntry) -> dict:
    at = as_utc(entry.submitted_at)
    year, day = rules.count_year(at), rules.count_day(at)
    return {"settlement": entry.settlement_code, "list_code": entry.list_code, "at": at,
            "id": entry.id, "year": year, "day": day, "day_start": rules.day_start(day),
            "first_day": rules.first_day_of_year(year)}


def position(entry: QueueEntry) -> int | None:
    """Active entries ahead + 1; None for a suspended or closed entry."""
    if entry.status != EntryStatus.ACTIVE.value:
        return None
    return db.session.execute(place_statement(), place_params(entry)).one()[0] + 1


def total(settlement_code: str, list_code: str) -> int:
    """Active entries of the list."""
    return db.session.scalar(total_statement(), {"settlement": settlement_code,
                                                 "list_code": list_code})


def counted_position(entry: QueueEntry) -> int | None:
    """The position by counting the list (what `position` was before the counts): the
    reference the tests compare with, O(list)."""
    if entry.status != EntryStatus.ACTIVE.value:
        return None
    return db.session.scalar(sa.select(sa.func.count()).select_from(QueueEntry).where(
        *_active(entry.settlement_code, entry.list_code),
        sa.or_(QueueEntry.submitted_at < entry.submitted_at,
               sa.and_(QueueEntry.submitted_at == entry.submitted_at,
                       QueueEntry.id < entry.id)))) + 1


def counted_total(settlement_code: str, list_code: str) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(QueueEntry).where(
        *_active(settlement_code, list_code)))


def _active(settlement_code: str, list_code: str):
    return (QueueEntry.settlement_code == settlement_code, QueueEntry.list_code == list_code,
            QueueEntry.status == EntryStatus.ACTIVE.value)


def rebuild_counts() -> None:
    """Make housing_queue_count again from the entries (after a bulk INSERT of entries, as the
    demo's fill does; migration qu3u3c0unt01 runs the same SQL). Not committed."""
    db.session.execute(sa.delete(QueueCount))
    for statement in count_sql(db.session.get_bind().dialect.name):
        db.session.execute(sa.text(statement))


def count_sql(dialect: str) -> list[str]:
    """INSERT … SELECT of the day and year rows from housing_queue_entry (UTC days since
    1970-01-01, UTC years: rules.count_day / count_year)."""
    if dialect == "postgresql":
        day = "((submitted_at AT TIME ZONE 'UTC')::date - DATE '1970-01-01')"
        year = "CAST(EXTRACT(YEAR FROM submitted_at AT TIME ZONE 'UTC') AS INTEGER)"
    else:  # SQLite keeps the UTC moment as 'YYYY-MM-DD HH:MM:SS.ffffff'
        day = "CAST(julianday(substr(submitted_at, 1, 10)) - 2440587.5 AS INTEGER)"
        year = "CAST(substr(submitted_at, 1, 4) AS INTEGER)"
    return [f"INSERT INTO housing_queue_count (settlement_code, list_code, span, start, active) "
            f"SELECT settlement_code, list_code, {span}, {expr}, count(*) "
            f"FROM housing_queue_entry WHERE status = 'active' "
            f"GROUP BY settlement_code, list_code, {expr}"
            for span, expr in ((DAY, day), (YEAR, year))]


@dataclass(frozen=True)
class Place:
    number: int
    settlement_code: str
    list_code: str
    status: str
    position: int | None
    total: int


def place_of(entry: QueueEntry | None) -> Place | None:
    if entry is None:
        return None
    if entry.status != EntryStatus.ACTIVE.value:
        return Place(entry.number, entry.settlement_code, entry.list_code, entry.status, None,
                     total(entry.settlement_code, entry.list_code))
    ahead, of = db.session.execute(place_statement(), place_params(entry)).one()
    return Place(entry.number, entry.settlement_code, entry.list_code, entry.status,
                 ahead + 1, of)


def close(entry: QueueEntry) -> bool:
    """Close the entry (active or suspended) if it is not closed yet. Not committed."""
    return move_entry(entry, [EntryStatus.ACTIVE.value, EntryStatus.SUSPENDED.value],
                      EntryStatus.CLOSED.value)


def move_entry(entry: QueueEntry, from_statuses: list[str], to_status: str) -> bool:
    """Move the entry's status if, in the database, it is still one of `from_statuses` (one
    conditional UPDATE: of two parallel moves one wins), and the list's counts with it when it
    became active or stopped being active. Not committed."""
    active = EntryStatus.ACTIVE.value
    # Out of `active` and out of another state are separate conditional UPDATEs, so the one that
    # matched says whether the counts change.
    tries = [[active], [s for s in from_statuses if s != active]] if active in from_statuses \
        else [list(from_statuses)]
    for sources in tries:
        if not sources:
            continue
        row = db.session.execute(
            sa.update(QueueEntry).where(QueueEntry.id == entry.id,
                                        QueueEntry.status.in_(sources))
            .values(status=to_status)
            .returning(QueueEntry.settlement_code, QueueEntry.list_code,
                       QueueEntry.submitted_at)
            .execution_options(synchronize_session=False)).one_or_none()
        if row is None:
            continue
        was_active, is_active = sources == [active], to_status == active
        if was_active != is_active:
            _count([(ListKey(row.settlement_code, row.list_code), row.submitted_at,
                     1 if is_active else -1)])
        set_committed_value(entry, "status", to_status)
        return True
    return False


def move_to_list(entry: QueueEntry, key: ListKey) -> None:
    """Move the entry to another list of its settlement (a category confirmed later
    [002 p.9]): the next number there, the same submitted_at, so its place in the order is its
    original date's; an active entry's counts go with it. Not committed."""
    source = ListKey(entry.settlement_code, entry.list_code)
    number = next_number(key)
    row = db.session.execute(
        sa.update(QueueEntry).where(QueueEntry.id == entry.id,
                                    QueueEntry.list_code == source.list_code)
        .values(list_code=key.list_code, number=number)
        .returning(QueueEntry.status, QueueEntry.submitted_at)
        .execution_options(synchronize_session=False)).one()
    if row.status == EntryStatus.ACTIVE.value:
        _count([(source, row.submitted_at, -1), (key, row.submitted_at, 1)])
    set_committed_value(entry, "list_code", key.list_code)
    set_committed_value(entry, "number", number)
