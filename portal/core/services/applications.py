"""Reading applications for the personal account."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from portal.core.models import Application, AppStatus
from portal.core.services.catalogue import catalogue
from portal.core.services.requester import NOBODY, Requester
from portal.extensions import db


def drafts_of(iin: str) -> list[Application]:
    return db.session.scalars(
        sa.select(Application)
        .where(Application.applicant_iin == iin, Application.status == AppStatus.DRAFT)
        .order_by(Application.updated_at.desc())
    ).all()


def submitted_by(iin: str, requester: Requester = NOBODY) -> list[Application]:
    """Submitted applications, each brought up to date on this read (its service's `settle`:
    residence enforces the owners' hour; `requester` words an SMS that sends)."""
    found = db.session.scalars(
        sa.select(Application)
        .where(Application.applicant_iin == iin, Application.status != AppStatus.DRAFT)
        .order_by(Application.submitted_at.desc())
    ).all()
    for application in found:
        catalogue.settle(application, requester)
    return found


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
