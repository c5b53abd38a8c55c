"""The order of a housing list and a place in it (SPEC §2 "Status and queue")."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.housing.queue import (
    Entry,
    EntryStatus,
    ListKey,
    next_number,
    order_key,
    position,
    total,
)

ALMATY = ZoneInfo("Asia/Almaty")
GENERAL = ListKey("almaty", "general")
LARGE = ListKey("almaty", "large_families")


def at(hh, mm=0, ss=0, day=23):
    return dt.datetime(2026, 11, day, hh, mm, ss, tzinfo=ALMATY)


def test_position_counts_active_entries_ahead_in_the_same_list():
    first = Entry(1, GENERAL, at(9))
    suspended = Entry(2, GENERAL, at(10), EntryStatus.SUSPENDED)
    closed = Entry(3, GENERAL, at(10, 30), EntryStatus.CLOSED)
    other_list = Entry(4, LARGE, at(8))
    other_city = Entry(5, ListKey("astana", "general"), at(8))
    me = Entry(6, GENERAL, at(11))
    later = Entry(7, GENERAL, at(12))
    entries = [first, suspended, closed, other_list, other_city, me, later]
    assert position(me, entries) == 2
    assert position(first, entries) == 1
    assert position(later, entries) == 3
    assert total(GENERAL, entries) == 3


def test_suspended_and_closed_entries_have_no_position():
    entry = Entry(1, GENERAL, at(9), EntryStatus.SUSPENDED)
    assert position(entry, [entry]) is None
    assert position(Entry(1, GENERAL, at(9), EntryStatus.CLOSED), []) is None


def test_same_instant_is_ordered_by_id():
    a, b = Entry(10, GENERAL, at(9)), Entry(11, GENERAL, at(9))
    assert position(a, [a, b]) == 1 and position(b, [a, b]) == 2


def test_the_order_is_the_moment_not_the_clock_reading():
    # 09:00 in Almaty is 04:00 UTC: an application at 05:00 UTC is later.
    a = Entry(2, GENERAL, at(9))
    b = Entry(1, GENERAL, dt.datetime(2026, 11, 23, 5, 0, tzinfo=dt.UTC))
    assert position(a, [a, b]) == 1


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError):
        order_key(Entry(1, GENERAL, dt.datetime(2026, 11, 23, 9)))


def test_numbers_are_gapless():
    assert next_number(None) == 1
    assert next_number(41) == 42


entries_strategy = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=50),
        st.sampled_from(list(EntryStatus)),
        st.sampled_from([GENERAL, LARGE]),
    ),
    max_size=30,
)


@given(entries_strategy)
def test_positions_of_active_entries_are_1_to_n_in_order(rows):
    entries = [
        Entry(i, key, at(9) + dt.timedelta(minutes=minute), status)
        for i, (minute, status, key) in enumerate(rows)
    ]
    for key in (GENERAL, LARGE):
        active = sorted(
            (e for e in entries if e.key == key and e.status is EntryStatus.ACTIVE), key=order_key
        )
        assert [position(e, entries) for e in active] == list(range(1, len(active) + 1))
        assert total(key, entries) == len(active)


@given(entries_strategy, st.integers(min_value=0, max_value=29))
def test_closing_an_entry_never_moves_anyone_back(rows, closing):
    entries = [
        Entry(i, key, at(9) + dt.timedelta(minutes=minute), status)
        for i, (minute, status, key) in enumerate(rows)
    ]
    if closing >= len(entries):
        return
    after = [
        Entry(e.id, e.key, e.submitted_at, EntryStatus.CLOSED) if e.id == closing else e
        for e in entries
    ]
    for before_e, after_e in zip(entries, after, strict=True):
        if after_e.status is EntryStatus.ACTIVE:
            assert position(after_e, after) <= position(before_e, entries)
