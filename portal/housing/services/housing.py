"""The housing waiting list, the citizen's side (SPEC §2): drafts, answers, submission and the
decision the system takes by itself.

A draft is a shared `Application` (service "housing"): `subject_iin` is the person to be
registered (the applicant, or the minor or ward they represent), `data` holds the answers.
Every function that changes something is one transaction.

When the system decides (documented in docs/housing.md): at submission in the provider's
working time, in the same transaction; outside it, on the next working day, by the job
(`decide_waiting`, [002 App.1 row 7]). No computed ground -> registered in the list with its
number; any ground -> a preliminary refusal with the grounds and the proposed hearing
[002 p.17]. The emergency case waits for an officer (under review, due in 3 working days).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass, replace
from pathlib import Path

import filetype
import sqlalchemy as sa

from portal.clock import ALMATY, local_today, now
from portal.core.models import Application, AppStatus, AuditEvent, Service
from portal.core.models.housing import HousingDocument, HousingDocumentContent, QueueEntry
from portal.core.registries import RegistryUnavailable, registries
from portal.core.registries.settlements import SETTLEMENTS as _SETTLEMENT_NAMES
from portal.core.services import drafts, lifecycle, notices, numbering, signing, turns
from portal.core.services.catalogue import Incomplete, require_complete
from portal.core.services.errors import Refused
from portal.domain import limits, working_days
from portal.domain.housing import categories, deadlines, eligibility, queue
from portal.domain.housing.facts import (
    Answers,
    Case,
    FamilyMember,
    FamilyRelation,
    HousingFacts,
    QueueBase,
    QueuePlace,
)
from portal.domain.housing.grounds import Ground, refusal_grounds
from portal.domain.housing.queue import EntryStatus
from portal.domain.people import Person
from portal.domain.phones import InvalidPhone, normalize_mobile
from portal.extensions import db
from portal.housing.services import housing_queue
from portal.housing.services.housing_sms import values as sms_values

PREFIX = "H"
MAX_UPLOAD_BYTES = limits.UPLOAD_MAX_BYTES  # [SPEC §2]: the expert's conclusion
DOCUMENTS_PER_APPLICATION = limits.DOCUMENTS_PER_APPLICATION
UPLOADS_PER_DAY = limits.UPLOADS_PER_PERSON_PER_DAY  # per applicant, within 24 hours
UPLOADED = "document_uploaded"  # AuditEvent.kind of each accepted file
DAY = dt.timedelta(hours=24)
ALLOWED_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
MAX_FAMILY = 20
# Every settlement of the address registry's reference data (the cities of republican
# significance and each region's centre), not a list of its own.
SETTLEMENTS = tuple(_SETTLEMENT_NAMES)


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
    """With everything that hangs off it (portal.core.services.drafts); False once signed."""
    return drafts.erase(application)


def _update(application: Application, change=None, **values) -> None:
    """One step's answers, changed under the application's lock (lifecycle.change_data)."""
    lifecycle.change_data(application, change, **values)
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
    _refuse_if_applied(subject_iin, application.id)
    if subject_iin != application.subject_iin:
        lifecycle.change_data(application, lambda data: data.pop("family", None),
                              registries_seen=False)
        application.subject_iin = subject_iin
    db.session.commit()


# --- one application in progress per person ----------------------------------------------------

# Not in progress: a draft (nothing submitted) and the final statuses (the person may apply
# again). Anything else (submitted, under review, a preliminary refusal, on the list, and any
# status a later step adds) holds the person.
NOT_IN_PROGRESS = (AppStatus.DRAFT, AppStatus.REFUSED, AppStatus.WITHDRAWN)


def standing_of(person_iin: str | None, other_than: int | None = None) -> Application | None:
    """The person's housing application in progress or on the list, if any (the newest)."""
    if not person_iin:
        return None
    query = sa.select(Application).where(
        Application.service == Service.HOUSING, Application.subject_iin == person_iin,
        Application.status.notin_(NOT_IN_PROGRESS))
    if other_than is not None:
        query = query.where(Application.id != other_than)
    return db.session.scalars(query.order_by(Application.id.desc())).first()


def standings(applicant: Person) -> list[tuple[Person, Application | None]]:
    """Each person the applicant may apply for, with their application in progress (or None)."""
    return [(p, standing_of(p.iin)) for p in representable(applicant)]


def may_start(applicant: Person) -> bool:
    """Whether someone the applicant may apply for has no application in progress."""
    return any(held is None for _, held in standings(applicant))


