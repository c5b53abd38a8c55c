"""The housing office's decisions (SPEC §2): who sees what, the work list, the emergency review
and the entries on the list; the hearing is in .hearings, the head's side of complaints in
.complaints. The rules are portal.domain.housing.office.

Every decision is one transaction: the status moves conditionally (lifecycle.move: of two
clicks or ten parallel requests exactly one acts), the StaffAudit record with before and after
and the applicant's SMS are added to it, and notices.commit() commits then sends. A decision on
an application that moved meanwhile is refused with `status_changed` and changes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from portal.clock import ALMATY, local_today, now
from portal.core.models import Application, AppStatus, Service
from portal.core.services import lifecycle, notices
from portal.core.services.errors import Refused
from portal.core.services.sms_texts import SmsText
from portal.domain.housing import office as rules
from portal.domain.housing import queue as queue_rules
from portal.domain.housing.grounds import OFFICE_GROUNDS, Ground, decision_grounds
from portal.extensions import db
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

@functools.cache
def candidates_statement() -> sa.Select:
    # Built once: building it per page cost more than running it.
    text = sa.cast(Application.data, sa.Text)
    has_complaint = text.contains('"complaints"')
    has_recheck = text.contains('"recheck"')
    has_category = text.contains('"category_requests"')
    return sa.select(Application).where(
        Application.service == Service.HOUSING,
        sa.or_(Application.status.in_(rules.REVIEW_FROM + rules.HEARING_FROM), has_complaint,
               has_recheck, has_category))


def _candidates():
    """Housing applications that may await staff: under review, before a hearing, or with a
    complaint (a JSON text match keeps it one query on SQLite and PostgreSQL alike)."""
    return db.session.scalars(candidates_statement())


def applicant_name(application: Application) -> str:
    """The person to be registered as the registries named them at submission
    (data["applicant_name"], kept by submission), else "": read from the row, no registry
    call."""
    return (application.data or {}).get("applicant_name", "")


def work_list(staff: StaffMember, settlement: str | None = None, kind: str | None = None,
              today: dt.date | None = None) -> list[rules.WorkItem]:
    """Everything awaiting this staff member, overdue first (portal.domain.housing.office),
    with the applicant's name and whether an objection arrived: all from the one statement of
    _candidates (the rows carry what the page shows)."""
    day = today or local_today()
    items = []
    for application in _candidates():
        if not handles(staff, application):
            continue
        data = application.data or {}
        shown = {"applicant": applicant_name(application),
                 "objected": bool(data.get("objections"))}
        items += [dataclasses.replace(item, **shown) for item in rules.items_of(
            application.id, application.number or "", application.status, data, day,
            include_complaints=staff.is_head, submitted_at=application.submitted_at)]
    items = [i for i in items if (not settlement or i.settlement_code == settlement)
             and (not kind or i.kind == kind)]
    return sorted(items, key=rules.sort_key)


# --- what the application page shows ---------------------------------------------------------

def office_grounds_choices(application: Application, facts) -> tuple[list[Ground], list[Ground]]:
    """(computed now from the registries, the office may add): the grounds offered."""
    computed = housing.grounds_now(application, facts) if facts else []
    offered = decision_grounds(computed, [])
    return offered, [g for g in Ground if g in OFFICE_GROUNDS and g not in offered]


# --- decisions -------------------------------------------------------------------------------

def motivated(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise OfficeRefused("no_motivation")
    if len(text) > MAX_MOTIVATION:
        raise OfficeRefused("motivation_too_long")
    return text


def snapshot(application: Application) -> dict:
    data = application.data or {}
    return {"status": application.status, "queue_number": data.get("queue_number"),
            "grounds": data.get("grounds", []), "hearing_at": data.get("hearing_at")}


def move_status(application: Application, from_statuses, to_status: str, staff: StaffMember,
          note: str, moment: dt.datetime, final: bool = False) -> None:
    values = {"closed_at": moment} if final else {"closed_at": None, "outcome": None}
    try:
        lifecycle.require_move(application, from_statuses, to_status, f"staff:{staff.login}",
                               note, moment, **values)
    except Refused as refused:
        db.session.rollback()
        raise OfficeRefused("status_changed", **refused.context) from None


def notify(application: Application, text: SmsText) -> None:
    lang = (application.data or {}).get("lang")
    submission.notify_applicant(application, text.format(  # the applicant's contacts
        lang, **housing_sms.values(application)))


def register_in_list(application: Application, staff: StaffMember, from_statuses, facts,
              moment: dt.datetime, note: str) -> int:
    """Move to IN_QUEUE (conditionally) and give the number, as the system's own decision does
    (submission.enter_list). Not committed; OfficeRefused("already_listed") when the person holds
    a place in the list already (nothing changed then)."""
    move_status(application, from_statuses, AppStatus.IN_QUEUE, staff, note, moment)
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
    before = snapshot(application)
    number = register_in_list(application, staff, rules.REVIEW_FROM, facts, moment,
                       "emergency case confirmed by the office")
    audit.record(staff, Action.REGISTER, application_id=application.id, before=before,
                 after=snapshot(application), ip=ip)
    notify(application, SMS_REGISTERED)
    notices.commit()
    return number


def change_entry(staff: StaffMember, application: Application, move: str, reason: str | None,
                 note: str, ip: str | None) -> None:
    """Suspend (with why), restore or close an entry on the list (portal.domain.housing.queue):
    a conditional UPDATE of the entry, its state and history in the application's data, the
    audit record and the applicant's SMS in one transaction. A suspension and a closing are
    motivated; `entry_changed` when the entry is no longer where it was."""
    chosen = queue_rules.EntryMove(move)
    if not queue_rules.reason_allowed(chosen, reason or None):
        raise OfficeRefused("unknown_reason")
    text = motivated(note) if chosen is not queue_rules.EntryMove.RESTORE else \
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
    notify(application, SMS_ENTRY)
    notices.commit()
