"""The housing list after submission (SPEC §2): the applicant's place in the queue, withdrawal,
new contacts, the objection before the hearing and complaints. Drafting is
portal.housing.services.housing; submission and the system's decision, .submission."""

from __future__ import annotations

import datetime as dt

from portal.clock import ALMATY, now
from portal.core.models import Application, AppStatus
from portal.core.services import lifecycle
from portal.domain import limits
from portal.domain.housing import categories, deadlines, queue
from portal.domain.housing import office as office_rules
from portal.domain.housing.facts import Case
from portal.domain.housing.queue import EntryStatus
from portal.extensions import db
from portal.housing.services import housing_queue
from portal.housing.services.documents import add_document
from portal.housing.services.errors import HousingRefused
from portal.housing.services.housing import facts_of as housing_facts_of

# --- after registration ----------------------------------------------------------------------

def withdraw(application: Application) -> None:
    sources = (AppStatus.IN_QUEUE, AppStatus.UNDER_REVIEW, AppStatus.PRELIMINARY_REFUSAL,
               AppStatus.SUBMITTED)
    if not lifecycle.close(application, AppStatus.WITHDRAWN, lifecycle.APPLICANT,
                           "withdrawn by the applicant", from_statuses=sources):
        db.session.rollback()
        raise HousingRefused("cannot_withdraw")
    entry = housing_queue.entry_of(application)
    if entry is not None:
        housing_queue.close(entry)
    db.session.commit()


def update_contacts_after(application: Application, phone: str, email: str, sms: bool) -> None:
    lifecycle.change_data(application, phone=phone, email=email or "", sms_consent=bool(sms))
    lifecycle.record(application, application.status, lifecycle.APPLICANT, "contacts changed")
    db.session.commit()


def place_of(application: Application):
    return housing_queue.place_of(housing_queue.entry_of(application))


def public_place(settlement_code: str, list_code: str, number: int):
    return housing_queue.place_of(housing_queue.entry_by_number(settlement_code, list_code,
                                                                number))


# --- objection before the hearing, complaints ----------------------------------------------

def hearing_waived(data: dict) -> bool:
    """Whether the applicant, objecting, waived the hearing (deadlines.final_decision_open)."""
    return any(o.get("waive") for o in data.get("objections", []))


def hearing_moment(data: dict) -> dt.datetime | None:
    return dt.datetime.fromisoformat(data["hearing_at"]) if data.get("hearing_at") else None


def objection_open(application: Application, moment: dt.datetime | None = None) -> bool:
    """Whether the applicant may still object now (the page hides the form otherwise)."""
    data = application.data or {}
    hearing_at = hearing_moment(data)
    return application.status == AppStatus.PRELIMINARY_REFUSAL and hearing_at is not None and \
        deadlines.objection_window_open(hearing_at, hearing_waived(data), moment or now())


def object_to(application: Application, text: str, filename: str | None,
              content: bytes | None, waive: bool = False) -> None:
    """The applicant's objection to a preliminary refusal, before the hearing [002 p.17];
    `waive`: they ask for the decision on it without waiting for the hearing. After the
    hearing's moment (or a waiver) it is refused with "hearing_passed"."""
    moment = now()
    lifecycle.lock(application, moment)  # the status and the objections as committed now
    if application.status != AppStatus.PRELIMINARY_REFUSAL:
        db.session.rollback()
        raise HousingRefused("not_preliminary")
    if not objection_open(application, moment):
        db.session.rollback()
        raise HousingRefused("hearing_passed")
    if len((application.data or {}).get("objections", [])) >= limits.OBJECTIONS_PER_APPLICATION:
        db.session.rollback()
        raise HousingRefused("too_many_objections")
    if content:  # first: a refused file (type, size, caps) leaves the objection unsent
        add_document(application, "objection", filename or "", content)
    lifecycle.change_data(application, lambda data: data.setdefault("objections", []).append(
        {"text": text.strip(), "at": moment.isoformat(), "waive": bool(waive)}), at=moment)
    lifecycle.record(application, application.status, lifecycle.APPLICANT,
                     "objection sent, hearing waived" if waive else "objection sent")
    db.session.commit()  # the objection and its file together


def awaited_due(application: Application) -> dt.date | None:
    """The due day of what the application awaits from the office: the decision (submitted,
    under review) or the hearing's outcome (preliminary refusal); None when nothing."""
    data = application.data or {}
    if application.status == AppStatus.UNDER_REVIEW and data.get("decision_due"):
        return dt.date.fromisoformat(data["decision_due"])
    if application.status == AppStatus.SUBMITTED and application.submitted_at:
        return deadlines.decision_due(Case(data.get("case", Case.NO_HOUSING)),
                                      application.submitted_at)
    if application.status == AppStatus.PRELIMINARY_REFUSAL and data.get("hearing_at"):
        return dt.datetime.fromisoformat(data["hearing_at"]).astimezone(ALMATY).date()
    return None


