"""The head's side of complaints [002 p.18-19]: an answer (satisfied, partly, not) within 5
working days, or, for a complaint to the quality authority, full satisfaction or the forward
of the administrative file within 3."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from portal.clock import ALMATY, now
from portal.core.models import Application
from portal.core.services import lifecycle, notices
from portal.core.services.sms_texts import SmsText
from portal.domain.housing import office as rules
from portal.extensions import db
from portal.housing.office.services import authority
from portal.housing.office.services import housing_office as office
from portal.housing.office.staff import audit
from portal.housing.office.staff.models import StaffMember

SMS_COMPLAINT_ANSWERED = SmsText(_l(
    "Mekenjai: application %(number)s: your complaint is answered. The answer is on its "
    "page: %(link)s"))

SMS_COMPLAINT_FORWARDED = SmsText(_l(
    "Mekenjai: application %(number)s: your complaint is forwarded to the authority for "
    "quality of public services; it answers within 15 working days. %(link)s"))


def answer_complaint(staff: StaffMember, application: Application, index: int, outcome: str,
                     text: str, facts, ip: str | None) -> None:
    """The head's answer to a complaint [002 p.18]: satisfied changes the decision (module
    docstring of portal.domain.housing.office); partly and refused are motivated. Head only.
    A complaint to the quality authority may only be satisfied fully, and only within its 3
    working days to forward [002 p.19]: it then closes and is not forwarded."""
    if not staff.is_head:
        raise office.OfficeRefused("head_only")
    chosen = rules.ComplaintOutcome(outcome)
    answer = office.motivated(text)
    moment = now()
    # A second answer to the same complaint waits here and then sees the first one's.
    lifecycle.lock(application, moment)
    complaints = (application.data or {}).get("complaints", [])
    open_ = dict(rules.open_complaints(complaints))
    forwards = dict(rules.open_forwards(complaints))
    if index in forwards:
        if chosen is not rules.ComplaintOutcome.SATISFIED:
            db.session.rollback()
            raise office.OfficeRefused("forward_only_fully")
        if not rules.may_satisfy_instead_of_forwarding(forwards[index],
                                                       moment.astimezone(ALMATY).date()):
            db.session.rollback()
            raise office.OfficeRefused("forward_overdue")
        open_[index] = forwards[index]
    if index not in open_:
        db.session.rollback()
        raise office.OfficeRefused("already_answered")
    before = office.snapshot(application) | {"complaint": open_[index]}
    if chosen is rules.ComplaintOutcome.SATISFIED and \
            application.status in rules.COMPLAINT_REGISTERS_FROM:
        office.register_in_list(application, staff, rules.COMPLAINT_REGISTERS_FROM, facts, moment,
                  "registered: complaint satisfied by the head")
    answered = {"answered_at": moment.isoformat(), "outcome": chosen.value, "answer": answer,
                "by": staff.login}
    lifecycle.change_data(application, lambda data: data["complaints"][index].update(answered),
                          at=moment)
    action = {rules.ComplaintOutcome.SATISFIED: office.Action.COMPLAINT_SATISFIED,
              rules.ComplaintOutcome.PARTLY: office.Action.COMPLAINT_PARTLY,
              rules.ComplaintOutcome.REFUSED: office.Action.COMPLAINT_REFUSED}[chosen]
    audit.record(staff, action, application_id=application.id, before=before,
                 after=office.snapshot(application) | {"complaint": open_[index] | answered}, ip=ip)
    office.notify(application, SMS_COMPLAINT_ANSWERED)
    notices.commit()


def forward_complaint(staff: StaffMember, application: Application, index: int,
                      ip: str | None) -> str:
    """Forward a complaint to the quality authority with the administrative file [002 p.19]:
    the package is assembled and handed to the authority's adapter, the complaint marked
    forwarded, the applicant told. Head only; once (a second forward is `already_forwarded`).
    Returns the authority's reference. A forward past its due day is still made (late)."""
    if not staff.is_head:
        raise office.OfficeRefused("head_only")
    moment = now()
    lifecycle.lock(application, moment)  # a parallel forward or answer waits, then sees this
    forwards = dict(rules.open_forwards((application.data or {}).get("complaints", [])))
    if index not in forwards:
        db.session.rollback()
        raise office.OfficeRefused("already_forwarded")
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
    audit.record(staff, office.Action.COMPLAINT_FORWARDED, application_id=application.id,
                 before={"complaint": complaint},
                 after={"complaint": complaint | forwarded,
                        "package": sorted(package)}, ip=ip)
    office.notify(application, SMS_COMPLAINT_FORWARDED)
    notices.commit()
    return reference


