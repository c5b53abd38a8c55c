"""The housing office's decisions (SPEC §2): the work list, the emergency review, the hearing,
the head's answer to a complaint. The rules are portal.domain.housing.office.

Every decision is one transaction: the status moves conditionally (lifecycle.move: of two
clicks or ten parallel requests exactly one acts), the StaffAudit record with before and after
and the applicant's SMS are added to it, and notices.commit() commits then sends. A decision on
an application that moved meanwhile is refused with `status_changed` and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from portal.clock import ALMATY, local_today, now
from portal.core.models import Application, AppStatus, Service
from portal.core.services import lifecycle, notices
from portal.core.services.errors import Refused
from portal.core.services.sms_texts import SmsText
from portal.domain.housing import deadlines
from portal.domain.housing import office as rules
from portal.domain.housing.grounds import OFFICE_GROUNDS, Ground, decision_grounds
from portal.extensions import db
from portal.housing.office.staff import audit
from portal.housing.office.staff.models import StaffMember
from portal.housing.services import housing, housing_sms

MAX_MOTIVATION = 4000


class Action:
    """StaffAudit action names of the decisions (translated in portal.housing.office.texts)."""

    REGISTER = "housing_register"
    PRELIMINARY_REFUSAL = "housing_preliminary_refusal"
    HEARING_REGISTERED = "housing_hearing_registered"
    HEARING_REFUSED = "housing_hearing_refused"
    COMPLAINT_SATISFIED = "housing_complaint_satisfied"
    COMPLAINT_REFUSED = "housing_complaint_refused"


class OfficeRefused(Refused):
    """Nothing changed; `reason` says why (the office maps it to a text)."""


# The applicant is not at the office's request: the text goes in the language they submitted
# in (data["lang"]), or in Kazakh and Russian when it is not known.
SMS_REGISTERED = SmsText(housing_sms.DECISIONS[AppStatus.IN_QUEUE].message)
SMS_PRELIMINARY = SmsText(housing_sms.DECISIONS[AppStatus.PRELIMINARY_REFUSAL].message)
SMS_REFUSED = SmsText(_l(
    "Mekenjai: application %(number)s: refused after the hearing. The reasons are on its "
    "page: %(link)s"))
SMS_COMPLAINT_ANSWERED = SmsText(_l(
    "Mekenjai: application %(number)s: your complaint is answered. The answer is on its "
    "page: %(link)s"))


# --- who sees what --------------------------------------------------------------------------

def settlement_of(application: Application) -> str:
    return (application.data or {}).get("settlement", "")


def handles(staff: StaffMember, application: Application) -> bool:
    """A head handles every settlement; an officer only their own."""
    return staff.is_head or staff.serves(settlement_of(application))


def application_for(staff: StaffMember, app_id: int) -> Application | None:
    """A submitted housing application this staff member handles, else None (the page 404s:
    an application outside their settlements does not exist for them)."""
    application = db.session.get(Application, app_id)
    if application is None or application.service != Service.HOUSING or \
            application.status == AppStatus.DRAFT or not handles(staff, application):
        return None
    return application


def document_for(staff: StaffMember, app_id: int, document_id: int):
    application = application_for(staff, app_id)
    return housing.document_of(application, document_id) if application else None


# --- the work list ---------------------------------------------------------------------------

def _candidates():
    """Housing applications that may await staff: under review, before a hearing, or with a
    complaint (a JSON text match keeps it one query on SQLite and PostgreSQL alike)."""
    has_complaint = sa.cast(Application.data, sa.Text).contains('"complaints"')
    return db.session.scalars(sa.select(Application).where(
        Application.service == Service.HOUSING,
        sa.or_(Application.status.in_(rules.REVIEW_FROM + rules.HEARING_FROM), has_complaint)))


def work_list(staff: StaffMember, settlement: str | None = None, kind: str | None = None,
              today: dt.date | None = None) -> list[rules.WorkItem]:
    """Everything awaiting this staff member, overdue first (portal.domain.housing.office)."""
    day = today or local_today()
    items = []
    for application in _candidates():
        if not handles(staff, application):
            continue
        items += rules.items_of(application.id, application.number or "", application.status,
                                application.data or {}, day, include_complaints=staff.is_head)
    items = [i for i in items if (not settlement or i.settlement_code == settlement)
             and (not kind or i.kind == kind)]
    return sorted(items, key=rules.sort_key)


# --- what the application page shows ---------------------------------------------------------

def office_grounds_choices(application: Application, facts) -> tuple[list[Ground], list[Ground]]:
    """(computed now from the registries, the office may add): the grounds offered."""
    computed = housing.grounds_now(application, facts) if facts else []
    offered = decision_grounds(computed, [])
    return offered, [g for g in Ground if g in OFFICE_GROUNDS and g not in offered]


@dataclass(frozen=True)
class Proposed:
    hearing_at: dt.datetime
    notice_in_time: bool


def proposed_hearing(application: Application, at: dt.datetime | None = None) -> Proposed:
    """The hearing the system proposes if a preliminary refusal went now [002 p.17]."""
    moment = at or now()
    plan = deadlines.hearing_plan(application.submitted_at or moment, moment)
    return Proposed(plan.hearing_at, plan.notice_in_time)


# --- decisions -------------------------------------------------------------------------------

def _motivation(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise OfficeRefused("no_motivation")
    if len(text) > MAX_MOTIVATION:
        raise OfficeRefused("motivation_too_long")
    return text


def _snapshot(application: Application) -> dict:
    data = application.data or {}
    return {"status": application.status, "queue_number": data.get("queue_number"),
            "grounds": data.get("grounds", []), "hearing_at": data.get("hearing_at")}


def _move(application: Application, from_statuses, to_status: str, staff: StaffMember,
          note: str, moment: dt.datetime, final: bool = False) -> None:
    values = {"closed_at": moment} if final else {"closed_at": None, "outcome": None}
    try:
        lifecycle.require_move(application, from_statuses, to_status, f"staff:{staff.login}",
                               note, moment, **values)
    except Refused as refused:
        db.session.rollback()
        raise OfficeRefused("status_changed", **refused.context) from None


def _notify(application: Application, text: SmsText) -> None:
    lang = (application.data or {}).get("lang")
    housing.notify_applicant(application, text.format(  # the applicant's contacts
        lang, number=application.number, link=notices.status_url(application)))


def _register(application: Application, staff: StaffMember, from_statuses, facts,
              moment: dt.datetime, note: str) -> int:
    """Move to IN_QUEUE (conditionally) and give the number, as the system's own decision does
    (housing.enter_list). Not committed; OfficeRefused("already_listed") when the person holds
    a place in the list already (nothing changed then)."""
    _move(application, from_statuses, AppStatus.IN_QUEUE, staff, note, moment)
    answers = housing.answers_of(application, facts, moment.astimezone(ALMATY).date())
    try:
        entry = housing.enter_list(application, facts, answers, moment)
    except housing.HousingRefused as refused:  # rolled back
        raise OfficeRefused(refused.reason, **refused.context) from None
    lifecycle.change_data(application, at=moment, **housing.listed(entry))
    return entry.number


def register(staff: StaffMember, application: Application, facts, ip: str | None) -> int:
    """The emergency review confirms the case: registered with a number. Returns it."""
    moment = now()
    lifecycle.lock(application, moment)  # decide from the application as committed now
    before = _snapshot(application)
    number = _register(application, staff, rules.REVIEW_FROM, facts, moment,
                       "emergency case confirmed by the office")
    audit.record(staff, Action.REGISTER, application_id=application.id, before=before,
                 after=_snapshot(application), ip=ip)
    _notify(application, SMS_REGISTERED)
    notices.commit()
    return number


def refuse_preliminarily(staff: StaffMember, application: Application, facts,
                         chosen: list[str], motivation: str, ip: str | None) -> dt.datetime:
    """The emergency review finds grounds: a preliminary refusal with the grounds, the
    motivation and the hearing the system proposes [002 p.17]. Returns the hearing's moment."""
    text = _motivation(motivation)
    computed, _office = office_grounds_choices(application, facts)
    try:
        picked = [Ground(code) for code in chosen]
        grounds = decision_grounds([g for g in picked if g in computed],
                                   [g for g in picked if g not in computed])
    except ValueError:
        raise OfficeRefused("unknown_ground") from None
    if not grounds:
        raise OfficeRefused("no_grounds")
    moment = now()
    lifecycle.lock(application, moment)
    before = _snapshot(application)
    _move(application, rules.REVIEW_FROM, AppStatus.PRELIMINARY_REFUSAL, staff,
          "grounds: " + ", ".join(grounds), moment)
    plan = deadlines.hearing_plan(application.submitted_at or moment, moment)
    lifecycle.change_data(application, at=moment, grounds=[g.value for g in grounds],
                          hearing_at=plan.hearing_at.isoformat(),
                          notice_due=plan.deadline.isoformat(), motivation=text)
    audit.record(staff, Action.PRELIMINARY_REFUSAL, application_id=application.id,
                 before=before, after=_snapshot(application) | {"motivation": text}, ip=ip)
    _notify(application, SMS_PRELIMINARY)
    notices.commit()
    return plan.hearing_at


