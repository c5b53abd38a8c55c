"""Reading applications for the personal account."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from portal.core.models import Application, AppStatus
from portal.core.services.catalogue import catalogue
from portal.core.services.requester import NOBODY, Requester
from portal.extensions import db

# Built once (every "My applications" runs it): building costs more than running it.
_OF_APPLICANT = (sa.select(Application).where(Application.applicant_iin == sa.bindparam("iin"))
                 .order_by(Application.submitted_at.desc(), Application.id.desc()))


def of_applicant(iin: str, requester: Requester = NOBODY
                 ) -> tuple[list[Application], list[Application]]:
    """The cabinet's two lists in one statement: drafts (last changed first) and submitted
    applications (last submitted first), each brought up to date on this read (its service's
    `settle`: residence enforces the owners' hour; `requester` words an SMS that sends)."""
    found = db.session.scalars(_OF_APPLICANT, {"iin": iin}).all()
    drafts = sorted((a for a in found if a.status == AppStatus.DRAFT),
                    key=lambda a: a.updated_at, reverse=True)
    submitted = [a for a in found if a.status != AppStatus.DRAFT]
    for application in submitted:
        catalogue.settle(application, requester)
    return drafts, submitted


def consents_awaiting(owner_iin: str) -> list:
    """What every service waits for this citizen to answer (residence: the consents asked of
    an owner, only those still open on this read: the hour is enforced here too)."""
    return [asked for definition in catalogue for asked in definition.awaiting_answer(owner_iin)]


def by_status_token(token: str) -> Application | None:
    """A submitted application by its status link's token (drafts have no status page), with
    its consents (the page lists them) and how it was signed in the same statement."""
    application = db.session.scalars(
        sa.select(Application).options(joinedload(Application.consents),
                                       joinedload(Application.signatures))
        .where(Application.status_token == token)).unique().first()
    return None if application is None or application.status == AppStatus.DRAFT else application


def is_draft(application: Application) -> bool:
    return application.status == AppStatus.DRAFT
