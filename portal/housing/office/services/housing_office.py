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
from portal.domain.housing import queue as queue_rules
from portal.domain.housing.grounds import OFFICE_GROUNDS, Ground, decision_grounds
from portal.extensions import db
from portal.housing.office.services import authority
from portal.housing.office.staff import audit
from portal.housing.office.staff.models import StaffMember
from portal.housing.services import documents, housing, housing_queue, housing_sms, submission

MAX_MOTIVATION = 4000


class Action:
    """StaffAudit action names of the decisions (translated in portal.housing.office.texts)."""

    REGISTER = "housing_register"
    PRELIMINARY_REFUSAL = "housing_preliminary_refusal"
    HEARING_REGISTERED = "housing_hearing_registered"
    HEARING_REFUSED = "housing_hearing_refused"
    COMPLAINT_SATISFIED = "housing_complaint_satisfied"
    COMPLAINT_REFUSED = "housing_complaint_refused"
    COMPLAINT_PARTLY = "housing_complaint_partly"
    COMPLAINT_FORWARDED = "housing_complaint_forwarded"
    ENTRY_SUSPENDED = "housing_entry_suspend"
    ENTRY_RESTORED = "housing_entry_restore"
    ENTRY_CLOSED = "housing_entry_close"


class OfficeRefused(Refused):
    """Nothing changed; `reason` says why (the office maps it to a text)."""


# The applicant is not at the office's request: the text goes in the language they submitted
# in (data["lang"]), or in Kazakh and Russian when it is not known.
SMS_REGISTERED = SmsText(housing_sms.DECISIONS[AppStatus.IN_QUEUE].message)
SMS_PRELIMINARY = SmsText(housing_sms.DECISIONS[AppStatus.PRELIMINARY_REFUSAL].message)
SMS_REFUSED = housing_sms.REFUSED
MAX_PLACE = 45  # the office's address or phone: the hearing's SMS must stay in three parts
MAX_MINUTES = 4000
SMS_COMPLAINT_ANSWERED = SmsText(_l(
    "Mekenjai: application %(number)s: your complaint is answered. The answer is on its "
    "page: %(link)s"))

SMS_COMPLAINT_FORWARDED = SmsText(_l(
    "Mekenjai: application %(number)s: your complaint is forwarded to the authority for "
    "quality of public services; it answers within 15 working days. %(link)s"))

SMS_ENTRY = SmsText(_l(
    "Mekenjai: application %(number)s: the status of your place in the list has changed. Why, "
    "and what to do: %(link)s"))


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
    return documents.document_of(application, document_id) if application else None


# --- the work list ---------------------------------------------------------------------------

def _candidates():
    """Housing applications that may await staff: under review, before a hearing, or with a
    complaint (a JSON text match keeps it one query on SQLite and PostgreSQL alike)."""
    text = sa.cast(Application.data, sa.Text)
    has_complaint = text.contains('"complaints"')
    has_recheck = text.contains('"recheck"')
    return db.session.scalars(sa.select(Application).where(
        Application.service == Service.HOUSING,
        sa.or_(Application.status.in_(rules.REVIEW_FROM + rules.HEARING_FROM), has_complaint,
               has_recheck)))


def work_list(staff: StaffMember, settlement: str | None = None, kind: str | None = None,
              today: dt.date | None = None) -> list[rules.WorkItem]:
    """Everything awaiting this staff member, overdue first (portal.domain.housing.office)."""
    day = today or local_today()
    items = []
    for application in _candidates():
        if not handles(staff, application):
            continue
        items += rules.items_of(application.id, application.number or "", application.status,
                                application.data or {}, day, include_complaints=staff.is_head,
                                submitted_at=application.submitted_at)
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
    submission.notify_applicant(application, text.format(  # the applicant's contacts
        lang, **housing_sms.values(application)))


def _register(application: Application, staff: StaffMember, from_statuses, facts,
              moment: dt.datetime, note: str) -> int:
    """Move to IN_QUEUE (conditionally) and give the number, as the system's own decision does
    (submission.enter_list). Not committed; OfficeRefused("already_listed") when the person holds
    a place in the list already (nothing changed then)."""
    _move(application, from_statuses, AppStatus.IN_QUEUE, staff, note, moment)
    answers = housing.answers_of(application, facts, moment.astimezone(ALMATY).date())
    try:
        entry = submission.enter_list(application, facts, answers, moment)
    except housing.HousingRefused as refused:  # rolled back
        raise OfficeRefused(refused.reason, **refused.context) from None
    lifecycle.change_data(application, at=moment, **submission.listed(entry))
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


@dataclass(frozen=True)
class Hearing:
    """The hearing the officer schedules with a preliminary refusal [002 p.17]: its moment
    (None: the one the system proposes) and how the applicant takes part."""

    at: dt.datetime | None = None
    way: str = deadlines.HearingWay.ONLINE
    place: str = ""


