"""Where a person stands on the housing list: one application in progress per person
[002 p.15 sub 1], and whom an applicant may apply for."""

from __future__ import annotations

import sqlalchemy as sa

from portal.core.models import Application, AppStatus, Service
from portal.core.registries import registries
from portal.domain.people import Person
from portal.extensions import db
from portal.housing.services.errors import HousingRefused


def representable(applicant: Person) -> list[Person]:
    """The applicant, then the minors and wards the registry links to them."""
    return [applicant, *(r.ward for r in registries().relations(applicant.iin))]


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


def refuse_if_applied(person_iin: str | None, application_id: int | None) -> None:
    """HousingRefused("already_applied") when the person has another application in progress:
    a second one would be a second place on the e-base [002 p.15 sub 1]."""
    other = standing_of(person_iin, other_than=application_id)
    if other is not None:
        db.session.rollback()
        raise HousingRefused("already_applied", number=other.number or "")