def hear(staff: StaffMember, application: Application, facts, outcome: str,
         motivation: str | None, ip: str | None) -> None:
    """The hearing's outcome: registered (a number), or a motivated final refusal."""
    chosen = rules.HearingOutcome(outcome)
    text = _motivation(motivation) if rules.motivation_required(chosen) else \
        (motivation or "").strip()[:MAX_MOTIVATION]
    moment = now()
    lifecycle.lock(application, moment)
    before = _snapshot(application)
    if chosen is rules.HearingOutcome.REGISTERED:
        _register(application, staff, rules.HEARING_FROM, facts, moment,
                  "registered after the hearing")
        action = Action.HEARING_REGISTERED
    else:
        _move(application, rules.HEARING_FROM, AppStatus.REFUSED, staff,
              "refused after the hearing", moment, final=True)
        action = Action.HEARING_REFUSED
    hearing = {"outcome": chosen.value, "text": text, "at": moment.isoformat(),
               "by": staff.login}
    refusal = {"refusal_motivation": text} if chosen is rules.HearingOutcome.REFUSED else {}
    lifecycle.change_data(application, at=moment, hearing=hearing, **refusal)
    audit.record(staff, action, application_id=application.id, before=before,
                 after=_snapshot(application) | {"hearing": hearing}, ip=ip)
    _notify(application, SMS_REGISTERED if chosen is rules.HearingOutcome.REGISTERED
            else SMS_REFUSED)
    notices.commit()