def _scheduled(hearing: Hearing, plan: deadlines.HearingPlan, moment: dt.datetime) -> dict:
    """The hearing's data, or OfficeRefused with the reason the Rules refuse it."""
    try:
        way = deadlines.HearingWay(hearing.way or deadlines.HearingWay.ONLINE)
    except ValueError:
        raise OfficeRefused("hearing_way_unknown") from None
    place = " ".join((hearing.place or "").split())
    if way is not deadlines.HearingWay.ONLINE and not place:
        raise OfficeRefused("hearing_place_missing")
    if len(place) > MAX_PLACE:
        raise OfficeRefused("hearing_place_too_long", max=MAX_PLACE)
    at = (hearing.at or plan.hearing_at).astimezone(ALMATY)
    reason = deadlines.hearing_refusal(moment, at)
    if reason:
        raise OfficeRefused(reason)
    return {"hearing_at": at.isoformat(), "hearing_way": way.value, "hearing_place": place}


def refuse_preliminarily(staff: StaffMember, application: Application, facts,
                         chosen: list[str], motivation: str, ip: str | None,
                         hearing: Hearing | None = None) -> dt.datetime:
    """The emergency review finds grounds: a preliminary refusal with the grounds, the
    motivation and the hearing [002 p.17], scheduled inside the window the Rules allow
    (deadlines.hearing_refusal). Returns the hearing's moment."""
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
    plan = deadlines.hearing_plan(application.submitted_at or moment, moment)
    scheduled = _scheduled(hearing or Hearing(), plan, moment)
    lifecycle.lock(application, moment)
    before = _snapshot(application)
    _move(application, rules.REVIEW_FROM, AppStatus.PRELIMINARY_REFUSAL, staff,
          "grounds: " + ", ".join(grounds), moment)
    lifecycle.change_data(application, at=moment, grounds=[g.value for g in grounds],
                          notice_due=plan.deadline.isoformat(), motivation=text, **scheduled)
    audit.record(staff, Action.PRELIMINARY_REFUSAL, application_id=application.id,
                 before=before, after=_snapshot(application) | {"motivation": text}, ip=ip)
    _notify(application, SMS_PRELIMINARY)
    notices.commit()
    return dt.datetime.fromisoformat(scheduled["hearing_at"])


@dataclass(frozen=True)
class Minutes:
    """The hearing's minutes: who took part, what the applicant said, which of the
    objection's files were read (their ids)."""

    participants: str = ""
    statement: str = ""
    files_read: tuple[int, ...] = ()

    def as_data(self, application: Application) -> dict:
        known = {d.id for d in documents.documents_of(application) if d.kind == "objection"}
        if any(f not in known for f in self.files_read):
            raise OfficeRefused("unknown_file")
        participants = " ".join(self.participants.split())
        if not participants:
            raise OfficeRefused("no_participants")
        if len(participants) + len(self.statement) > MAX_MINUTES:
            raise OfficeRefused("minutes_too_long")
        return {"participants": participants, "statement": self.statement.strip(),
                "files_read": sorted(set(self.files_read))}


def decision_open(application: Application, moment: dt.datetime | None = None) -> bool:
    """Whether the final decision may be taken now (deadlines.final_decision_open): the
    hearing's moment has come, or the applicant objected and waived the hearing."""
    data = application.data or {}
    if not data.get("hearing_at"):
        return True  # no hearing was ever scheduled (data from before the hearing's rules)
    waived = any(o.get("waive") for o in data.get("objections", []))
    return deadlines.final_decision_open(dt.datetime.fromisoformat(data["hearing_at"]), waived,
                                         moment or now())


