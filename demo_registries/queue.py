"""Bulk demo entries for the housing lists (`flask demo queue --entries N`).

The lists are the demo settlements with the general list and every category's list, then
synthetic settlements ("demo-0001", ...) until there are as many lists as asked. Entries go in
with one multi-row INSERT per chunk; each list's counter is raised to its highest number, so a
real registration afterwards continues the numbering without a gap. The lists' counts
(housing_queue_count, the rank structure of a position) are made again from the entries after.

As the bank's lists were in 2025, about MOVED_SHARE of the entries registered before MOVED_ON
came from an akimat's list: each gets its transfer (the akimat's number and date), so the
member's page and the benchmark meet them at scale (a few hundred thousand at 1 M entries).
"""

from __future__ import annotations

import datetime as dt
import random

import sqlalchemy as sa

from portal.core.models.housing import QueueCounter, QueueEntry
from portal.core.models.housing_member import QueueTransfer
from portal.core.registries.settlements import SETTLEMENTS
from portal.domain.housing.categories import CATEGORIES
from portal.domain.housing.queue import GENERAL_LIST, EntryStatus, ListKey
from portal.extensions import db
from portal.housing.services import housing_queue

CHUNK = 5000
START = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
MOVED_ON = dt.date(2025, 7, 1)  # [demo] the akimats' lists moved to the bank (2025)
MOVED_SHARE = 0.3  # of the entries registered before: every id ending in 0, 1 or 2


def list_keys(count: int) -> list[ListKey]:
    codes = [GENERAL_LIST, *(c.code for c in CATEGORIES)]
    keys = [ListKey(s, c) for s in SETTLEMENTS for c in codes]
    n = 0
    while len(keys) < count:
        n += 1
        keys += [ListKey(f"demo-{n:04d}", c) for c in codes]
    return keys[:count]


def fill(entries: int, lists: int, seed: int = 1) -> int:
    rng = random.Random(seed)
    keys = list_keys(lists)
    highest: dict[ListKey, int] = {}
    for key in keys:
        housing_queue._ensure_counter(key)
        highest[key] = db.session.scalar(sa.select(QueueCounter.last_number).where(
            QueueCounter.settlement_code == key.settlement_code,
            QueueCounter.list_code == key.list_code)) or 0
    statuses = [EntryStatus.ACTIVE.value] * 18 + [EntryStatus.SUSPENDED.value,
                                                   EntryStatus.CLOSED.value]
    span = int((dt.datetime(2026, 1, 1, tzinfo=dt.UTC) - START).total_seconds())
    first_id = (db.session.scalar(sa.select(sa.func.max(QueueEntry.id))) or 0) + 1
    added = 0
    while added < entries:
        rows = []
        for _ in range(min(CHUNK, entries - added)):
            key = keys[rng.randrange(len(keys))]
            highest[key] += 1
            moment = START + dt.timedelta(seconds=rng.randrange(span))
            rows.append({"settlement_code": key.settlement_code, "list_code": key.list_code,
                         "number": highest[key], "status": rng.choice(statuses),
                         "submitted_at": moment, "registered_at": moment,
                         "application_id": None})
        db.session.execute(sa.insert(QueueEntry), rows)
        added += len(rows)
    for key, number in highest.items():
        db.session.execute(sa.update(QueueCounter).where(
            QueueCounter.settlement_code == key.settlement_code,
            QueueCounter.list_code == key.list_code).values(last_number=number))
    housing_queue.rebuild_counts()
    _moved_from_akimats(first_id)
    db.session.commit()
    return added


def _moved_from_akimats(first_id: int) -> None:
    """Transfers for the new entries (id >= first_id) that came from an akimat's list: the
    akimat's number (another sequence than the bank's) and the day the entry counts from."""
    day = ("CAST(submitted_at AT TIME ZONE 'UTC' AS DATE)"
           if db.session.get_bind().dialect.name == "postgresql" else "substr(submitted_at, 1, 10)")
    entries = sa.select(
        QueueEntry.id, QueueEntry.settlement_code,
        (QueueEntry.id % 90000) * 7919 % 90000 + 1,  # within 32 bits at any id
        sa.literal_column(day), sa.literal(MOVED_ON, sa.Date)).where(
        QueueEntry.id >= first_id, QueueEntry.application_id.is_(None),
        QueueEntry.submitted_at < dt.datetime.combine(MOVED_ON, dt.time(), dt.UTC),
        QueueEntry.id % 10 < round(MOVED_SHARE * 10))
    db.session.execute(sa.insert(QueueTransfer).from_select(
        ["entry_id", "akimat_settlement", "akimat_number", "akimat_date", "moved_on"], entries))


def moved(first_id: int = 0) -> int:
    """How many entries (from `first_id`) came from an akimat's list."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(QueueTransfer)
                             .where(QueueTransfer.entry_id >= first_id))
