"""Submitting a signed residence application: re-check everything, then register at once or ask
the owners, and tell the applicant. Exactly once per draft.

What the applicant saw on the earlier steps is checked again at submission, from the registries
as they are now (SPEC §1, [design]): the applicant's authority over the person (age, capacity,
the parent or guardian link), the route the address takes (the path and the owners must be the
ones the path page showed), and duplicates (rule 6). A change stops the submission before
anything is written: the draft is kept, and the signing code is not used up, so the applicant
reads what changed and signs again with the same code. A registry that does not answer
(RegistryUnavailable) stops it the same way: nothing is decided on a missing answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import force_locale

from portal.clock import local_today, now
from portal.core.models import Application, AppStatus, CodePurpose, ConsentStatus, OneTimeCode
from portal.core.registries import RegistryUnavailable, registries
from portal.core.services import codes, errors, lifecycle, numbering, sms_texts
from portal.core.services.catalogue import Incomplete, require_complete
from portal.core.services.requester import NOBODY, Requester
from portal.domain import limits
from portal.domain import residence as rules
from portal.domain.languages import LANGUAGES
from portal.domain.people import Address, Person
from portal.extensions import db
from portal.residence.services import consent, residence

# Per applicant: the portal is no tool to pester owners.
APPLICATIONS_WITH_CONSENT_PER_DAY = limits.APPLICATIONS_WITH_CONSENT_PER_APPLICANT_PER_DAY


class Refused(StrEnum):
    OWNER_PHONE_BUSY = "owner_phone_busy"
    APPLICANT_LIMIT = "applicant_limit"
    SUBJECT = "subject"  # the applicant may no longer register this person (detail: the problem)
    ROUTE_CHANGED = "route_changed"  # the path or the owners differ from the path page's
    DUPLICATE = "duplicate"  # an application awaits consent, or already registered (detail)


class SubmissionRefused(errors.Refused):
    """Nothing was submitted; the draft is kept as it was (`reason` a Refused code, `detail`
    the subject problem when there is one)."""

    def __init__(self, reason: Refused, detail=None):
        super().__init__(reason, detail=detail)


@dataclass(frozen=True)
class Existing:
    """What an application would repeat, and the application to link to (None when the
    registry shows a registration the portal did not make)."""

    problem: rules.Duplicate
    application: Application | None


@dataclass(frozen=True)
class Review:
    """The draft against the registries as they are now."""

    view: residence.RouteView | None
    subject_problem: rules.SubjectProblem | None
    existing: Existing | None
    route_changed: bool  # not the route the path page showed (or no online route at all)


def existing_for(application: Application, requester: Requester = NOBODY) -> Existing | None:
    """Rule 6: the person's application awaiting consent (anywhere), or their registration at
    this very address. Waiting applications are settled first: one whose hour has passed is no
    longer waiting, job or no job."""
    subject = residence.subject_of(application)
    if subject is None or application.address_id is None:
        return None
    waiting = db.session.scalars(
        sa.select(Application).where(Application.subject_iin == subject.iin,
                                     Application.status == AppStatus.AWAITING_CONSENT,
                                     Application.id != application.id)
        .order_by(Application.id)).all()
    for other in waiting:
        consent.settle(other, requester)
    waiting = [other for other in waiting if other.status == AppStatus.AWAITING_CONSENT]
    problem = rules.check_duplicate(subject, application.address_id, bool(waiting))
    if problem is None:
        return None
    if problem is rules.Duplicate.AWAITING_CONSENT:
        return Existing(problem, waiting[0])
    registered = db.session.scalars(
        sa.select(Application).where(Application.subject_iin == subject.iin,
                                     Application.address_id == application.address_id,
                                     Application.status == AppStatus.REGISTERED)
        .order_by(Application.id.desc())).first()
    return Existing(problem, registered)


def review(application: Application, applicant: Person,
           requester: Requester = NOBODY) -> Review:
    """Authority, route and duplicates of a draft, from the registries now. May raise
    RegistryUnavailable."""
    subject = residence.subject_of(application)
    if subject is None:
        problem = rules.SubjectProblem.NOT_LINKED if application.subject_iin else None
    else:
        problem = rules.check_subject(applicant, subject, registries().relations(applicant.iin),
                                      local_today())
    view = residence.route_of(application, applicant)
    seen = (application.data or {}).get("route_seen")
    changed = view is None or not view.route.online_possible or \
        (seen is not None and seen != residence.route_key(view.route))
    return Review(view, problem, existing_for(application, requester), changed)


def recheck(application: Application, applicant: Person,
            requester: Requester = NOBODY) -> residence.RouteView:
    """The route to submit on, or SubmissionRefused; writes nothing but "read the path page
    again" when the route changed."""
    found = review(application, applicant, requester)
    if found.subject_problem:
        raise SubmissionRefused(Refused.SUBJECT, found.subject_problem)
    if found.existing:
        raise SubmissionRefused(Refused.DUPLICATE, found.existing)
    view = found.view
    if found.route_changed:
        # An unknown home, an owner who became a minor's co-owner, a new owner: the applicant
        # signed for another route. Back to the path page, which says what it is now.
        residence.path_unseen(application)
        raise SubmissionRefused(Refused.ROUTE_CHANGED, view.route.path if view else None)
    return view