def complaint_subjects(application: Application,
                       at: dt.datetime | None = None) -> list[office_rules.ComplaintSubject]:
    """What this application can be complained about now (portal.domain.housing.office)."""
    moment = at or now()
    return office_rules.complaint_subjects(application.status, awaited_due(application),
                                           moment.astimezone(ALMATY).date())


def complain(application: Application, body: str, text: str,
             subject: str = office_rules.ComplaintSubject.DECISION) -> dt.date:
    """A complaint about a decision, an action or a delay, registered now; returns the day its
    review is due. One to the quality authority also gets its forward due day: the provider
    forwards it within 3 working days unless it satisfies it fully [002 p.19]. HousingRefused
    `nothing_to_complain` where the application has no such decision, action or delay."""
    chosen = deadlines.ComplaintBody(body)
    about = office_rules.ComplaintSubject(subject)
    moment = now()
    due = deadlines.complaint_due(chosen, moment)
    lifecycle.lock(application, moment)  # the complaints as committed now: none is lost
    if application.status == AppStatus.DRAFT:
        db.session.rollback()
        raise HousingRefused("not_submitted")
    if about not in complaint_subjects(application, moment):
        db.session.rollback()
        raise HousingRefused("nothing_to_complain")
    if len((application.data or {}).get("complaints", [])) >= limits.COMPLAINTS_PER_APPLICATION:
        db.session.rollback()
        raise HousingRefused("too_many_complaints")
    complaint = {"body": chosen.value, "subject": about.value, "text": text.strip(),
                 "at": moment.isoformat(), "due": due.isoformat(),
                 "status_then": application.status}
    if chosen is deadlines.ComplaintBody.QUALITY_AUTHORITY:
        complaint["forward_due"] = deadlines.complaint_forward_due(moment).isoformat()
    lifecycle.change_data(application, lambda data: data.setdefault("complaints", []).append(
        complaint), at=moment)
    lifecycle.record(application, application.status, lifecycle.APPLICANT,
                     f"complaint to {chosen.value} about {about.value}, due {due.isoformat()}",
                     moment)
    db.session.commit()
    return due


# --- the category corrected after registration [002 p.9] ------------------------------------

def recheck_category(application: Application, category: str, filename: str | None,
                     content: bytes | None) -> bool:
    """On the list, the applicant asks to re-check a category once the authority has
    corrected its data [002 p.9]: a category whose data is often missing from the state
    databases takes supporting files (catalogue `needs_supporting_data`). Where the registries
    now confirm it, the entry moves to the category's list with its original date (the order
    is the submission's moment; the number is the new list's next); else the request and its
    files are kept for the office. Returns whether it moved. HousingRefused `not_listed`,
    `unknown_category`, `already_listed` (a place in that list already)."""
    try:
        chosen = categories.category(category)
    except KeyError:
        raise HousingRefused("unknown_category") from None
    facts = housing_facts_of(application)  # before the lock: the registry may be slow
    moment = now()
    lifecycle.lock(application, moment)
    entry = housing_queue.entry_of(application)
    if application.status != AppStatus.IN_QUEUE or entry is None or \
            entry.status == EntryStatus.CLOSED.value:
        db.session.rollback()
        raise HousingRefused("not_listed")
    if content and chosen.needs_supporting_data:
        add_document(application, "category_support", filename or "", content)
    before = {"list_code": entry.list_code, "number": entry.number}
    request = {"category": chosen.code, "at": moment.isoformat(), "from": before,
               "file": bool(content and chosen.needs_supporting_data)}
    status = categories.category_status(facts, chosen.code) if facts else None
    moved = False
    if status is categories.CategoryStatus.CONFIRMED and entry.list_code != chosen.code:
        key = queue.ListKey(entry.settlement_code, chosen.code)
        if entry.person_iin and housing_queue.held_place(entry.person_iin, key) is not None:
            db.session.rollback()
            raise HousingRefused("already_listed")
        housing_queue.move_to_list(entry, key)
        moved = True
        request["to"] = {"list_code": entry.list_code, "number": entry.number}
    request["outcome"] = "moved" if moved else "not_confirmed"
    lifecycle.change_data(application, lambda data: data.setdefault(
        "category_requests", []).append(request), at=moment,
        **({"category": chosen.code, "list_code": entry.list_code,
            "queue_number": entry.number} if moved else {}))
    lifecycle.record(application, application.status, lifecycle.APPLICANT,
                     f"category re-check: {chosen.code}, " +
                     (f"moved to {entry.list_code} No. {entry.number}" if moved
                      else "not confirmed by the registries"), moment)
    db.session.commit()
    return moved
