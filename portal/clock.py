"""The one source of "now", so time-dependent rules (the consent hour, code lifetimes, working
days) can be tested with a controlled clock. Times are aware UTC; shown in Asia/Almaty."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

ALMATY = ZoneInfo("Asia/Almaty")


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class FrozenClock:
    """A clock that moves only when told to (tests, demos)."""

    def __init__(self, start: dt.datetime | None = None):
        self.current = start or dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, **delta) -> None:
        self.current += dt.timedelta(**delta)

    def set(self, when: dt.datetime) -> None:
        self.current = when


_system = SystemClock()


def now() -> dt.datetime:
    if has_app_context():
        return current_app.extensions.get("clock", _system).now()
    return _system.now()


def as_utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def local_today() -> dt.date:
    return now().astimezone(ALMATY).date()