def answer_complaint(staff: StaffMember, application: Application, index: int, outcome: str,
                     text: str, facts, ip: str | None) -> None:
    """The head's answer to a complaint [002 p.18]: satisfied changes the decision (module
    docstring of portal.domain.housing.office); refused is motivated. Head only."""
    if not staff.is_head:
        raise OfficeRefused("head_only")
    chosen = rules.ComplaintOutcome(outcome)
    answer = _motivation(text)
    moment = now()
    # A second answer to the same complaint waits here and then sees the first one's.
    lifecycle.lock(application, moment)
    open_ = dict(rules.open_complaints((application.data or {}).get("complaints", [])))
    if index not in open_:
        db.session.rollback()
        raise OfficeRefused("already_answered")
    before = _snapshot(application) | {"complaint": open_[index]}
    if chosen is rules.ComplaintOutcome.SATISFIED and \
            application.status in rules.COMPLAINT_REGISTERS_FROM:
        _register(application, staff, rules.COMPLAINT_REGISTERS_FROM, facts, moment,
                  "registered: complaint satisfied by the head")
    answered = {"answered_at": moment.isoformat(), "outcome": chosen.value, "answer": answer,
                "by": staff.login}
    lifecycle.change_data(application, lambda data: data["complaints"][index].update(answered),
                          at=moment)
    audit.record(staff, Action.COMPLAINT_SATISFIED if chosen is rules.ComplaintOutcome.SATISFIED
                 else Action.COMPLAINT_REFUSED, application_id=application.id, before=before,
                 after=_snapshot(application) | {"complaint": open_[index] | answered}, ip=ip)
    _notify(application, SMS_COMPLAINT_ANSWERED)
    notices.commit()