def _refuse_if_applied(person_iin: str | None, application_id: int | None) -> None:
    """HousingRefused("already_applied") when the person has another application in progress:
    a second one would be a second place on the e-base [002 p.15 sub 1]."""
    other = standing_of(person_iin, other_than=application_id)
    if other is not None:
        db.session.rollback()
        raise HousingRefused("already_applied", number=other.number or "")


def is_representative(application: Application) -> bool:
    return bool(application.subject_iin) and application.subject_iin != application.applicant_iin


# --- step 2: what the registries say -------------------------------------------------------------

def facts_of(application: Application) -> HousingFacts | None:
    """What the registries say about the person and the family as declared: every member the
    application lists (from the registry or added by hand, at application or in a later
    update) is checked against the registries, as well as every member the registry links
    (a row removed from the form does not take a registry's spouse out of the check)
    [SPEC §2: the family's dwellings count]. May raise RegistryUnavailable: the page says so
    and keeps the draft. Ground 1 reads our own e-base too: the places it holds for the
    person and the family (other applications' entries not closed)."""
    if not application.subject_iin:
        return None
    facts = registries().housing_facts(application.subject_iin)
    declared = answer(application, "family", [])
    if facts is None or not declared:
        return _with_own_places(facts, application.id) if facts is not None else None
    linked = {m.person.iin for m in facts.family}
    added = []
    for row in declared:
        if row.get("iin") in linked or row.get("iin") == application.subject_iin:
            continue
        theirs = registries().housing_facts(row["iin"])
        if theirs is not None:
            added.append(FamilyMember(theirs.applicant, FamilyRelation(row["relation"]),
                                      theirs.history))
    if added:
        facts = replace(facts, family=(*facts.family, *added))
    return _with_own_places(facts, application.id)


def _with_own_places(facts: HousingFacts, application_id: int | None) -> HousingFacts:
    iins = [h.iin for h in facts.histories]
    rows = db.session.scalars(sa.select(QueueEntry).where(
        QueueEntry.person_iin.in_(iins), QueueEntry.status != EntryStatus.CLOSED.value,
        QueueEntry.application_id != (application_id or 0))).all()
    if not rows:
        return facts

    def add(history):
        own = tuple(QueuePlace(QueueBase.HOUSING_CENTRE, e.settlement_code,
                               e.submitted_at.date(), e.number)
                    for e in rows if e.person_iin == history.iin)
        return replace(history, queue_places=history.queue_places + own) if own else history

    return replace(facts, history=add(facts.history),
                   family=tuple(replace(m, history=add(m.history)) for m in facts.family))


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
    _update(application, lambda data: data.setdefault("family", family), registries_seen=True)


# --- step 3: the case, and the expert's conclusion -------------------------------------------

def save_case(application: Application, case: str) -> None:
    _update(application, case=Case(case).value)


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


def add_document(application: Application, kind: str, filename: str,
                 content: bytes) -> HousingDocument:
    """Check the file and the caps, and add it with its bytes (not committed: the caller's
    transaction holds the applicant's turn until it commits). HousingRefused as
    `check_upload`, or `too_many_documents` / `too_many_uploads` (rolled back)."""
    mime = check_upload(content)
    _check_caps(application)
    document = HousingDocument(application_id=application.id, kind=kind,
                               stored_name=f"{secrets.token_hex(16)}.{ALLOWED_TYPES[mime]}",
                               original_name=_safe_name(filename), mime=mime,
                               size=len(content))
    db.session.add(document)
    db.session.flush()
    db.session.add(HousingDocumentContent(document_id=document.id, content=content))
    # The daily count's record: it outlives the document and its draft.
    db.session.add(AuditEvent(kind=UPLOADED, iin=application.applicant_iin,
                              detail=f"application {application.id}: {kind}, {len(content)} B"))
    return document


def store_document(application: Application, kind: str, filename: str,
                   content: bytes) -> HousingDocument:
    document = add_document(application, kind, filename, content)
    db.session.commit()
    return document


def _check_caps(application: Application) -> None:
    """DOCUMENTS_PER_APPLICATION and UPLOADS_PER_DAY, counted in the applicant's turn, so
    uploads sent at once (two tabs, a script) cannot all slip under the cap."""
    turns.take_turn(f"upload:{application.applicant_iin}")
    held = db.session.scalar(sa.select(sa.func.count(HousingDocument.id)).where(
        HousingDocument.application_id == application.id))
    if held >= DOCUMENTS_PER_APPLICATION:
        db.session.rollback()
        raise HousingRefused("too_many_documents")
    sent = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.iin == application.applicant_iin, AuditEvent.kind == UPLOADED,
        AuditEvent.at > now() - DAY))
    if sent >= UPLOADS_PER_DAY:
        db.session.rollback()
        raise HousingRefused("too_many_uploads")


