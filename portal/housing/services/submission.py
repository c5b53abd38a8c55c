"""Submission and the decision the system takes by itself (portal.housing.services.housing's
docstring says when): the signed application is numbered, then registered in its list, refused
preliminarily with a hearing, or left for an officer; outside working time it waits for the
next working day's job."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from portal.clock import ALMATY, now
from portal.core.models import Application, AppStatus, Service
from portal.core.registries import RegistryUnavailable
from portal.core.services import lifecycle, notices, numbering, signing, turns
from portal.core.services.catalogue import Incomplete, require_complete
from portal.domain import working_days
from portal.domain.housing import categories, deadlines, queue
from portal.domain.housing.facts import Answers, Case, HousingFacts
from portal.domain.housing.grounds import refusal_grounds
from portal.domain.people import Person
from portal.domain.phones import InvalidPhone, normalize_mobile
from portal.extensions import db
from portal.housing.services import housing_mail, housing_queue
from portal.housing.services.errors import HousingRefused
from portal.housing.services.housing import answer, answers_of, facts_of
from portal.housing.services.housing_sms import values as sms_values
from portal.housing.services.standing import refuse_if_applied

PREFIX = "H"


@dataclass(frozen=True)
class Decision:
    status: str
    grounds: tuple[str, ...]
    number: str


def submit(application: Application, applicant: Person, code: str, signed_text: str,
           ip: str | None, sms_texts: dict, lang: str | None = None) -> Decision:
    """Check the code, submit, decide (module docstring). Raises catalogue.Incomplete,
    signing.CodeRejected or HousingRefused; nothing is saved then."""
    require_complete(application)  # before the code is used: a missing answer costs no try
    facts = facts_of(application)  # before the code is used: an unavailable registry keeps it
    if facts is None:
        raise HousingRefused("no_subject")
    signing.sign_with_code(application, applicant.iin, code, signed_text, ip)
    try:
        decision = _submit_signed(application, facts, sms_texts, "signed with an SMS code",
                                  lang)
    except (Incomplete, HousingRefused):
        db.session.rollback()  # the Signature just recorded goes too
        raise
    if decision is None:
        db.session.rollback()
        raise HousingRefused("already_submitted")
    notices.commit()
    return decision


def submit_signed_with_ecp(application: Application, sms_texts: dict,
                           lang: str | None = None) -> bool:
    """The ЭЦП signature is recorded (portal.ecp.signing, which commits): submit and
    decide in the same transaction. False when it was no longer a draft."""
    facts = facts_of(application)
    if facts is None:
        raise HousingRefused("no_subject")
    return _submit_signed(application, facts, sms_texts, "signed with ЭЦП", lang) is not None


def _submit_signed(application: Application, facts: HousingFacts, sms_texts: dict,
                   note: str, lang: str | None = None) -> Decision | None:
    require_complete(application)  # again at the moment of submission, whatever signed it
    moment = now()
    # The person's turn: parallel submissions for one person (tabs, drafts) take turns, and
    # each sees what the one before committed.
    turns.take_turn(f"housing:{application.subject_iin}")
    if lifecycle.current_status(application) != AppStatus.DRAFT:
        return None
    refuse_if_applied(application.subject_iin, application.id)
    if not lifecycle.claim_for_submission(application, note=note, at=moment):
        return None
    numbering.assign(application, PREFIX, moment)
    taken = working_days.taken_at(moment)
    if taken > moment:  # outside working time: taken, and decided, on the next working day
        lifecycle.change_data(application, at=moment, lang=lang,
                              taken_at=taken.isoformat(), decision_due=deadlines.decision_due(
                                  Case(answer(application, "case")), moment).isoformat())
        lifecycle.record(application, AppStatus.SUBMITTED, lifecycle.SYSTEM,
                         f"outside working time: taken on {taken.date().isoformat()}", moment)
        return Decision(AppStatus.SUBMITTED, (), application.number)
    # The office's later SMS go in the language the applicant submitted in.
    decision = decide(application, facts, moment, lang=lang)
    text = sms_texts[decision.status]
    notify_applicant(application, text.format(lang, **sms_values(application)))
    return decision


def decide_waiting(sms_texts: dict) -> int:
    """The job (`flask jobs run`): decide, and notify, each application made outside working
    time whose working day has come [002 App.1 row 7 sub 2]; one transaction each. Safe on
    several machines at once: the application's row is taken and its status read again first.
    Returns how many were decided; one whose registry does not answer waits for the next run."""
    moment = now()
    waiting = db.session.scalars(sa.select(Application).where(
        Application.service == Service.HOUSING, Application.status == AppStatus.SUBMITTED)
        .order_by(Application.submitted_at, Application.id)).all()
    decided = 0
    for application in waiting:
        taken = (application.data or {}).get("taken_at")
        if not taken or dt.datetime.fromisoformat(taken) > moment:
            continue
        try:
            facts = facts_of(application)  # before the lock: the registry may be slow
            lifecycle.lock(application, moment)
            if application.status != AppStatus.SUBMITTED or facts is None:
                db.session.rollback()
                continue
            lang = answer(application, "lang")
            decision = decide(application, facts, moment)
        except (RegistryUnavailable, HousingRefused):
            db.session.rollback()
            continue
        notify_applicant(application, sms_texts[decision.status].format(
            lang, **sms_values(application)))
        notices.commit()
        decided += 1
    return decided


def notify_applicant(application: Application, text: str):
    """A notice about the application (a decision, a hearing, an answer), to the contacts the
    applicant gave. By SMS: none when they opted out of SMS; else the mobile phone of the
    application (the contacts step, or "update contacts"), or the mobile citizens' database's
    number when the application holds none. By e-mail as well, whatever the SMS choice, when
    they gave an e-mail address (housing_mail). Signing codes never come here: they go to the
    database's number only (portal.core.services.signing). Returns the SMS, if any."""
    housing_mail.queue(application, text)
    data = application.data or {}
    if data.get("sms_consent") is False:
        return None
    try:
        phone = normalize_mobile(data.get("phone"))
    except InvalidPhone:
        return notices.notify_applicant(application, text)
    return notices.queue_sms(phone, text, notices.APPLICANT_NOTICE)