def hear(staff: StaffMember, application: Application, facts, outcome: str,
         motivation: str | None, ip: str | None, minutes: Minutes | None = None) -> None:
    """The hearing's outcome, with its minutes: registered (a number), or a motivated final
    refusal. Refused with "hearing_not_yet" before the hearing's moment [002 p.17]."""
    chosen = rules.HearingOutcome(outcome)
    text = _motivation(motivation) if rules.motivation_required(chosen) else \
        (motivation or "").strip()[:MAX_MOTIVATION]
    recorded = (minutes or Minutes()).as_data(application)
    moment = now()
    lifecycle.lock(application, moment)
    if application.status in rules.HEARING_FROM and not decision_open(application, moment):
        db.session.rollback()
        raise OfficeRefused("hearing_not_yet")
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
               "by": staff.login, "minutes": recorded}
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
    docstring of portal.domain.housing.office); partly and refused are motivated. Head only.
    A complaint to the quality authority may only be satisfied fully, and only within its 3
    working days to forward [002 p.19]: it then closes and is not forwarded."""
    if not staff.is_head:
        raise OfficeRefused("head_only")
    chosen = rules.ComplaintOutcome(outcome)
    answer = _motivation(text)
    moment = now()
    # A second answer to the same complaint waits here and then sees the first one's.
    lifecycle.lock(application, moment)
    complaints = (application.data or {}).get("complaints", [])
    open_ = dict(rules.open_complaints(complaints))
    forwards = dict(rules.open_forwards(complaints))
    if index in forwards:
        if chosen is not rules.ComplaintOutcome.SATISFIED:
            db.session.rollback()
            raise OfficeRefused("forward_only_fully")
        if not rules.may_satisfy_instead_of_forwarding(forwards[index],
                                                       moment.astimezone(ALMATY).date()):
            db.session.rollback()
            raise OfficeRefused("forward_overdue")
        open_[index] = forwards[index]
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
    action = {rules.ComplaintOutcome.SATISFIED: Action.COMPLAINT_SATISFIED,
              rules.ComplaintOutcome.PARTLY: Action.COMPLAINT_PARTLY,
              rules.ComplaintOutcome.REFUSED: Action.COMPLAINT_REFUSED}[chosen]
    audit.record(staff, action, application_id=application.id, before=before,
                 after=_snapshot(application) | {"complaint": open_[index] | answered}, ip=ip)
    _notify(application, SMS_COMPLAINT_ANSWERED)
    notices.commit()


def forward_complaint(staff: StaffMember, application: Application, index: int,
                      ip: str | None) -> str:
    """Forward a complaint to the quality authority with the administrative file [002 p.19]:
    the package is assembled and handed to the authority's adapter, the complaint marked
    forwarded, the applicant told. Head only; once (a second forward is `already_forwarded`).
    Returns the authority's reference. A forward past its due day is still made (late)."""
    if not staff.is_head:
        raise OfficeRefused("head_only")
    moment = now()
    lifecycle.lock(application, moment)  # a parallel forward or answer waits, then sees this
    forwards = dict(rules.open_forwards((application.data or {}).get("complaints", [])))
    if index not in forwards:
        db.session.rollback()
        raise OfficeRefused("already_forwarded")
    complaint = forwards[index]
    package = authority.package_of(application, complaint, staff.login, moment)
    reference = authority.authority().forward(application, package)
    forwarded = {"forwarded_at": moment.isoformat(), "forwarded_by": staff.login,
                 "reference": reference,
                 "late": moment.astimezone(ALMATY).date() >
                 dt.date.fromisoformat(complaint["forward_due"])
                 if complaint.get("forward_due") else False}
    lifecycle.change_data(application, lambda data: data["complaints"][index].update(forwarded),
                          at=moment)
    audit.record(staff, Action.COMPLAINT_FORWARDED, application_id=application.id,
                 before={"complaint": complaint},
                 after={"complaint": complaint | forwarded,
                        "package": sorted(package)}, ip=ip)
    _notify(application, SMS_COMPLAINT_FORWARDED)
    notices.commit()
    return reference


def change_entry(staff: StaffMember, application: Application, move: str, reason: str | None,
                 note: str, ip: str | None) -> None:
    """Suspend (with why), restore or close an entry on the list (portal.domain.housing.queue):
    a conditional UPDATE of the entry, its state and history in the application's data, the
    audit record and the applicant's SMS in one transaction. A suspension and a closing are
    motivated; `entry_changed` when the entry is no longer where it was."""
    chosen = queue_rules.EntryMove(move)
    if not queue_rules.reason_allowed(chosen, reason or None):
        raise OfficeRefused("unknown_reason")
    text = _motivation(note) if chosen is not queue_rules.EntryMove.RESTORE else \
        (note or "").strip()[:MAX_MOTIVATION]
    moment = now()
    lifecycle.lock(application, moment)
    if application.status != AppStatus.IN_QUEUE:
        db.session.rollback()
        raise OfficeRefused("status_changed", status=application.status)
    entry = housing_queue.entry_of(application)
    sources, target = queue_rules.ENTRY_MOVES[chosen]
    if entry is None or not housing_queue.move_entry(entry, [s.value for s in sources], target):
        db.session.rollback()
        raise OfficeRefused("entry_changed")
    state = {"status": target.value, "move": chosen.value, "reason": reason or None,
             "note": text, "at": moment.isoformat(), "by": staff.login}
    before = {"entry": (application.data or {}).get("entry_state"),
              "entry_status": sources[0].value if len(sources) == 1 else None}
    lifecycle.change_data(application, lambda data: data.setdefault(
        "entry_history", []).append(state), at=moment, entry_state=state)
    lifecycle.record(application, application.status, f"staff:{staff.login}",
                     f"entry {chosen.value}" + (f": {reason}" if reason else ""), moment)
    action = {queue_rules.EntryMove.SUSPEND: Action.ENTRY_SUSPENDED,
              queue_rules.EntryMove.RESTORE: Action.ENTRY_RESTORED,
              queue_rules.EntryMove.CLOSE: Action.ENTRY_CLOSED}[chosen]
    audit.record(staff, action, application_id=application.id, before=before,
                 after={"entry": state}, ip=ip)
    _notify(application, SMS_ENTRY)
    notices.commit()
