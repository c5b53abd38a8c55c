"""Kazakhstan working days, Asia/Almaty: the housing list's deadlines (SPEC §2 "Deadlines")."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

ALMATY = ZoneInfo("Asia/Almaty")
CLOSES = dt.time(18, 30)  # working time is 09:00-18:30; lunch 13:00-14:30 still counts

# Days the government moved by decree, where they differ from weekends + holidays.KZ:
# True = a weekend day made working, False = a weekday made a day off. The `holidays` package
# already lists the days off it knows (KazakhstanStaticHolidays) but never the Saturdays or
# Sundays worked in exchange, and it has no 2026 transfers: add each new decree here.
WORKDAY_OVERRIDES: dict[dt.date, bool] = {}


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[dt.date]:
    """Public holidays of one year (observed days included), cached: building them is slow."""
    return frozenset(holidays.KZ(years=year))


def is_working_day(d: dt.date) -> bool:
    """Mon-Fri that is not a public holiday, unless a decree in WORKDAY_OVERRIDES says otherwise."""
    if d in WORKDAY_OVERRIDES:
        return WORKDAY_OVERRIDES[d]
    return d.weekday() < 5 and d not in _public_holidays(d.year)


def add_working_days(d: dt.date, n: int) -> dt.date:
    """The n-th working day after d (d itself when n is 0): '1 working day' from a Friday."""
    if n < 0:
        raise ValueError("n must be 0 or more")
    while n:
        d += dt.timedelta(days=1)
        n -= is_working_day(d)
    return d


def accepted_on(moment: dt.datetime) -> dt.date:
    """The working day an application counts from: outside working time it is the next one.

    Before 09:00 on a working day counts as that same day (the provider takes it at opening)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("moment must be timezone-aware")
    local = moment.astimezone(ALMATY)
    day, time = local.date(), local.time()
    if is_working_day(day) and time < CLOSES:
        return day
    return add_working_days(day, 1)


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days in (a, b], negative when b is before a: the inverse of add_working_days."""
    if b < a:
        return -working_days_between(b, a)
    return sum(is_working_day(a + dt.timedelta(days=i)) for i in range(1, (b - a).days + 1))
