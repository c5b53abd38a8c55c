"""The housing waiting list, the citizen's side (SPEC §2): drafts, answers, submission and the
decision the system takes by itself.

A draft is a shared `Application` (service "housing"): `subject_iin` is the person to be
registered (the applicant, or the minor or ward they represent), `data` holds the answers.
Every function that changes something is one transaction.

When the system decides (documented in docs/housing.md): at submission. The no-housing case is
decided in the same transaction that submits it (the Rules allow one working day; deciding at
once is inside it and needs no job): no computed ground -> registered in the list with its
number; any ground -> a preliminary refusal with the grounds and the proposed hearing
[002 p.17]. The emergency case waits for an officer (under review, due in 3 working days).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import filetype
import sqlalchemy as sa
from flask import current_app

from portal.clock import ALMATY, local_today, now
from portal.domain import limits
from portal.domain.housing import categories, deadlines, eligibility, queue
from portal.domain.housing.facts import Answers, Case, FamilyRelation, HousingFacts
from portal.domain.housing.grounds import Ground, refusal_grounds
from portal.domain.people import Person
from portal.extensions import db
from portal.models import Application, AppStatus, Service
from portal.models.housing import HousingDocument
from portal.registries import registries
from portal.services import housing_queue, lifecycle, notices, numbering, signing
from portal.services.catalogue import Incomplete, require_complete
from portal.services.errors import Refused
from portal.services.sms_texts import request_language

PREFIX = "H"
MAX_UPLOAD_BYTES = limits.UPLOAD_MAX_BYTES  # [SPEC §2]: the expert's conclusion
ALLOWED_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
MAX_FAMILY = 20
SETTLEMENTS = ("almaty", "astana", "shymkent", "karaganda")


class HousingRefused(Refused):
    """Nothing changed; `reason` says why (the blueprint maps it to a text)."""


# --- drafts ------------------------------------------------------------------------------------

def new_draft(applicant_iin: str, channel: str = "portal") -> Application:
    application = Application(service=Service.HOUSING, applicant_iin=applicant_iin, data={},
                              status=AppStatus.DRAFT, channel=channel,
                              status_token=secrets.token_urlsafe(16))
    db.session.add(application)
    db.session.commit()
    return application


def draft_of(app_id: int, applicant_iin: str) -> Application | None:
    application = db.session.get(Application, app_id)
    if application is None or application.applicant_iin != applicant_iin:
        return None
    return application if application.service == Service.HOUSING else None


def by_token(token: str) -> Application | None:
    return db.session.scalars(sa.select(Application).where(
        Application.status_token == token, Application.service == Service.HOUSING)).first()


def drafts_of(applicant_iin: str) -> list[Application]:
    return list(db.session.scalars(sa.select(Application).where(
        Application.applicant_iin == applicant_iin, Application.service == Service.HOUSING)
        .order_by(Application.id.desc())))


def delete_draft(application: Application) -> bool:
    if application.status != AppStatus.DRAFT:
        return False
    db.session.delete(application)
    db.session.commit()
    return True


def _update(application: Application, **values) -> None:
    data = dict(application.data or {})
    data.update(values)
    application.data = data  # a new dict: the JSON column sees the change
    db.session.commit()


def answer(application: Application, name: str, default=None):
    return (application.data or {}).get(name, default)


# --- step 1: on whose behalf --------------------------------------------------------------------

def representable(applicant: Person) -> list[Person]:
    """The applicant, then the minors and wards the registry links to them."""
    return [applicant, *(r.ward for r in registries().relations(applicant.iin))]


def save_who(application: Application, applicant: Person, subject_iin: str) -> None:
    allowed = {p.iin for p in representable(applicant)}
    if subject_iin not in allowed:
        raise HousingRefused("not_represented")
    if subject_iin != application.subject_iin:
        application.subject_iin = subject_iin
        data = {k: v for k, v in (application.data or {}).items() if k not in ("family",)}
        data["registries_seen"] = False
        application.data = data
    db.session.commit()


def is_representative(application: Application) -> bool:
    return bool(application.subject_iin) and application.subject_iin != application.applicant_iin


# --- step 2: what the registries say -------------------------------------------------------------

def facts_of(application: Application) -> HousingFacts | None:
    """May raise RegistryUnavailable: the page says so and keeps the draft."""
    return registries().housing_facts(application.subject_iin) if application.subject_iin else None


def current_settlement(facts: HousingFacts) -> str | None:
    regs = [r for r in facts.history.registrations if r.until is None]
    return regs[-1].settlement_code if regs else None


def answers_of(application: Application, facts: HousingFacts, today: dt.date,
               preview: bool = False) -> Answers:
    """The draft's answers; on the registries page (`preview`) what the registries suggest."""
    case = answer(application, "case") or (eligibility.suggested_case(facts, today)
                                           or Case.NO_HOUSING)
    settlement = answer(application, "settlement") or current_settlement(facts) or ""
    consent = True if preview else bool(answer(application, "personal_data_consent"))
    return Answers(case=Case(case), settlement_code=settlement, personal_data_consent=consent,
                   category=answer(application, "category") or None)


