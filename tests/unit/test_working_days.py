"""Deadlines of the housing list count Kazakhstan working days, Asia/Almaty (SPEC §2)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain import working_days
from portal.domain.working_days import (
    accepted_on,
    add_working_days,
    is_working_day,
    is_working_time,
    subtract_working_days,
    working_days_between,
)

ALMATY = ZoneInfo("Asia/Almaty")
D = dt.date


def almaty(y, m, d, hh, mm=0, ss=0):
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=ALMATY)


@pytest.mark.parametrize(
    "day",
    [
        D(2026, 1, 1),  # New Year
        D(2026, 1, 2),
        D(2026, 1, 7),  # Orthodox Christmas
        D(2026, 3, 9),  # Women's Day fell on Sunday, moved to Monday
        D(2026, 3, 23),  # Nauryz
        D(2026, 3, 24),
        D(2026, 3, 25),
        D(2026, 5, 1),
        D(2026, 5, 7),
        D(2026, 5, 11),  # Victory Day fell on Saturday
        D(2026, 7, 6),
        D(2026, 10, 26),  # Republic Day fell on Sunday
        D(2026, 12, 16),  # Independence Day
        D(2026, 11, 28),  # Saturday
        D(2026, 11, 29),  # Sunday
    ],
)
def test_days_off(day):
    assert not is_working_day(day)


@pytest.mark.parametrize("day", [D(2026, 3, 20), D(2026, 3, 26), D(2026, 11, 23), D(2026, 12, 17)])
def test_working_days(day):
    assert is_working_day(day)


def test_one_working_day_after_the_friday_before_nauryz_skips_the_whole_break():
    assert add_working_days(D(2026, 3, 20), 1) == D(2026, 3, 26)


def test_independence_day_is_skipped():
    assert add_working_days(D(2026, 12, 15), 1) == D(2026, 12, 17)
    assert add_working_days(D(2026, 12, 15), 3) == D(2026, 12, 21)


def test_weekend_is_skipped():
    assert add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 30)
    assert add_working_days(D(2026, 11, 23), 5) == D(2026, 11, 30)


def test_zero_working_days_is_the_same_day_and_negative_is_refused():
    assert add_working_days(D(2026, 11, 28), 0) == D(2026, 11, 28)
    with pytest.raises(ValueError):
        add_working_days(D(2026, 11, 28), -1)


def test_overrides_make_a_saturday_working_or_a_weekday_off(monkeypatch):
    monkeypatch.setitem(working_days.WORKDAY_OVERRIDES, D(2026, 11, 28), True)
    monkeypatch.setitem(working_days.WORKDAY_OVERRIDES, D(2026, 11, 30), False)
    assert is_working_day(D(2026, 11, 28))
    assert not is_working_day(D(2026, 11, 30))
    assert add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 28)
    assert add_working_days(D(2026, 11, 27), 2) == D(2026, 12, 1)
    assert accepted_on(almaty(2026, 11, 28, 10)) == D(2026, 11, 28)


def test_override_table_holds_only_dates_and_booleans():
    for day, working in working_days.WORKDAY_OVERRIDES.items():
        assert type(day) is dt.date and isinstance(working, bool)
        default = day.weekday() < 5 and day not in working_days._public_holidays(day.year)
        assert working != default  # an entry must change something


# --- when an application counts as received ------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (almaty(2026, 11, 27, 9, 0), D(2026, 11, 27)),  # opening
        (almaty(2026, 11, 27, 13, 30), D(2026, 11, 27)),  # lunch is still the working day
        (almaty(2026, 11, 27, 18, 29, 59), D(2026, 11, 27)),
        (almaty(2026, 11, 27, 18, 30), D(2026, 11, 30)),  # closing time is already outside
        (almaty(2026, 11, 27, 18, 31), D(2026, 11, 30)),  # Friday evening -> Monday
        (almaty(2026, 11, 23, 8, 59), D(2026, 11, 23)),  # before opening -> taken at opening
        (almaty(2026, 11, 28, 12), D(2026, 11, 30)),  # Saturday -> Monday
        (almaty(2026, 11, 29, 23, 59), D(2026, 11, 30)),  # Sunday night -> Monday
        (almaty(2026, 12, 16, 10), D(2026, 12, 17)),  # Independence Day
        (almaty(2026, 3, 20, 19), D(2026, 3, 26)),  # Friday evening before Nauryz
    ],
)
def test_accepted_on(moment, expected):
    assert accepted_on(moment) == expected


def test_accepted_on_reads_the_clock_in_almaty_not_utc():
    utc = dt.UTC
    # Friday 13:31 UTC is 18:31 in Almaty (UTC+5): after closing.
    assert accepted_on(dt.datetime(2026, 11, 27, 13, 31, tzinfo=utc)) == D(2026, 11, 30)
    # Thursday 19:30 UTC is already Friday 00:30 in Almaty: taken on Friday, not Thursday.
    assert accepted_on(dt.datetime(2026, 11, 26, 19, 30, tzinfo=utc)) == D(2026, 11, 27)
    # Friday 04:00 UTC is 09:00 in Almaty: inside working time.
    assert accepted_on(dt.datetime(2026, 11, 27, 4, 0, tzinfo=utc)) == D(2026, 11, 27)


def test_accepted_on_refuses_a_naive_moment():
    with pytest.raises(ValueError):
        accepted_on(dt.datetime(2026, 11, 27, 12, 0))


def test_emergency_case_deadline_from_a_friday_evening():
    """3 working days counted from the day the application is taken."""
    taken = accepted_on(almaty(2026, 11, 27, 20))
    assert add_working_days(taken, 3) == D(2026, 12, 3)


# --- counting ------------------------------------------------------------------------------


def test_working_days_in_january_2026():
    # 22 weekdays, of which 1, 2 and 7 January are holidays; the interval excludes its start.
    assert working_days_between(D(2025, 12, 31), D(2026, 1, 31)) == 19


def test_between_is_half_open_and_signed():
    assert working_days_between(D(2026, 11, 23), D(2026, 11, 23)) == 0
    assert working_days_between(D(2026, 11, 23), D(2026, 11, 24)) == 1
    assert working_days_between(D(2026, 11, 27), D(2026, 11, 29)) == 0
    assert working_days_between(D(2026, 11, 30), D(2026, 11, 23)) == -5


@given(
    st.dates(min_value=D(2024, 1, 1), max_value=D(2028, 12, 31)),
    st.integers(min_value=0, max_value=40),
)
def test_between_undoes_add(day, n):
    later = add_working_days(day, n)
    assert working_days_between(day, later) == n
    assert later == day or is_working_day(later)
    assert working_days_between(later, day) == -n


@given(
    st.dates(min_value=D(2024, 1, 1), max_value=D(2028, 12, 31)),
    st.integers(min_value=0, max_value=40),
)
def test_subtract_undoes_add(day, n):
    later = add_working_days(day, n)
    earlier = subtract_working_days(day, n)
    assert earlier == day or is_working_day(earlier)
    if is_working_day(day):
        assert subtract_working_days(later, n) == day
        assert working_days_between(earlier, day) == n
        assert add_working_days(earlier, n) == day


def test_subtract_refuses_a_negative_count():
    with pytest.raises(ValueError):
        subtract_working_days(D(2026, 11, 23), -1)


# --- working time: Mon-Fri 9:00-18:30, lunch 13:00-14:30 [002 App.1 row 7] ---------------------


@pytest.mark.parametrize(
    ("moment", "working"),
    [
        (almaty(2026, 11, 27, 8, 59, 59), False),
        (almaty(2026, 11, 27, 9, 0), True),
        (almaty(2026, 11, 27, 12, 59, 59), True),
        (almaty(2026, 11, 27, 13, 0), False),  # lunch
        (almaty(2026, 11, 27, 14, 29, 59), False),
        (almaty(2026, 11, 27, 14, 30), True),
        (almaty(2026, 11, 27, 18, 29, 59), True),
        (almaty(2026, 11, 27, 18, 30), False),
        (almaty(2026, 11, 28, 10, 0), False),  # Saturday
        (almaty(2026, 12, 16, 10, 0), False),  # Independence Day
    ],
)
def test_working_time(moment, working):
    assert is_working_time(moment) is working


def test_lunch_is_not_working_time_but_an_application_at_lunch_counts_from_that_day():
    lunch = almaty(2026, 11, 27, 13, 30)
    assert not is_working_time(lunch)
    assert accepted_on(lunch) == D(2026, 11, 27)


def test_working_time_refuses_a_naive_moment():
    with pytest.raises(ValueError):
        is_working_time(dt.datetime(2026, 11, 27, 12, 0))


# --- days moved by decree ----------------------------------------------------------------------


def _substitutions():
    """(day off, weekend day worked) pairs from the `holidays` package's own KZ data."""
    from holidays.countries.kazakhstan import KazakhstanStaticHolidays

    for year, entries in KazakhstanStaticHolidays.special_public_holidays.items():
        if entries and not isinstance(entries[0], tuple):
            entries = (entries,)
        for entry in entries:
            month, day, from_month, from_day, *from_year = entry
            yield D(year, month, day), D(from_year[0] if from_year else year, from_month, from_day)


def test_every_weekend_day_worked_by_decree_since_2020_is_in_the_table():
    worked = {
        worked
        for off, worked in _substitutions()
        if worked.year >= 2020 and worked.weekday() >= 5
    }
    assert worked, "the holidays package no longer lists substituted days: check the table"
    assert {day for day, working in working_days.WORKDAY_OVERRIDES.items() if working} == worked


def test_the_saturday_worked_in_may_2024_counts_and_8_may_is_off():
    assert is_working_day(D(2024, 5, 4))  # Saturday worked for Wednesday 8 May
    assert not is_working_day(D(2024, 5, 8))
    assert add_working_days(D(2024, 5, 3), 1) == D(2024, 5, 4)
    assert accepted_on(almaty(2024, 5, 4, 11)) == D(2024, 5, 4)
    assert accepted_on(almaty(2024, 5, 7, 11)) == D(2024, 5, 10)  # 7, 8, 9 May off


def test_the_sunday_worked_in_january_2025():
    assert is_working_day(D(2025, 1, 5))
    assert not is_working_day(D(2025, 1, 3))
    assert add_working_days(D(2024, 12, 31), 1) == D(2025, 1, 5)
