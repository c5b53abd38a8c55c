"""The housing waiting list, the citizen's side (SPEC §2): drafts and their answers. Beside
it: `standing` (one application in progress per person), `documents` (the files),
`submission` (signing, submission and the system's own decision).

A draft is a shared `Application` (service "housing"): `subject_iin` is the person to be
registered (the applicant, or the minor or ward they represent), `data` holds the answers.
Every function that changes something is one transaction.

When the system decides (documented in docs/housing.md): at submission in the provider's
working time, in the same transaction; outside it, on the next working day, by the job
(`submission.decide_waiting`, [002 App.1 row 7]). No computed ground -> registered in the list
with its number; any ground -> a preliminary refusal with the grounds and the proposed hearing
[002 p.17]. The emergency case waits for an officer (under review, due in 3 working days).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import replace

import sqlalchemy as sa

from portal.clock import ALMATY, local_today, now
from portal.core.models import Application, AppStatus, Service
from portal.core.models.housing import QueueEntry
from portal.core.registries import RegistryUnavailable, registries
from portal.core.registries.settlements import SETTLEMENTS as _SETTLEMENT_NAMES
from portal.core.services import drafts, lifecycle, signing
from portal.domain.housing import categories, deadlines, eligibility
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
from portal.extensions import db
from portal.housing.services.errors import HousingRefused
from portal.housing.services.standing import refuse_if_applied, representable

MAX_FAMILY = 20
# Every settlement of the address registry's reference data (the cities of republican
# significance and each region's centre), not a list of its own.
SETTLEMENTS = tuple(_SETTLEMENT_NAMES)


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

def save_who(application: Application, applicant: Person, subject_iin: str) -> None:
    allowed = {p.iin for p in representable(applicant)}
    if subject_iin not in allowed:
        raise HousingRefused("not_represented")
    refuse_if_applied(subject_iin, application.id)
    if subject_iin != application.subject_iin:
        lifecycle.change_data(application, lambda data: data.pop("family", None),
                              registries_seen=False)
        application.subject_iin = subject_iin
    db.session.commit()


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


# Built once, with bound parameters (the check page asks on every view).
_OWN_PLACES = sa.select(QueueEntry).where(
    QueueEntry.person_iin.in_(sa.bindparam("iins", expanding=True)),
    QueueEntry.status != EntryStatus.CLOSED.value,
    QueueEntry.application_id != sa.bindparam("application_id"))


def _with_own_places(facts: HousingFacts, application_id: int | None) -> HousingFacts:
    iins = [h.iin for h in facts.histories]
    rows = db.session.scalars(_OWN_PLACES, {"iins": iins,
                                            "application_id": application_id or 0}).all()
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


def recheck_after_change(application: Application, cause: str | None = None) -> list[Ground]:
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
    if not new and cause is None:
        return []
    check = {"grounds": [g.value for g in new], "at": moment.isoformat(),
             "due": deadlines.decision_due(Case.EMERGENCY, moment).isoformat()}
    if cause is not None:  # the member changed their data (membership.CheckedItem): the office
        check["cause"] = cause  # checks it even where no new ground shows yet [design]
    lifecycle.change_data(application, lambda data: data.setdefault("rechecks", []).append(
        check), at=moment, recheck=check)
    lifecycle.record(application, application.status, lifecycle.SYSTEM,
                     (f"re-check after the member's change ({cause}): " if cause else
                      "re-check after a change: ") + "new grounds "
                     + (", ".join(check["grounds"]) or "none yet"), moment)
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
