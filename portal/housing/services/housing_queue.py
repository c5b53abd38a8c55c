"""The housing lists in the database: registration with a gapless number, position and totals.

Rules (order, position, which list) are portal.domain.housing.queue; this module counts them
with SQL. Position = active entries of the same list ahead (earlier submitted_at, then lower
id) + 1: one COUNT over a range of the composite index ix_housing_queue_order, so a look-up
stays O(log n) at a million entries (bench/housing_queue.py measures it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from portal.clock import now
from portal.core.models.housing import QueueCounter, QueueEntry
from portal.domain.housing.queue import EntryStatus, ListKey
from portal.extensions import db


def _ensure_counter(key: ListKey) -> None:
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(QueueCounter).on_conflict_do_nothing().values(
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


def _active(settlement_code: str, list_code: str):
    return (QueueEntry.settlement_code == settlement_code, QueueEntry.list_code == list_code,
            QueueEntry.status == EntryStatus.ACTIVE.value)


def position(entry: QueueEntry) -> int | None:
    """Active entries ahead + 1; None for a suspended or closed entry."""
    if entry.status != EntryStatus.ACTIVE.value:
        return None
    ahead = db.session.scalar(
        sa.select(sa.func.count()).select_from(QueueEntry).where(
            *_active(entry.settlement_code, entry.list_code),
            sa.or_(QueueEntry.submitted_at < entry.submitted_at,
                   sa.and_(QueueEntry.submitted_at == entry.submitted_at,
                           QueueEntry.id < entry.id))))
    return ahead + 1


def total(settlement_code: str, list_code: str) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(QueueEntry).where(
        *_active(settlement_code, list_code)))


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
    return Place(entry.number, entry.settlement_code, entry.list_code, entry.status,
                 position(entry), total(entry.settlement_code, entry.list_code))


def close(entry: QueueEntry) -> None:
    entry.status = EntryStatus.CLOSED.value


def move_entry(entry: QueueEntry, from_statuses: list[str], to_status: str) -> bool:
    """Move the entry's status if, in the database, it is still one of `from_statuses` (one
    conditional UPDATE: of two parallel moves one wins). Not committed."""
    moved = db.session.execute(
        sa.update(QueueEntry).where(QueueEntry.id == entry.id,
                                    QueueEntry.status.in_(from_statuses))
        .values(status=to_status).execution_options(synchronize_session=False)).rowcount
    if moved == 1:
        entry.status = to_status
    return moved == 1


def move_to_list(entry: QueueEntry, key: ListKey) -> None:
    """Move the entry to another list of its settlement (a category confirmed later
    [002 p.9]): the next number there, the same submitted_at, so its place in the order is its
    original date's. Not committed."""
    entry.list_code = key.list_code
    entry.number = next_number(key)
    db.session.flush()