def grounds_now(application: Application, facts: HousingFacts, preview: bool = False,
                today: dt.date | None = None) -> list[Ground]:
    day = today or local_today()
    return refusal_grounds(facts, answers_of(application, facts, day, preview), day)


def mark_registries_seen(application: Application, facts: HousingFacts) -> None:
    family = [{"iin": m.person.iin, "name": m.person.full_name, "relation": m.relation.value,
               "birth_date": m.person.birth_date.isoformat(), "from_registry": True}
              for m in facts.family]
    values = {"registries_seen": True}
    if "family" not in (application.data or {}):
        values["family"] = family
    _update(application, **values)


# --- step 3: the case, and the expert's conclusion -------------------------------------------

def save_case(application: Application, case: str) -> None:
    _update(application, case=Case(case).value)


def upload_dir() -> Path:
    path = Path(current_app.config.get("HOUSING_UPLOAD_DIR")
                or Path(current_app.instance_path) / "uploads")
    path.mkdir(parents=True, exist_ok=True)
    return path


def check_upload(content: bytes) -> str:
    """The MIME type by content (never the name or the browser's word); HousingRefused
    `empty`, `too_large` or `wrong_type`."""
    if not content:
        raise HousingRefused("empty")
    if len(content) > MAX_UPLOAD_BYTES:
        raise HousingRefused("too_large")
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise HousingRefused("wrong_type")
    return kind.mime


def _safe_name(name: str) -> str:
    name = Path(name or "").name
    return re.sub(r"[^\w.\- ]", "_", name)[:120] or "file"


def store_document(application: Application, kind: str, filename: str,
                   content: bytes) -> HousingDocument:
    mime = check_upload(content)
    stored = f"{secrets.token_hex(16)}.{ALLOWED_TYPES[mime]}"
    (upload_dir() / stored).write_bytes(content)
    document = HousingDocument(application_id=application.id, kind=kind, stored_name=stored,
                               original_name=_safe_name(filename), mime=mime,
                               size=len(content))
    db.session.add(document)
    db.session.commit()
    return document


def documents_of(application: Application, kind: str | None = None) -> list[HousingDocument]:
    query = sa.select(HousingDocument).where(HousingDocument.application_id == application.id)
    if kind:
        query = query.where(HousingDocument.kind == kind)
    return list(db.session.scalars(query.order_by(HousingDocument.id)))


def document_of(application: Application, document_id: int) -> HousingDocument | None:
    document = db.session.get(HousingDocument, document_id)
    return document if document and document.application_id == application.id else None


def document_path(document: HousingDocument) -> Path:
    return upload_dir() / document.stored_name


def remove_document(application: Application, document_id: int) -> None:
    document = document_of(application, document_id)
    if document is not None and application.status == AppStatus.DRAFT:
        document_path(document).unlink(missing_ok=True)
        db.session.delete(document)
        db.session.commit()


def has_conclusion(application: Application) -> bool:
    return bool(documents_of(application, "conclusion"))


# --- steps 4-8 -------------------------------------------------------------------------------

def save_settlement(application: Application, code: str) -> None:
    if code not in SETTLEMENTS:
        raise HousingRefused("unknown_settlement")
    _update(application, settlement=code)


def save_category(application: Application, code: str | None) -> None:
    if code:
        categories.category(code)  # KeyError for a code not in the catalogue
    _update(application, category=code or "", category_seen=True)


def category_state(application: Application, facts: HousingFacts) -> categories.CategoryStatus:
    return categories.category_status(facts, answer(application, "category") or None)


def add_member(application: Application, iin: str, relation: str) -> None:
    """Add a family member by IIN (the registry gives the name). On the list already, the
    change is recorded in the application's history [SPEC §2: "every change is recorded"]."""
    family = list(answer(application, "family", []))
    iin = "".join(iin.split())
    if any(m["iin"] == iin for m in family) or iin == application.subject_iin:
        raise HousingRefused("member_listed")
    if len(family) >= MAX_FAMILY:
        raise HousingRefused("too_many_members")
    person = registries().person(iin)
    if person is None:
        raise HousingRefused("member_unknown")
    family.append({"iin": iin, "name": person.full_name, "relation": FamilyRelation(relation),
                   "birth_date": person.birth_date.isoformat(), "from_registry": False})
    _record_after_submission(application, f"family member added ({FamilyRelation(relation)})")
    _update(application, family=family)


