"""The housing office's rules (SPEC §2 "Preliminary decision and hearing", "Complaints"): what
awaits staff, its deadline in working days, who may act, which decision leads where.

Pure: dates and plain data in, answers out (the service reads and writes the database).

Decisions taken where the sources are silent:
- An item is overdue from the day after its due day (the due day itself is still in time);
  the working days left are counted with working_days.working_days_between, so an item due
  on Friday seen on the next Monday shows -1, and one seen on Saturday shows 0 but overdue.
- The work list orders overdue items first, then by due day, then by kind (emergency reviews,
  hearings, complaints) and application: the oldest duty comes first.
- Complaints to the provider's head are answered by a head only [002 p.18]; an officer sees
  them neither on the list nor as an action. A complaint to the quality authority goes to it
  through the provider, with the administrative file, within 3 working days of its receipt,
  unless the provider fully satisfies it in that time [002 p.19]: the head's list shows it as
  a forward with that due day, until it is forwarded or satisfied.
- A complaint names what it is about: a decision, an action, or inaction (a delay) [002 p.18:
  "шешіміне, әрекетіне (әрекетсіздігіне)"]. [design] It is accepted only where there is such a
  thing: a decision is the preliminary or final refusal; an action is the office's handling of
  an application it has not registered yet (the review, the hearing, the refusal); a delay is
  an application whose decision (or hearing outcome) is past its due day. An entry on the list
  has nothing of these to complain about (a changed category or family has its own request).
- An emergency review is due, on the work list, by the last day a preliminary refusal can
  still go in time (deadlines.refusal_notice_by: 3 working days before the service deadline
  [002 p.17]), so the officer sees it while a refusal is still possible; once that day is
  past, it is due by the decision's own day and says the refusal is already too late.
- A satisfied complaint changes the decision: an application refused (finally or
  preliminarily) or still waiting for review is registered in the list; one already on the
  list keeps its place (the answer alone is recorded). [design] A partly satisfied complaint
  changes no status: the answer says which part is satisfied (the head acts on it separately);
  like the others it is a signed document where ЭЦП is configured.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from portal.domain.housing.deadlines import (
    ComplaintBody,
    decision_due,
    notice_due,
    refusal_notice_by,
)
from portal.domain.housing.facts import Case
from portal.domain.statuses import AppStatus
from portal.domain.working_days import working_days_between


class Kind(StrEnum):
    """A kind of work (the value is the work list's filter code)."""

    EMERGENCY_REVIEW = "emergency_review"
    HEARING = "hearing"
    COMPLAINT = "complaint"
    COMPLAINT_FORWARD = "complaint_forward"  # to the quality authority, within 3 working days
    RECHECK = "recheck"  # on the list: a family change brought a new ground
    CATEGORY = "category"  # on the list: a category request the registries did not confirm


KIND_ORDER = {Kind.EMERGENCY_REVIEW: 0, Kind.HEARING: 1, Kind.COMPLAINT: 2,
              Kind.COMPLAINT_FORWARD: 3, Kind.RECHECK: 4, Kind.CATEGORY: 5}

# The statuses each decision starts from (a conditional move: anything else means someone
# decided first, or the applicant withdrew).
REVIEW_FROM = (AppStatus.UNDER_REVIEW,)
HEARING_FROM = (AppStatus.PRELIMINARY_REFUSAL,)
COMPLAINT_REGISTERS_FROM = (AppStatus.UNDER_REVIEW, AppStatus.PRELIMINARY_REFUSAL,
                            AppStatus.REFUSED)


class HearingOutcome(StrEnum):
    REGISTERED = "registered"
    REFUSED = "refused"


class ComplaintOutcome(StrEnum):
    SATISFIED = "satisfied"
    PARTLY = "partly"  # partly satisfied (module docstring)
    REFUSED = "refused"  # not satisfied


class ComplaintSubject(StrEnum):
    """What a complaint is about [002 p.18]: a decision, an action, inaction (a delay)."""

    DECISION = "decision"
    ACTION = "action"
    DELAY = "delay"


# Where each subject exists (module docstring); a delay also needs its due day passed.
COMPLAINABLE = {
    ComplaintSubject.DECISION: (AppStatus.PRELIMINARY_REFUSAL, AppStatus.REFUSED),
    ComplaintSubject.ACTION: (AppStatus.UNDER_REVIEW, AppStatus.PRELIMINARY_REFUSAL,
                              AppStatus.REFUSED),
    ComplaintSubject.DELAY: (AppStatus.SUBMITTED, AppStatus.UNDER_REVIEW,
                             AppStatus.PRELIMINARY_REFUSAL),
}


def complaint_subjects(status: str, awaited_due: dt.date | None,
                       today: dt.date) -> list[ComplaintSubject]:
    """What an application in `status` can be complained about today; `awaited_due` is the
    due day of what it awaits (the decision, or the hearing's outcome), if anything."""
    subjects = []
    for subject, statuses in COMPLAINABLE.items():
        if status not in statuses:
            continue
        if subject is ComplaintSubject.DELAY and (awaited_due is None or today <= awaited_due):
            continue
        subjects.append(subject)
    return subjects


@dataclass(frozen=True)
class Urgency:
    due: dt.date
    days_left: int  # working days from today to the due day; negative: past it
    overdue: bool


def urgency(due: dt.date, today: dt.date) -> Urgency:
    """How urgent an item due on `due` is on `today` (module docstring)."""
    return Urgency(due, working_days_between(today, due), today > due)


@dataclass(frozen=True)
class WorkItem:
    kind: Kind
    application_id: int
    number: str
    settlement_code: str
    urgency: Urgency
    complaint_index: int | None = None  # the complaint's place in data["complaints"]
    hearing_at: str | None = None  # a hearing's proposed moment (ISO)
    refusal_by: dt.date | None = None  # emergency review: a preliminary refusal's last day
    refusal_late: bool = False  # that day is past: a refusal now breaks the Rules' window
    deadline: dt.date | None = None  # the service deadline the window counts back from
    applicant: str = ""  # the person to be registered, as the registries named them
    objected: bool = False  # the applicant's objection arrived [002 p.17]

    @property
    def hearing_moment(self) -> dt.datetime | None:
        """The hearing's moment, for the page to format in the reader's language."""
        return dt.datetime.fromisoformat(self.hearing_at) if self.hearing_at else None


def sort_key(item: WorkItem) -> tuple:
    return (not item.urgency.overdue, item.urgency.due, KIND_ORDER[item.kind],
            item.application_id, item.complaint_index or 0)


def open_complaints(complaints: list[dict]) -> list[tuple[int, dict]]:
    """The complaints to the provider's head not answered yet, with their index."""
    return [(i, c) for i, c in enumerate(complaints)
            if c.get("body") == ComplaintBody.PROVIDER_HEAD and not c.get("answered_at")]


def open_forwards(complaints: list[dict]) -> list[tuple[int, dict]]:
    """The complaints to the quality authority neither forwarded nor satisfied yet."""
    return [(i, c) for i, c in enumerate(complaints)
            if c.get("body") == ComplaintBody.QUALITY_AUTHORITY and not c.get("forwarded_at")
            and not c.get("answered_at")]


def may_satisfy_instead_of_forwarding(complaint: dict, today: dt.date) -> bool:
    """The provider may keep a complaint to the authority only by satisfying it fully within
    the 3 working days [002 p.19]; after its forward due day it can only forward it."""
    return bool(complaint.get("forward_due")) and \
        today <= dt.date.fromisoformat(complaint["forward_due"])


def items_of(application_id: int, number: str, status: str, data: dict,
             today: dt.date, include_complaints: bool,
             submitted_at: dt.datetime | None = None) -> list[WorkItem]:
    """What one application asks of staff today."""
    settlement = data.get("settlement", "")
    items = []
    if status == AppStatus.UNDER_REVIEW and data.get("decision_due"):
        due = dt.date.fromisoformat(data["decision_due"])
        if submitted_at is None:
            items.append(WorkItem(Kind.EMERGENCY_REVIEW, application_id, number, settlement,
                                  urgency(due, today)))
        else:
            refusal_by = refusal_notice_by(Case.EMERGENCY, submitted_at)
            late = today > refusal_by
            items.append(WorkItem(Kind.EMERGENCY_REVIEW, application_id, number, settlement,
                                  urgency(due if late else refusal_by, today),
                                  refusal_by=refusal_by, refusal_late=late,
                                  deadline=notice_due(submitted_at)))
    if status == AppStatus.PRELIMINARY_REFUSAL and data.get("hearing_at"):
        hearing_on = dt.datetime.fromisoformat(data["hearing_at"]).date()
        items.append(WorkItem(Kind.HEARING, application_id, number, settlement,
                              urgency(hearing_on, today), hearing_at=data["hearing_at"]))
    recheck = open_recheck(status, data)
    if recheck:
        items.append(WorkItem(Kind.RECHECK, application_id, number, settlement,
                              urgency(dt.date.fromisoformat(recheck["due"]), today)))
    for index, request in open_category_requests(status, data):
        items.append(WorkItem(Kind.CATEGORY, application_id, number, settlement,
                              urgency(category_request_due(request), today),
                              complaint_index=index))
    if include_complaints:
        for index, complaint in open_complaints(data.get("complaints", [])):
            items.append(WorkItem(Kind.COMPLAINT, application_id, number, settlement,
                                  urgency(dt.date.fromisoformat(complaint["due"]), today),
                                  complaint_index=index))
        for index, complaint in open_forwards(data.get("complaints", [])):
            if complaint.get("forward_due"):  # one filed before forwards existed has none
                items.append(WorkItem(
                    Kind.COMPLAINT_FORWARD, application_id, number, settlement,
                    urgency(dt.date.fromisoformat(complaint["forward_due"]), today),
                    complaint_index=index))
    return items


def open_recheck(status: str, data: dict) -> dict | None:
    """The re-check a family change raised on the list that the office has not acted on."""
    recheck = data.get("recheck")
    if status == AppStatus.IN_QUEUE and recheck and not recheck.get("resolved_at"):
        return recheck
    return None


def open_category_requests(status: str, data: dict) -> list[tuple[int, dict]]:
    """Category requests [002 p.9] the registries did not confirm, kept for the office, not
    yet decided by it (with their place in data["category_requests"])."""
    if status != AppStatus.IN_QUEUE:
        return []
    return [(i, r) for i, r in enumerate(data.get("category_requests", []))
            if r.get("outcome") == "not_confirmed" and not r.get("resolved_at")]


def category_request_due(request: dict) -> dt.date:
    """[design] The office checks a category the registries did not confirm in the emergency
    review's 3 working days (the Rules give no time of their own for p.9's correction)."""
    return decision_due(Case.EMERGENCY, dt.datetime.fromisoformat(request["at"]))


def motivation_required(outcome: str) -> bool:
    """A refusal is always motivated; a registration needs no reasons."""
    return outcome in (HearingOutcome.REFUSED, ComplaintOutcome.REFUSED,
                       ComplaintOutcome.PARTLY)
