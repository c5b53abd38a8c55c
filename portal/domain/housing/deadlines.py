"""The housing list's deadlines in working days (SPEC §2 "Deadlines", "Preliminary decision and
hearing", "Complaints"), counted with portal.domain.working_days (Asia/Almaty).

Decisions taken where the sources are silent:
- A period of N working days runs from the working day the application counts from
  (working_days.accepted_on: after 18:30 or on a day off, the next working day) and ends on the
  N-th working day after it: the day of the event is not counted, as for any period in law. So
  a no-housing application on Monday 10:00 is due on Tuesday, one on Friday 20:00 on Tuesday.
  The automated decision comes much sooner; these are the latest dates to promise.
- A refusal needs a preliminary decision and a hearing [002 p.17], which cannot fit in the
  no-housing case's single working day. The "service deadline" the hearing counts back from is
  therefore the decision notice's own limit, three working days from the application [002 p.16],
  in both cases. Its notice must go at least 3 working days before that, i.e. on the working day
  the application counts from; the hearing is proposed on the last day the Rules allow, 2 working
  days after the notice, at HEARING_TIME, so the applicant has the most time to object.
- A notice, like an application, counts from the working day of its moment (after hours: next).
- Complaints run from the working day they are registered (same rule as applications).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from portal.domain import limits
from portal.domain.housing.facts import Case
from portal.domain.working_days import (
    ALMATY,
    CLOSES,
    OPENS,
    accepted_on,
    add_working_days,
    is_working_day,
    subtract_working_days,
)

# The figures and their sources are in portal/domain/limits.py ([002] p.13, 16, 17, 19).
REVIEW_DAYS = {
    Case.NO_HOUSING: limits.DECISION_NO_HOUSING_WORKING_DAYS,  # fully automated
    Case.EMERGENCY: limits.DECISION_EMERGENCY_WORKING_DAYS,  # an officer checks the conclusion
}
NOTICE_DAYS = limits.DECISION_NOTICE_WORKING_DAYS  # the notice or reasoned refusal
HEARING_NOTICE_BEFORE_DEADLINE = limits.HEARING_NOTICE_BEFORE_DEADLINE_WORKING_DAYS
HEARING_WITHIN = limits.HEARING_WITHIN_WORKING_DAYS  # the hearing, after its notice
HEARING_TIME = dt.time(10, 0)  # [design]: a proposed hour inside working time, before lunch
COMPLAINT_FORWARD_DAYS = limits.COMPLAINT_FORWARD_WORKING_DAYS  # the file to the authority


class ComplaintBody(StrEnum):
    """Who reviews a complaint, and in how many working days of its registration [002 p.18]."""

    PROVIDER_HEAD = "provider_head"  # the head of the service provider: 5 working days
    QUALITY_AUTHORITY = "quality_authority"  # the authority for quality of public services: 15

    @property
    def days(self) -> int:
        return COMPLAINT_DAYS[self]


COMPLAINT_DAYS = {ComplaintBody.PROVIDER_HEAD: limits.COMPLAINT_HEAD_WORKING_DAYS,
                  ComplaintBody.QUALITY_AUTHORITY: limits.COMPLAINT_QUALITY_AUTHORITY_WORKING_DAYS}


def counts_from(submitted_at: dt.datetime) -> dt.date:
    """The working day an application (or notice, or complaint) counts from."""
    return accepted_on(submitted_at)


def decision_due(case: Case, submitted_at: dt.datetime) -> dt.date:
    """The latest day of the decision: 1 working day (no housing), 3 (emergency)."""
    return add_working_days(counts_from(submitted_at), REVIEW_DAYS[case])


def notice_due(submitted_at: dt.datetime) -> dt.date:
    """The latest day the applicant gets the notice or the reasoned refusal [002 p.16]."""
    return add_working_days(counts_from(submitted_at), NOTICE_DAYS)


@dataclass(frozen=True)
class HearingPlan:
    """When a preliminary refusal must go, and the hearing the system proposes [002 p.17]."""

    deadline: dt.date  # the service deadline the hearing counts back from
    latest_notice_on: dt.date  # the hearing notice must count from this day or earlier
    notice_on: dt.date  # the day the notice counts from
    hearing_on: dt.date  # proposed: the last day allowed after the notice
    hearing_at: dt.datetime  # hearing_on at HEARING_TIME, Asia/Almaty

    @property
    def notice_in_time(self) -> bool:
        """False when the notice goes too late for the Rules: the office must know."""
        return self.notice_on <= self.latest_notice_on

    @property
    def hearing_before_deadline(self) -> bool:
        return self.hearing_on < self.deadline


def hearing_plan(submitted_at: dt.datetime, notice_at: dt.datetime) -> HearingPlan:
    """The plan for a preliminary refusal sent at `notice_at` on an application submitted at
    `submitted_at` (module docstring: the deadline is the notice limit of [002 p.16])."""
    deadline = notice_due(submitted_at)
    notice_on = counts_from(notice_at)
    hearing_on = add_working_days(notice_on, HEARING_WITHIN)
    return HearingPlan(
        deadline=deadline,
        latest_notice_on=subtract_working_days(deadline, HEARING_NOTICE_BEFORE_DEADLINE),
        notice_on=notice_on,
        hearing_on=hearing_on,
        hearing_at=dt.datetime.combine(hearing_on, HEARING_TIME, tzinfo=ALMATY),
    )


def hearing_date_allowed(notice_at: dt.datetime, hearing_on: dt.date) -> bool:
    """Whether an office-chosen hearing date keeps the Rules: after the notice's day, and no
    later than 2 working days after it [002 p.17]."""
    notice_on = counts_from(notice_at)
    return notice_on < hearing_on <= add_working_days(notice_on, HEARING_WITHIN)


def complaint_due(body: ComplaintBody, registered_at: dt.datetime) -> dt.date:
    """The latest day of the review: 5 working days (head), 15 (quality authority)."""
    return add_working_days(counts_from(registered_at), body.days)


def complaint_forward_due(received_at: dt.datetime) -> dt.date:
    """The latest day the provider forwards a complaint it has not fully satisfied [002 p.19]."""
    return add_working_days(counts_from(received_at), COMPLAINT_FORWARD_DAYS)


# --- the hearing as an event [002 p.17; APPC art. 73] ----------------------------------------
# Decisions taken where the sources are silent:
# - The hearing is held in the provider's working time on a working day (App. 1 row 7), so
#   its moment must be one (lunch included: the office is open to take a call or a visit).
# - The objection window is open until the hearing's moment; it closes earlier only when the
#   applicant, objecting, waives the hearing explicitly. The final decision after a
#   preliminary refusal is taken only once that window is closed, never before it.

class HearingWay(StrEnum):
    """How the applicant takes part in the hearing (the notice's "place (way)")."""

    ONLINE = "online"  # by an objection on the application's page, before the hearing
    PHONE = "phone"  # the officer calls at the hearing's time
    IN_PERSON = "in_person"  # at the provider's address


def hearing_refusal(notice_at: dt.datetime, hearing_at: dt.datetime) -> str | None:
    """Why an office-chosen hearing moment breaks the Rules, else None: not a working day or
    outside working time ("hearing_not_working_time"), on or before the notice's day or later
    than 2 working days after it ("hearing_outside_window", via hearing_date_allowed)."""
    local = hearing_at.astimezone(ALMATY)
    if not hearing_date_allowed(notice_at, local.date()):
        return "hearing_outside_window"
    if not is_working_day(local.date()) or not OPENS <= local.time() < CLOSES:
        return "hearing_not_working_time"
    return None


def objection_window_open(hearing_at: dt.datetime, waived: bool, moment: dt.datetime) -> bool:
    """Whether the applicant may still object: before the hearing's moment, unless they waived
    the hearing with an objection already."""
    return not waived and moment < hearing_at


def final_decision_open(hearing_at: dt.datetime, waived: bool, moment: dt.datetime) -> bool:
    """Whether the office may take the final decision now: the hearing's moment has come, or
    the applicant objected and waived the hearing (the window is closed either way)."""
    return waived or moment >= hearing_at


def refusal_notice_by(case: Case, submitted_at: dt.datetime) -> dt.date:
    """The last day a preliminary refusal may go and still keep the Rules: 3 working days
    before the service deadline (hearing_plan's latest_notice_on)."""
    del case  # both cases count back from the notice limit (module docstring)
    return subtract_working_days(notice_due(submitted_at), HEARING_NOTICE_BEFORE_DEADLINE)