def remove_member(application: Application, iin: str) -> None:
    family = answer(application, "family", [])
    if any(m["iin"] == iin for m in family):
        _record_after_submission(application, "family member removed")
    _update(application, family=[m for m in family if m["iin"] != iin])


def _record_after_submission(application: Application, note: str) -> None:
    if application.status != AppStatus.DRAFT:
        lifecycle.record(application, application.status, lifecycle.APPLICANT, note)


def confirm_family(application: Application) -> None:
    _update(application, family_seen=True)


def save_contacts(application: Application, phone: str, email: str, sms: bool) -> None:
    _update(application, phone=phone, email=email or "", sms_consent=bool(sms))


def save_consents(application: Application, personal_data: bool, truth: bool) -> None:
    if not personal_data:
        raise HousingRefused("no_personal_data_consent")
    _update(application, personal_data_consent=True, truth_consent=bool(truth))


# --- sign and submit -----------------------------------------------------------------------

def send_signing_code(application: Application, applicant: Person, sms_text) -> None:
    signing.send_code(application, applicant.iin, applicant.phone, sms_text)
    db.session.commit()


def signing_state(application: Application):
    row = signing.signing_code(application)
    return signing.state_of(row) if row else None


@dataclass(frozen=True)
class Decision:
    status: str
    grounds: tuple[str, ...]
    number: str


def submit(application: Application, applicant: Person, code: str, signed_text: str,
           ip: str | None, sms_texts: dict) -> Decision:
    """Check the code, submit, decide (module docstring). Raises catalogue.Incomplete,
    signing.CodeRejected or HousingRefused; nothing is saved then."""
    require_complete(application)  # before the code is used: a missing answer costs no try
    facts = facts_of(application)  # before the code is used: an unavailable registry keeps it
    if facts is None:
        raise HousingRefused("no_subject")
    signing.sign_with_code(application, applicant.iin, code, signed_text, ip)
    try:
        decision = _submit_signed(application, facts, sms_texts, "signed with an SMS code")
    except Incomplete:
        db.session.rollback()  # the Signature just recorded goes too
        raise
    if decision is None:
        db.session.rollback()
        raise HousingRefused("already_submitted")
    notices.commit()
    return decision


def submit_signed_with_ecp(application: Application, sms_texts: dict) -> bool:
    """The ЭЦП signature is recorded (portal.services.ecp_signing, which commits): submit and
    decide in the same transaction. False when it was no longer a draft."""
    facts = facts_of(application)
    if facts is None:
        raise HousingRefused("no_subject")
    return _submit_signed(application, facts, sms_texts, "signed with ЭЦП") is not None


def _submit_signed(application: Application, facts: HousingFacts, sms_texts: dict,
                   note: str) -> Decision | None:
    require_complete(application)  # again at the moment of submission, whatever signed it
    moment = now()
    if not lifecycle.claim_for_submission(application, note=note, at=moment):
        return None
    numbering.assign(application, PREFIX, moment)
    decision = decide(application, facts, moment)
    # The office's later SMS go in the language the applicant submitted in.
    application.data = {**application.data, "lang": request_language()}
    text = sms_texts[decision.status]
    notices.notify_applicant(application, text.format(
        number=application.number, link=notices.status_url(application),
        days=limits.DECISION_EMERGENCY_WORKING_DAYS))
    return decision


def decide(application: Application, facts: HousingFacts, moment: dt.datetime) -> Decision:
    """The system's own decision at submission (module docstring)."""
    today = moment.astimezone(ALMATY).date()
    answers = answers_of(application, facts, today)
    grounds = [g.value for g in refusal_grounds(facts, answers, today)]
    data = dict(application.data or {})
    data["grounds"] = grounds
    data["decision_due"] = deadlines.decision_due(answers.case, moment).isoformat()
    status = _decide_status(application, facts, answers, grounds, moment, data)
    application.data = data
    return Decision(status, tuple(grounds), application.number)


def _decide_status(application, facts, answers, grounds, moment, data) -> str:
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
    entry = enter_list(application, facts, answers, moment, data)
    lifecycle.record(application, AppStatus.IN_QUEUE, lifecycle.SYSTEM,
                     f"registered: {entry.settlement_code}/{entry.list_code} No. {entry.number}",
                     moment)
    return AppStatus.IN_QUEUE


def enter_list(application: Application, facts: HousingFacts, answers: Answers,
               moment: dt.datetime, data: dict):
    """The application's place in its list (the system's decision and the office's alike):
    the number from the list's counter, `data` gets list_code and queue_number. The order in
    the list is the submission's moment, whoever registers it and when."""
    status = categories.category_status(facts, answers.category)
    key = queue.list_for(answers.settlement_code, answers.category, status)
    entry = housing_queue.register(application, key, application.submitted_at or moment, moment)
    data["list_code"] = key.list_code
    data["queue_number"] = entry.number
    return entry
