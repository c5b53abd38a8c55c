"""Kazakhstan working days and working time, Asia/Almaty: the housing list's deadlines (SPEC §2).

The provider works Mon-Fri 9:00-18:30 with lunch 13:00-14:30, except weekends and public
holidays; its e-base takes applications around the clock, and one made after working time has
ended or on a day off is taken, and its result given, on the next working day [002 App.1 row 7].

Decisions taken where the sources are silent:
- Lunch does NOT move an application to the next day: the Rules move only what is filed "after
  working time has ended" (жұмыс уақыты аяқталғаннан кейін) or on a day off; 13:30 is neither.
  is_working_time() still says False during lunch, for whoever needs the office's hours.
- Before 09:00 on a working day an application counts from that same day (taken at opening).
- 18:30:00 is already outside: working time is [09:00, 18:30).
- Public holidays come from `holidays` (KZ), observed days included; WORKDAY_OVERRIDES adds the
  weekend days the government made working by decree, which the package never lists.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

ALMATY = ZoneInfo("Asia/Almaty")
OPENS = dt.time(9, 0)  # [002 App.1 row 7 sub 1]
LUNCH_STARTS = dt.time(13, 0)  # [002 App.1 row 7 sub 1]
LUNCH_ENDS = dt.time(14, 30)  # [002 App.1 row 7 sub 1]
CLOSES = dt.time(18, 30)  # [002 App.1 row 7 sub 1]; lunch still counts for accepted_on

# Days the government moved by decree, where they differ from weekends + holidays.KZ:
# True = a weekend day made working, False = a weekday made a day off. The `holidays` package
# lists the weekday made a day off (KazakhstanStaticHolidays.special_public_holidays, with the
# decrees it cites) but never the Saturday or Sunday worked in exchange: those are here, copied
# from that same data (tests/unit/test_working_days.py checks they agree). Since the Rules took
# force on 24.05.2025 only 2025 on matters; earlier years are kept for tests across years.
# 2026: the published 2026 calendar moves days off only by the Labour Code's own rule (a holiday
# on a weekend -> the next working day, which `holidays` computes) and no decree moving a
# weekend day to a working one was found; 2027: none published yet. Add each new decree here.
WORKDAY_OVERRIDES: dict[dt.date, bool] = {
    dt.date(2020, 1, 5): True,  # Sunday worked, day off on Friday 3 January 2020
    dt.date(2020, 12, 20): True,  # Sunday worked, day off on Friday 18 December 2020
    dt.date(2021, 7, 3): True,  # Saturday worked, day off on Monday 5 July 2021
    dt.date(2022, 3, 5): True,  # Saturday worked, day off on Monday 7 March 2022
    dt.date(2022, 8, 27): True,  # Saturday worked, day off on Monday 29 August 2022
    dt.date(2022, 10, 22): True,  # Saturday worked, day off on Monday 24 October 2022
    dt.date(2023, 7, 1): True,  # Saturday worked, day off on Friday 7 July 2023
    dt.date(2024, 5, 4): True,  # Saturday worked, day off on Wednesday 8 May 2024
    dt.date(2025, 1, 5): True,  # Sunday worked, day off on Friday 3 January 2025
}


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


def subtract_working_days(d: dt.date, n: int) -> dt.date:
    """The n-th working day before d (d itself when n is 0): the inverse of add_working_days."""
    if n < 0:
        raise ValueError("n must be 0 or more")
    while n:
        d -= dt.timedelta(days=1)
        n -= is_working_day(d)
    return d


def _local(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("moment must be timezone-aware")
    return moment.astimezone(ALMATY)


def is_working_time(moment: dt.datetime) -> bool:
    """Whether the provider's office is at work: a working day, 09:00-18:30, not at lunch."""
    local = _local(moment)
    time = local.time()
    at_lunch = LUNCH_STARTS <= time < LUNCH_ENDS
    return is_working_day(local.date()) and OPENS <= time < CLOSES and not at_lunch


def accepted_on(moment: dt.datetime) -> dt.date:
    """The working day an application counts from: after 18:30 or on a day off, the next one.

    Lunch and the hours before 09:00 on a working day count as that same day (module docstring).
    """
    local = _local(moment)
    day, time = local.date(), local.time()
    if is_working_day(day) and time < CLOSES:
        return day
    return add_working_days(day, 1)


def taken_at(moment: dt.datetime) -> dt.datetime:
    """When the provider takes an application made at `moment`: at once in working time (lunch
    included, module docstring); otherwise at the opening (09:00) of the working day it counts
    from, and its result is given then too [002 App.1 row 7 sub 2]."""
    local = _local(moment)
    if is_working_day(local.date()) and OPENS <= local.time() < CLOSES:
        return moment
    return dt.datetime.combine(accepted_on(moment), OPENS, tzinfo=ALMATY)


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days in (a, b], negative when b is before a: the inverse of add_working_days."""
    if b < a:
        return -working_days_between(b, a)
    return sum(is_working_day(a + dt.timedelta(days=i)) for i in range(1, (b - a).days + 1))