def decide(application: Application, facts: HousingFacts, moment: dt.datetime,
           **values) -> Decision:
    """The system's own decision at submission (module docstring), from the answers as
    committed (under the application's lock); `values` go into its data as well."""
    lifecycle.lock(application, moment)
    today = moment.astimezone(ALMATY).date()
    answers = answers_of(application, facts, today)
    grounds = [g.value for g in refusal_grounds(facts, answers, today)]
    # applicant_name: as the registries gave it, for the office's work list to show from the
    # row (no registry call per row).
    values.update(grounds=grounds, applicant_name=facts.applicant.full_name,
                  decision_due=deadlines.decision_due(answers.case, moment).isoformat())
    status = _decide_status(application, facts, answers, grounds, moment, values)
    lifecycle.change_data(application, at=moment, **values)
    return Decision(status, tuple(grounds), application.number)


def _decide_status(application, facts, answers, grounds, moment, data) -> str:
    """The status, recorded; what it adds to the application's data goes into `data`."""
    if answers.case is Case.EMERGENCY and not grounds:
        lifecycle.record(application, AppStatus.UNDER_REVIEW, lifecycle.SYSTEM,
                         "emergency case: waits for an officer", moment)
        return AppStatus.UNDER_REVIEW
    if grounds:
        plan = deadlines.hearing_plan(moment, moment)
        data["hearing_at"] = plan.hearing_at.isoformat()
        data["notice_due"] = plan.deadline.isoformat()
        lifecycle.record(application, AppStatus.PRELIMINARY_REFUSAL, lifecycle.SYSTEM,
                         "grounds: " + ", ".join(grounds), moment)
        return AppStatus.PRELIMINARY_REFUSAL
    entry = enter_list(application, facts, answers, moment)
    data.update(listed(entry))
    lifecycle.record(application, AppStatus.IN_QUEUE, lifecycle.SYSTEM,
                     f"registered: {entry.settlement_code}/{entry.list_code} No. {entry.number}",
                     moment)
    return AppStatus.IN_QUEUE


def enter_list(application: Application, facts: HousingFacts, answers: Answers,
               moment: dt.datetime):
    """The application's place in its list (the system's decision and the office's alike):
    the number from the list's counter; `listed(entry)` is what the application's data keeps
    of it. The order in the list is the submission's moment, whoever registers it and when.

    A person who holds a place in the list already (another application of theirs) gets no
    second one: everything is rolled back and HousingRefused("already_listed") raised, so
    nobody is told "registered" when nothing was kept."""
    status = categories.category_status(facts, answers.category)
    key = queue.list_for(answers.settlement_code, answers.category, status)
    try:
        return housing_queue.register(application, key, application.submitted_at or moment,
                                      moment)
    except housing_queue.AlreadyListed:
        db.session.rollback()
        raise HousingRefused("already_listed") from None


def listed(entry) -> dict:
    """What the application's data keeps of its place in the list."""
    return {"list_code": entry.list_code, "queue_number": entry.number}