def _applicant_over_limit(iin: str) -> bool:
    since = now() - dt.timedelta(days=1)
    count = db.session.scalar(sa.select(sa.func.count(Application.id)).where(
        Application.applicant_iin == iin, Application.submitted_at > since,
        Application.status.in_([AppStatus.AWAITING_CONSENT, AppStatus.REJECTED])))
    return count >= APPLICATIONS_WITH_CONSENT_PER_DAY


def submit(application: Application, applicant: Person,
           signed_with: str = "signed with an SMS code",
           requester: Requester = NOBODY) -> Application:
    """Called once the applicant's signature (SMS code or ЭЦП) is verified. Idempotent. Raises
    Incomplete, SubmissionRefused or RegistryUnavailable with nothing written by it."""
    if application.status != AppStatus.DRAFT:
        return application  # a double click, a second tab, the back button: already done
    require_complete(application)  # again at the moment of submission, whatever signed it
    view = recheck(application, applicant, requester)
    path = view.route.path
    if path == rules.Path.OWNER_CONSENT:
        if any(consent.owner_phone_busy(owner.phone) for owner in view.route.consenting_owners):
            raise SubmissionRefused(Refused.OWNER_PHONE_BUSY)
        if _applicant_over_limit(applicant.iin):
            raise SubmissionRefused(Refused.APPLICANT_LIMIT)
    if not lifecycle.claim_for_submission(application, note=signed_with):
        return application  # a second tab won: nothing more to do
    numbering.assign(application, residence.PREFIX)
    application.data = {**(application.data or {}), NAMED: names_at_submission(application)}
    # The language the applicant applied in: the SMS that come later, when an owner's answer or
    # the clock closes the application, are written in it (consent.applicant_language).
    if requester.lang and requester.language_for(applicant.iin):
        application.data = {**(application.data or {}), "lang": requester.lang}
    messages = []
    if path == rules.Path.OWNER_CONSENT:
        lifecycle.record(application, AppStatus.AWAITING_CONSENT, "system",
                         f"{len(view.route.consenting_owners)} owner(s) asked")
        messages += consent.request_consents(
            application, applicant, view.route.consenting_owners, _address_in(application),
            lang=requester.language_for(applicant.iin))
    else:  # NO_CONSENT, LEASE_ALLOWED: recheck() lets no other path through
        lifecycle.record(application, AppStatus.REGISTERED, "system", str(path))
        application.closed_at = now()
        messages.append(consent.complete(application, requester=requester))
    db.session.commit()
    consent.deliver_all(messages)
    consent.settle(application, requester)  # starts the owners' hour if their SMS went out
    return application


NAMED = "named"  # data key: who and where, as the registries named them at submission


def names_at_submission(application: Application) -> dict:
    """The person's full name and the address in each language, kept on the application as it
    is submitted: what was applied for, shown in "My applications" and to the applicant on the
    status page without asking the registries again on every read."""
    subject = residence.subject_of(application)
    labels = {}
    for lang in LANGUAGES:
        with force_locale(lang):
            address = residence.address_of(application)
            labels[lang] = address.label if address else ""
    return {"person": subject.full_name if subject else "", "address": labels}


