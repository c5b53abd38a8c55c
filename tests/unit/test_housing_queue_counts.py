"""The sum the database's kept counts make (portal.domain.housing.queue.ahead_from_counts: the
years before, the days of the year before, the entries of the same day ahead) is the rule's
position - 1, for any entries: ties at one instant, UTC midnights and new years, any zone."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from portal.domain.housing.queue import (
    Entry,
    EntryStatus,
    ListKey,
    ahead_from_counts,
    count_day,
    count_year,
    day_start,
    position,
)

KEYS = [ListKey("almaty", "general"), ListKey("almaty", "orphans")]
MOMENTS = st.datetimes(min_value=dt.datetime(1960, 1, 1), max_value=dt.datetime(2040, 1, 1),
                       timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=5)),
                                                  dt.timezone(dt.timedelta(hours=-3))]))
ENTRIES = st.lists(st.tuples(st.sampled_from(KEYS), st.sampled_from(list(EntryStatus)),
                             st.one_of(MOMENTS, st.sampled_from([
                                 dt.datetime(2015, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
                                 dt.datetime(2016, 1, 1, tzinfo=dt.UTC)]))), max_size=40)


@given(ENTRIES)
def test_the_counts_per_year_and_day_give_the_position_of_every_active_entry(rows):
    entries = [Entry(i + 1, key, at, status) for i, (key, status, at) in enumerate(rows)]
    for entry in entries:
        if entry.status is not EntryStatus.ACTIVE:
            continue
        active = [e for e in entries if e.key == entry.key and e.status is EntryStatus.ACTIVE]
        per_year = Counter(count_year(e.submitted_at) for e in active)
        per_day = Counter(count_day(e.submitted_at) for e in active)
        same_day = [e for e in entries if count_day(e.submitted_at) ==
                    count_day(entry.submitted_at)]
        assert ahead_from_counts(entry, per_year, per_day, same_day) + 1 == \
            position(entry, entries)


@given(MOMENTS)
def test_a_moment_counts_in_the_utc_day_that_holds_it(moment):
    day = count_day(moment)
    assert day_start(day) <= moment < day_start(day + 1)
    assert count_year(moment) == day_start(day).year
