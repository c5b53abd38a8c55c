"""The hearing before a final refusal [002 p.17]: the preliminary refusal that schedules it
inside the window the Rules allow, its minutes, and the outcome, only after its moment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.clock import ALMATY, now
from portal.core.models import Application, AppStatus
from portal.core.services import lifecycle, notices
from portal.core.services.sms_texts import SmsText
from portal.domain.housing import deadlines
from portal.domain.housing import office as rules
from portal.domain.housing.grounds import Ground, decision_grounds
from portal.extensions import db
from portal.housing.office.services import housing_office as office
from portal.housing.office.services import rechecks
from portal.housing.office.staff import audit
from portal.housing.office.staff.models import StaffMember
from portal.housing.services import documents, housing_sms

SMS_PRELIMINARY = SmsText(housing_sms.DECISIONS[AppStatus.PRELIMINARY_REFUSAL].message)
SMS_REFUSED = housing_sms.REFUSED
MAX_PLACE = 45  # the office's address or phone: the hearing's SMS must stay in three parts
MAX_MINUTES = 4000


@dataclass(frozen=True)
class Proposed:
    hearing_at: dt.datetime
    notice_in_time: bool


def proposed_hearing(application: Application, at: dt.datetime | None = None) -> Proposed:
    """The hearing the system proposes if a preliminary refusal went now [002 p.17]."""
    moment = at or now()
    plan = deadlines.hearing_plan(application.submitted_at or moment, moment)
    return Proposed(plan.hearing_at, plan.notice_in_time)


@dataclass(frozen=True)
class Hearing:
    """The hearing the officer schedules with a preliminary refusal [002 p.17]: its moment
    (None: the one the system proposes) and how the applicant takes part."""

    at: dt.datetime | None = None
    way: str = deadlines.HearingWay.ONLINE
    place: str = ""


def _scheduled(hearing: Hearing, plan: deadlines.HearingPlan, moment: dt.datetime) -> dict:
    """The hearing's data, or office.OfficeRefused with the reason the Rules refuse it."""
    try:
        way = deadlines.HearingWay(hearing.way or deadlines.HearingWay.ONLINE)
    except ValueError:
        raise office.OfficeRefused("hearing_way_unknown") from None
    place = " ".join((hearing.place or "").split())
    if way is not deadlines.HearingWay.ONLINE and not place:
        raise office.OfficeRefused("hearing_place_missing")
    if len(place) > MAX_PLACE:
        raise office.OfficeRefused("hearing_place_too_long", max=MAX_PLACE)
    at = (hearing.at or plan.hearing_at).astimezone(ALMATY)
    reason = deadlines.hearing_refusal(moment, at)
    if reason:
        raise office.OfficeRefused(reason)
    return {"hearing_at": at.isoformat(), "hearing_way": way.value, "hearing_place": place}


def refuse_preliminarily(staff: StaffMember, application: Application, facts,
                         chosen: list[str], motivation: str, ip: str | None,
                         hearing: Hearing | None = None) -> dt.datetime:
    """The emergency review finds grounds: a preliminary refusal with the grounds, the
    motivation and the hearing [002 p.17], scheduled inside the window the Rules allow
    (deadlines.hearing_refusal). Returns the hearing's moment."""
    text = office.motivated(motivation)
    computed, _office = office.office_grounds_choices(application, facts)
    try:
        picked = [Ground(code) for code in chosen]
        grounds = decision_grounds([g for g in picked if g in computed],
                                   [g for g in picked if g not in computed])
    except ValueError:
        raise office.OfficeRefused("unknown_ground") from None
    if not grounds:
        raise office.OfficeRefused("no_grounds")
    moment = now()
    # On the list with an open re-check (rechecks): the same path, its window counted from
    # the re-check's moment [design] (the submission's days are long past).
    recheck = rules.open_recheck(application.status, application.data or {})
    started = dt.datetime.fromisoformat(recheck["at"]) if recheck else \
        (application.submitted_at or moment)
    plan = deadlines.hearing_plan(started, moment)
    scheduled = _scheduled(hearing or Hearing(), plan, moment)
    lifecycle.lock(application, moment)
    before = office.snapshot(application)
    sources = (AppStatus.IN_QUEUE,) if recheck else rules.REVIEW_FROM
    if recheck and rules.open_recheck(application.status, application.data or {}) is None:
        db.session.rollback()
        raise office.OfficeRefused("item_handled")
    office.move_status(application, sources, AppStatus.PRELIMINARY_REFUSAL, staff,
          "grounds: " + ", ".join(grounds), moment)
    if recheck:
        rechecks.refuse_from_list(application, staff, moment, text)
    lifecycle.change_data(application, at=moment, grounds=[g.value for g in grounds],
                          notice_due=plan.deadline.isoformat(), motivation=text, **scheduled)
    audit.record(staff, office.Action.PRELIMINARY_REFUSAL, application_id=application.id,
                 before=before, after=office.snapshot(application) | {"motivation": text}, ip=ip)
    office.notify(application, SMS_PRELIMINARY)
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
            raise office.OfficeRefused("unknown_file")
        participants = " ".join(self.participants.split())
        if not participants:
            raise office.OfficeRefused("no_participants")
        if len(participants) + len(self.statement) > MAX_MINUTES:
            raise office.OfficeRefused("minutes_too_long")
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
    text = office.motivated(motivation) if rules.motivation_required(chosen) else \
        (motivation or "").strip()[:office.MAX_MOTIVATION]
    recorded = (minutes or Minutes()).as_data(application)
    moment = now()
    lifecycle.lock(application, moment)
    if application.status in rules.HEARING_FROM and not decision_open(application, moment):
        db.session.rollback()
        raise office.OfficeRefused("hearing_not_yet")
    before = office.snapshot(application)
    from_list = bool((application.data or {}).get("from_list"))
    if chosen is rules.HearingOutcome.REGISTERED and from_list:
        office.move_status(application, rules.HEARING_FROM, AppStatus.IN_QUEUE, staff,
                           "kept in the list after the hearing", moment)
        action = office.Action.HEARING_REGISTERED
    elif chosen is rules.HearingOutcome.REGISTERED:
        office.register_in_list(application, staff, rules.HEARING_FROM, facts, moment,
                  "registered after the hearing")
        action = office.Action.HEARING_REGISTERED
    else:
        office.move_status(application, rules.HEARING_FROM, AppStatus.REFUSED, staff,
              "refused after the hearing", moment, final=True)
        action = office.Action.HEARING_REFUSED
    if from_list:  # the entry it held: restored, or closed [rechecks]
        rechecks.after_hearing(application, chosen is rules.HearingOutcome.REGISTERED, staff,
                               moment)
    hearing = {"outcome": chosen.value, "text": text, "at": moment.isoformat(),
               "by": staff.login, "minutes": recorded}
    refusal = {"refusal_motivation": text} if chosen is rules.HearingOutcome.REFUSED else {}
    lifecycle.change_data(application, at=moment, hearing=hearing, **refusal)
    audit.record(staff, action, application_id=application.id, before=before,
                 after=office.snapshot(application) | {"hearing": hearing}, ip=ip)
    office.notify(application, office.SMS_REGISTERED if chosen is rules.HearingOutcome.REGISTERED
            else SMS_REFUSED)
    notices.commit()


