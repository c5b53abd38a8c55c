"""Reading the owners' consent requests for pages and answers: each one settled first (the
hour is enforced on read, job or no job), so nobody sees or answers an expired request.
The asking, the hour and the job are in portal.residence.services.consent; the answers in
portal.residence.services.consent_answers."""

from __future__ import annotations

import sqlalchemy as sa

from portal.core.models import AppStatus, ConsentRequest, ConsentStatus
from portal.extensions import db
from portal.residence.services.consent import settle


def by_link(token: str) -> ConsentRequest | None:
    consent = db.session.scalar(sa.select(ConsentRequest).where(
        ConsentRequest.link_token == token))
    if consent is not None:
        settle(consent.application)
    return consent


def waiting(**where) -> list[ConsentRequest]:
    """The waiting requests matching, after settling their applications (expired ones go)."""
    query = sa.select(ConsentRequest).where(ConsentRequest.status == ConsentStatus.WAITING)
    for column, value in where.items():
        query = query.where(getattr(ConsentRequest, column) == value)
    return _open(db.session.scalars(query.order_by(ConsentRequest.id)).all())


def _open(found: list[ConsentRequest]) -> list[ConsentRequest]:
    for consent in found:
        settle(consent.application)
    return [c for c in found if c.status == ConsentStatus.WAITING
            and c.application.status == AppStatus.AWAITING_CONSENT]


# Built once: every signed-in "My applications" asks it, and building a statement costs more
# than running it on an index.
_WAITING_FOR_OWNER = (sa.select(ConsentRequest)
                      .where(ConsentRequest.status == ConsentStatus.WAITING,
                             ConsentRequest.owner_iin == sa.bindparam("owner_iin"))
                      .order_by(ConsentRequest.id))


def awaiting_owner(owner_iin: str) -> list[ConsentRequest]:
    """What the owner's cabinet lists as "your consent is asked": only what is still open."""
    return _open(db.session.scalars(_WAITING_FOR_OWNER, {"owner_iin": owner_iin}).all())
