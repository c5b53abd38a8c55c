"""What every table module shares: aware UTC datetimes and the clock's "now"."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from portal.clock import as_utc
from portal.clock import now as clock_now


class UtcDateTime(sa.types.TypeDecorator):
    """Aware UTC datetimes on both SQLite (which forgets the zone) and PostgreSQL."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return as_utc(value) if value is not None else None

    def process_result_value(self, value, dialect):
        return as_utc(value) if value is not None else None


def _now() -> dt.datetime:
    return clock_now()


def _now() -> dt.datetime:
    return clock_now()
