"""Bulk demo entries for the housing lists (`flask demo queue --entries N`).

The lists are the demo settlements with the general list and every category's list, then
synthetic settlements ("demo-0001", ...) until there are as many lists as asked. Entries go in
with one multi-row INSERT per chunk; each list's counter is raised to its highest number, so a
real registration afterwards continues the numbering without a gap. The lists' counts
(housing_queue_count, the rank structure of a position) are made again from the entries after.
"""

from __future__ import annotations

import datetime as dt
import random

import sqlalchemy as sa

from portal.core.models.housing import QueueCounter, QueueEntry
from portal.core.registries.settlements import SETTLEMENTS
from portal.domain.housing.categories import CATEGORIES
from portal.domain.housing.queue import GENERAL_LIST, EntryStatus, ListKey
from portal.extensions import db
from portal.housing.services import housing_queue

CHUNK = 5000
START = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)


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
    db.session.commit()
    return added
