"""The housing list after submission (SPEC §2): the applicant's place in the queue, withdrawal,
new contacts, the objection before the hearing and complaints. Drafting, submission and the
system's decision are portal.housing.services.housing."""

from __future__ import annotations

import datetime as dt

from portal.clock import now
from portal.core.models import Application, AppStatus
from portal.core.services import lifecycle
from portal.domain import limits
from portal.domain.housing import deadlines
from portal.extensions import db
from portal.housing.services import housing_queue
from portal.housing.services.housing import HousingRefused, add_document

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


def complain(application: Application, body: str, text: str) -> dt.date:
    """A complaint against a decision, registered now; returns the day its review is due."""
    chosen = deadlines.ComplaintBody(body)
    moment = now()
    due = deadlines.complaint_due(chosen, moment)
    lifecycle.lock(application, moment)  # the complaints as committed now: none is lost
    if application.status == AppStatus.DRAFT:
        db.session.rollback()
        raise HousingRefused("not_submitted")
    if len((application.data or {}).get("complaints", [])) >= limits.COMPLAINTS_PER_APPLICATION:
        db.session.rollback()
        raise HousingRefused("too_many_complaints")
    lifecycle.change_data(application, lambda data: data.setdefault("complaints", []).append(
        {"body": chosen.value, "text": text.strip(), "at": moment.isoformat(),
         "due": due.isoformat()}), at=moment)
    lifecycle.record(application, application.status, lifecycle.APPLICANT,
                     f"complaint to {chosen.value}, due {due.isoformat()}", moment)
    db.session.commit()
    return due
