"""Taking turns across workers and app servers: one `send_guard` row per key.

`take_turn(key)` updates the key's row, which locks it (PostgreSQL) or takes the write lock
(SQLite) until the caller's transaction ends: a count checked after it and the row written on
it hold together, whichever worker runs the other request. (portal.core.services.codes has its own
copy for one-time codes.)
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.clock import now
from portal.core.models import SendGuard
from portal.extensions import db


def take_turn(key: str) -> None:
    """Wait for, then hold until commit or rollback, the turn of `key` (at most 64 chars)."""
    insert = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}.get(
        db.session.get_bind().dialect.name)
    if insert is not None:
        db.session.execute(insert(SendGuard).values(key=key, touched_at=now())
                           .on_conflict_do_nothing())
    elif db.session.get(SendGuard, key) is None:  # pragma: no cover - other databases
        db.session.add(SendGuard(key=key, touched_at=now()))
        db.session.flush()
    db.session.execute(sa.update(SendGuard).where(SendGuard.key == key).values(touched_at=now()))