def named(application: Application, lang: str) -> tuple[str, str]:
    """(full name, address in `lang`) as kept at submission; an application submitted before
    they were kept asks the registries (in the request's language, as then)."""
    kept = (application.data or {}).get(NAMED)
    if kept:
        labels = kept.get("address") or {}
        return kept.get("person", ""), labels.get(lang) or next(iter(labels.values()), "")
    subject, address = residence.subject_of(application), residence.address_of(application)
    return (subject.full_name if subject else "", address.label if address else "")


def _address_in(application: Application):
    """The address label in a given language (the owner's SMS says it in its own language)."""
    def label(lang: str) -> str:
        with force_locale(lang):
            return residence.address_of(application).label
    return label


def _keep_code(row: OneTimeCode) -> None:
    """Give the signing code back: the code was right, but nothing was submitted, so the
    applicant must not need a new SMS (and a new try) to sign the unchanged draft."""
    db.session.execute(sa.update(OneTimeCode).where(OneTimeCode.id == row.id)
                       .values(used_at=None).execution_options(synchronize_session=False))
    db.session.commit()


def sign_and_submit(application: Application, applicant: Person, row: OneTimeCode,
                    entered: str, ip: str | None,
                    requester: Requester = NOBODY) -> codes.CheckResult:
    """Check the signing code and submit. The registries are asked before the code is
    checked, so a refusal costs no try; a failure after the check gives the code back.
    Raises Incomplete, SubmissionRefused or RegistryUnavailable with the draft as it was."""
    if application.status == AppStatus.DRAFT:
        require_complete(application)
        recheck(application, applicant, requester)
    result = codes.check(row, entered, ip)
    if result.check != codes.Check.OK:
        return result
    try:
        submit(application, applicant, requester=requester)
    except (Incomplete, SubmissionRefused, RegistryUnavailable):
        db.session.rollback()
        _keep_code(row)
        raise
    return result


# --- the receipt -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Receipt:
    """The fields of SPEC §2 "The paper receipt" ([003 p.16]) for a residence application."""

    application: Application
    subject: Person | None
    address: Address | None
    applicant: Person
    applicant_phone: str  # in full: the receipt is the applicant's own (the status page is not)
    due: dt.datetime | None  # when the result is due; None: the owners' hour has not started


def result_due(application: Application) -> dt.datetime | None:
    """The date by which the result is due.

    Decision: a registration in one's own home or a lease is made at once, so the result is
    due (and given) at submission; with owners, it is due when the last owner's hour ends, and
    each hour runs from that owner's receipt of the SMS ([004]). Before every SMS is received
    that moment is not known: None, and the receipt says "within one hour of each owner
    receiving the SMS" instead of guessing a time. A closed application's result was given at
    closing.
    """
    if application.closed_at is not None:
        return application.closed_at
    ends = [c.expires_at for c in application.consents if c.status == ConsentStatus.WAITING]
    if application.status != AppStatus.AWAITING_CONSENT or not ends or None in ends:
        return None
    return max(ends)


def spaced_phone(e164: str | None) -> str:
    """'+77011452301' -> '+7 701 145 23 01', as Kazakhstan writes mobile numbers."""
    if not e164 or len(e164) != 12:
        return e164 or ""
    return f"{e164[:2]} {e164[2:5]} {e164[5:8]} {e164[8:10]} {e164[10:]}"


def receipt_of(application: Application, applicant: Person,
               requester: Requester = NOBODY) -> Receipt:
    consent.settle(application, requester)  # the due time and the status as they are now
    return Receipt(application, residence.subject_of(application),
                   residence.address_of(application), applicant,
                   spaced_phone(applicant.phone), result_due(application))


def signing_code_of(application: Application) -> OneTimeCode | None:
    """The application's unused signing code, the newest one."""
    return db.session.scalars(
        sa.select(OneTimeCode).filter_by(
            purpose=CodePurpose.SIGN_APPLICATION, application_id=application.id, used_at=None)
        .order_by(OneTimeCode.id.desc()).limit(1)).first()


def send_signing_code(application: Application, applicant: Person,
                      lang: str | None = None) -> OneTimeCode:
    """Send the code that signs the application, or send the live one again (raises
    codes.CodeRefused); `lang` is the applicant's page's language (None: kk and ru)."""
    text = sms_texts.SIGN_APPLICATION.to(lang)
    row = signing_code_of(application)
    if row is None or codes.is_expired(row):
        return codes.issue(CodePurpose.SIGN_APPLICATION, applicant.iin, applicant.phone,
                           text, application_id=application.id)
    return codes.resend(row, text)
