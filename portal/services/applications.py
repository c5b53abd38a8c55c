"""Reading applications for the personal account."""

from __future__ import annotations

import sqlalchemy as sa

from portal.extensions import db
from portal.models import Application, AppStatus, ConsentRequest, ConsentStatus


def drafts_of(iin: str) -> list[Application]:
    return db.session.scalars(
        sa.select(Application)
        .where(Application.applicant_iin == iin, Application.status == AppStatus.DRAFT)
        .order_by(Application.updated_at.desc())
    ).all()


def submitted_by(iin: str) -> list[Application]:
    return db.session.scalars(
        sa.select(Application)
        .where(Application.applicant_iin == iin, Application.status != AppStatus.DRAFT)
        .order_by(Application.submitted_at.desc())
    ).all()


def consents_awaiting(owner_iin: str) -> list[ConsentRequest]:
    return db.session.scalars(
        sa.select(ConsentRequest)
        .where(ConsentRequest.owner_iin == owner_iin,
               ConsentRequest.status == ConsentStatus.WAITING)
        .order_by(ConsentRequest.id)
    ).all()
