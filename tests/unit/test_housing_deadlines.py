"""The housing list's deadlines in working days: decision, notice, hearing, complaints (SPEC §2)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain import working_days
from portal.domain.housing.deadlines import (
    HEARING_TIME,
    ComplaintBody,
    complaint_due,
    complaint_forward_due,
    counts_from,
    decision_due,
    hearing_date_allowed,
    hearing_plan,
    notice_due,
)
from portal.domain.housing.facts import Case
from portal.domain.working_days import is_working_day

ALMATY = ZoneInfo("Asia/Almaty")
D = dt.date
NO_HOUSING, EMERGENCY = Case.NO_HOUSING, Case.EMERGENCY


def almaty(y, m, d, hh, mm=0, ss=0):
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=ALMATY)


@pytest.mark.parametrize(
    ("submitted", "no_housing", "emergency"),
    [
        (almaty(2026, 11, 23, 10), D(2026, 11, 24), D(2026, 11, 26)),  # Monday morning
        (almaty(2026, 11, 27, 10), D(2026, 11, 30), D(2026, 12, 2)),  # Friday: across a weekend
        (almaty(2026, 11, 27, 13, 30), D(2026, 11, 30), D(2026, 12, 2)),  # at lunch: same day
        (almaty(2026, 11, 27, 18, 29, 59), D(2026, 11, 30), D(2026, 12, 2)),  # last second
        (almaty(2026, 11, 27, 18, 30), D(2026, 12, 1), D(2026, 12, 3)),  # closed: from Monday
        (almaty(2026, 11, 28, 11), D(2026, 12, 1), D(2026, 12, 3)),  # Saturday
        (almaty(2026, 12, 15, 10), D(2026, 12, 17), D(2026, 12, 21)),  # Independence Day 16th
        (almaty(2026, 12, 16, 10), D(2026, 12, 18), D(2026, 12, 22)),  # filed on the holiday
        (almaty(2026, 3, 20, 19), D(2026, 3, 27), D(2026, 3, 31)),  # evening before Nauryz
    ],
)
def test_decision_due(submitted, no_housing, emergency):
    assert decision_due(NO_HOUSING, submitted) == no_housing
    assert decision_due(EMERGENCY, submitted) == emergency


def test_a_saturday_worked_by_decree_is_a_working_day_of_the_deadline():
    # 4 May 2024 was worked for 8 May: one working day after Friday 3 May is that Saturday.
    assert decision_due(NO_HOUSING, almaty(2024, 5, 3, 10)) == D(2024, 5, 4)
    assert decision_due(EMERGENCY, almaty(2024, 5, 3, 10)) == D(2024, 5, 10)


def test_a_moved_saturday_from_the_table(monkeypatch):
    monkeypatch.setitem(working_days.WORKDAY_OVERRIDES, D(2026, 11, 28), True)
    assert counts_from(almaty(2026, 11, 27, 19)) == D(2026, 11, 28)
    assert decision_due(NO_HOUSING, almaty(2026, 11, 27, 10)) == D(2026, 11, 28)
    assert decision_due(EMERGENCY, almaty(2026, 11, 27, 10)) == D(2026, 12, 1)


def test_the_clock_is_read_in_almaty():
    # 13:30 UTC on Friday is 18:30 in Almaty: already after hours.
    friday_evening = dt.datetime(2026, 11, 27, 13, 30, tzinfo=dt.UTC)
    assert decision_due(NO_HOUSING, friday_evening) == D(2026, 12, 1)


def test_notice_no_later_than_three_working_days():
    assert notice_due(almaty(2026, 11, 23, 10)) == D(2026, 11, 26)
    assert notice_due(almaty(2026, 11, 27, 20)) == D(2026, 12, 3)


# --- preliminary refusal and hearing [002 p.17] -------------------------------------------------


def test_hearing_plan_on_time():
    plan = hearing_plan(almaty(2026, 11, 23, 10), notice_at=almaty(2026, 11, 23, 15))
    assert plan.deadline == D(2026, 11, 26)
    assert plan.latest_notice_on == D(2026, 11, 23)  # 3 working days before the deadline
    assert plan.notice_in_time
    assert plan.hearing_on == D(2026, 11, 25)  # 2 working days after the notice
    assert plan.hearing_at == dt.datetime.combine(D(2026, 11, 25), HEARING_TIME, tzinfo=ALMATY)
    assert plan.hearing_before_deadline


def test_hearing_plan_across_a_weekend_and_a_late_notice():
    plan = hearing_plan(almaty(2026, 11, 26, 10), notice_at=almaty(2026, 11, 26, 18, 29))
    assert (plan.latest_notice_on, plan.notice_on, plan.hearing_on, plan.deadline) == (
        D(2026, 11, 26), D(2026, 11, 26), D(2026, 11, 30), D(2026, 12, 1),
    )
    assert plan.notice_in_time
    late = hearing_plan(almaty(2026, 11, 26, 10), notice_at=almaty(2026, 11, 26, 18, 30))
    assert late.notice_on == D(2026, 11, 27)
    assert not late.notice_in_time


@pytest.mark.parametrize(
    ("hearing_on", "allowed"),
    [
        (D(2026, 11, 27), False),  # the notice's own day
        (D(2026, 11, 30), True),
        (D(2026, 12, 1), True),  # 2 working days after Friday's notice
        (D(2026, 12, 2), False),
    ],
)
def test_an_office_chosen_hearing_date(hearing_on, allowed):
    assert hearing_date_allowed(almaty(2026, 11, 27, 11), hearing_on) is allowed


# --- complaints [002 p.18-19] ----------------------------------------------------------------


def test_complaint_deadlines():
    registered = almaty(2026, 11, 23, 11)
    assert complaint_due(ComplaintBody.PROVIDER_HEAD, registered) == D(2026, 11, 30)
    assert complaint_due(ComplaintBody.QUALITY_AUTHORITY, registered) == D(2026, 12, 14)
    assert complaint_forward_due(registered) == D(2026, 11, 26)


def test_complaint_to_the_head_across_independence_day():
    assert complaint_due(ComplaintBody.PROVIDER_HEAD, almaty(2026, 12, 14, 11)) == D(2026, 12, 22)


def test_complaint_body_days():
    assert ComplaintBody.PROVIDER_HEAD.days == 5
    assert ComplaintBody.QUALITY_AUTHORITY.days == 15


# --- properties ---------------------------------------------------------------------------------

moments = st.datetimes(
    min_value=dt.datetime(2025, 5, 24), max_value=dt.datetime(2027, 12, 31),
    timezones=st.just(ALMATY),
)


@given(moments, st.sampled_from(list(Case)), st.sampled_from(list(ComplaintBody)))
def test_deadlines_never_land_on_a_day_off_and_come_in_order(moment, case, body):
    start = counts_from(moment)
    assert is_working_day(start) and start >= moment.date()
    decision, notice = decision_due(case, moment), notice_due(moment)
    for due in (decision, notice, complaint_due(body, moment), complaint_forward_due(moment)):
        assert is_working_day(due) and due > start
    assert decision <= notice


@given(moments)
def test_a_notice_sent_the_day_the_application_counts_from_is_always_in_time(moment):
    plan = hearing_plan(moment, notice_at=moment)
    assert plan.notice_in_time and plan.hearing_before_deadline
    assert is_working_day(plan.hearing_on)
    assert hearing_date_allowed(moment, plan.hearing_on)


# --- the hearing as an event [002 p.17] ---------------------------------------------------------

def test_hearing_refusal_keeps_the_two_working_days_across_a_holiday():
    """A notice on Tuesday 15.12.2026: Wednesday 16.12 is Independence Day, so the second
    working day after the notice is Friday 18.12; its working time ends at 18:30."""
    from portal.domain.housing.deadlines import hearing_refusal

    notice = dt.datetime(2026, 12, 15, 10, 0, tzinfo=ALMATY)
    def at(day, hour, minute=0, second=0):
        return dt.datetime(2026, 12, day, hour, minute, second, tzinfo=ALMATY)
    assert hearing_refusal(notice, at(18, 18, 29, 59)) is None
    assert hearing_refusal(notice, at(18, 18, 30)) == "hearing_not_working_time"
    assert hearing_refusal(notice, at(18, 9, 0)) is None
    assert hearing_refusal(notice, at(18, 8, 59, 59)) == "hearing_not_working_time"
    assert hearing_refusal(notice, at(16, 10)) == "hearing_not_working_time"  # the holiday
    assert hearing_refusal(notice, at(15, 17)) == "hearing_outside_window"  # the notice's day
    assert hearing_refusal(notice, at(21, 10)) == "hearing_outside_window"  # third working day


def test_the_final_decision_and_the_objection_window_meet_at_the_hearings_second():
    from portal.domain.housing.deadlines import final_decision_open, objection_window_open

    hearing = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ALMATY)
    before = hearing - dt.timedelta(seconds=1)
    assert objection_window_open(hearing, False, before)
    assert not final_decision_open(hearing, False, before)
    assert not objection_window_open(hearing, False, hearing)
    assert final_decision_open(hearing, False, hearing)
    assert final_decision_open(hearing, True, before)  # waived with the objection
    assert not objection_window_open(hearing, True, before)


def test_a_preliminary_refusal_is_in_time_only_on_the_day_the_application_counts_from():
    """The deadline is 3 working days from the application [002 p.16]; the notice must go 3
    working days before it [002 p.17]: Monday 14.12.2026 11:00 -> Friday 18.12 -> Monday."""
    from portal.domain.housing.deadlines import refusal_notice_by

    submitted = dt.datetime(2026, 12, 14, 11, 0, tzinfo=ALMATY)
    assert refusal_notice_by(Case.EMERGENCY, submitted) == dt.date(2026, 12, 14)