def documents_of(application: Application, kind: str | None = None) -> list[HousingDocument]:
    query = sa.select(HousingDocument).where(HousingDocument.application_id == application.id)
    if kind:
        query = query.where(HousingDocument.kind == kind)
    return list(db.session.scalars(query.order_by(HousingDocument.id)))


def document_of(application: Application, document_id: int) -> HousingDocument | None:
    document = db.session.get(HousingDocument, document_id)
    return document if document and document.application_id == application.id else None


def document_content(document: HousingDocument) -> bytes | None:
    """The file's bytes; None for a file uploaded before they were kept in the database
    (migration ki5e6r7a8s9e did not move the old files off the disk)."""
    return db.session.scalar(sa.select(HousingDocumentContent.content).where(
        HousingDocumentContent.document_id == document.id))


def remove_document(application: Application, document_id: int) -> None:
    document = document_of(application, document_id)
    if document is not None and application.status == AppStatus.DRAFT:
        db.session.delete(document)  # its bytes cascade in the schema
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
    iin = "".join(iin.split())
    chosen = FamilyRelation(relation)
    person = registries().person(iin)  # before the lock: the registry may be slow
    lifecycle.lock(application)  # the family as committed now: two tabs add two members
    family = list(answer(application, "family", []))
    refusal = _member_refusal(application, family, iin, person)
    if refusal:
        db.session.rollback()
        raise HousingRefused(refusal)
    family.append({"iin": iin, "name": person.full_name, "relation": chosen,
                   "birth_date": person.birth_date.isoformat(), "from_registry": False})
    _record_after_submission(application, f"family member added ({chosen})")
    _update(application, family=family)
    recheck_after_change(application)


def _member_refusal(application: Application, family: list, iin: str,
                    person: Person | None) -> str | None:
    if any(m["iin"] == iin for m in family) or iin == application.subject_iin:
        return "member_listed"
    if len(family) >= MAX_FAMILY:
        return "too_many_members"
    return "member_unknown" if person is None else None


def remove_member(application: Application, iin: str) -> None:
    lifecycle.lock(application)
    family = answer(application, "family", [])
    if any(m["iin"] == iin for m in family):
        _record_after_submission(application, "family member removed")
    _update(application, family=[m for m in family if m["iin"] != iin])
    recheck_after_change(application)


def recheck_after_change(application: Application) -> list[Ground]:
    """On the list, a change of the family re-checks the grounds against the registries: a
    ground the registration did not have is recorded (the history says so) and put before the
    office as a re-check, due in the emergency review's 3 working days [design: the office
    decides with a preliminary refusal and a hearing, never the change silently]. Returns the
    new grounds (committed); nothing when not on the list or when the registries are down
    (the next change, or the office, checks again)."""
    if application.status != AppStatus.IN_QUEUE:
        return []
    try:
        facts = facts_of(application)
    except RegistryUnavailable:
        return []
    if facts is None:
        return []
    moment = now()
    known = set(answer(application, "grounds", []))
    for check in answer(application, "rechecks", []):
        known |= set(check["grounds"])
    new = [g for g in grounds_now(application, facts, today=moment.astimezone(ALMATY).date())
           if g.value not in known]
    if not new:
        return []
    check = {"grounds": [g.value for g in new], "at": moment.isoformat(),
             "due": deadlines.decision_due(Case.EMERGENCY, moment).isoformat()}
    lifecycle.change_data(application, lambda data: data.setdefault("rechecks", []).append(
        check), at=moment, recheck=check)
    lifecycle.record(application, application.status, lifecycle.SYSTEM,
                     "re-check after a change: new grounds " + ", ".join(check["grounds"]),
                     moment)
    db.session.commit()
    return new


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

def send_signing_code(application: Application, applicant: Person, sms_text,
                      lang: str | None = None) -> None:
    """`lang`: the applicant's page's language, from the route (None: kk and ru)."""
    signing.send_code(application, applicant.iin, applicant.phone, sms_text.to(lang))
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
    _refuse_if_applied(application.subject_iin, application.id)
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
    applicant gave: none when they opted out of SMS; else the mobile phone of the application
    (the contacts step, or "update contacts"), or the mobile citizens' database's number when
    the application holds none. Signing codes never come here: they go to the database's
    number only (portal.core.services.signing)."""
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
    values.update(grounds=grounds,
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
