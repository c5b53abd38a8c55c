"""Submitting a signed residence application: re-check the route, then register at once, ask
the owners, or reject, and tell the applicant. Exactly once per draft."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa

from portal.clock import now
from portal.domain import residence as rules
from portal.domain.people import Person
from portal.extensions import db
from portal.models import Application, AppStatus
from portal.services import consent, residence
from portal.services.residence import Outcome

APPLICATIONS_WITH_CONSENT_PER_DAY = 5  # per applicant: the portal is no tool to pester owners


class Refused(StrEnum):
    OWNER_PHONE_BUSY = "owner_phone_busy"
    APPLICANT_LIMIT = "applicant_limit"


class SubmissionRefused(Exception):
    """Nothing was submitted; the draft is kept as it was."""

    def __init__(self, reason: Refused):
        super().__init__(reason)
        self.reason = reason


def _applicant_over_limit(iin: str) -> bool:
    since = now() - dt.timedelta(days=1)
    count = db.session.scalar(sa.select(sa.func.count(Application.id)).where(
        Application.applicant_iin == iin, Application.submitted_at > since,
        Application.status.in_([AppStatus.AWAITING_CONSENT, AppStatus.REJECTED])))
    return count >= APPLICATIONS_WITH_CONSENT_PER_DAY


def submit(application: Application, applicant: Person) -> Application:
    """Called once the applicant's signature (SMS code) is verified. Idempotent."""
    if application.status != AppStatus.DRAFT:
        return application  # a double click, a second tab, the back button: already done
    view = residence.route_of(application, applicant)
    path = view.route.path if view else None
    if path == rules.Path.OWNER_CONSENT:
        if any(consent.owner_phone_busy(owner.phone) for owner in view.route.consenting_owners):
            raise SubmissionRefused(Refused.OWNER_PHONE_BUSY)
        if _applicant_over_limit(applicant.iin):
            raise SubmissionRefused(Refused.APPLICANT_LIMIT)
    if not residence.claim_for_submission(application):
        return application
    residence.assign_number(application)
    residence.record(application, AppStatus.SUBMITTED, "applicant", "signed with an SMS code")
    messages = []
    if path in (rules.Path.NO_CONSENT, rules.Path.LEASE_ALLOWED):
        residence.record(application, AppStatus.REGISTERED, "system", str(path))
        application.closed_at = now()
        messages.append(consent.complete(application))
    elif path == rules.Path.OWNER_CONSENT:
        residence.record(application, AppStatus.AWAITING_CONSENT, "system",
                         f"{len(view.route.consenting_owners)} owner(s) asked")
        address = residence.address_of(application)
        messages += consent.request_consents(application, applicant,
                                             view.route.consenting_owners, address.label)
    else:
        outcome = Outcome.NOT_IN_LEASE if path == rules.Path.LEASE_REFUSED \
            else Outcome.NO_LONGER_ONLINE
        residence.record(application, AppStatus.REJECTED, "system", str(path))
        application.outcome = outcome
        application.closed_at = now()
        messages.append(consent.reject_notice(application))
    db.session.commit()
    consent.deliver_all(messages)
    consent.settle(application)  # starts the owners' hour if their SMS went out
    return application
