"""HousingFacts from the stand-in registries' tables (see StateRegistries.housing_facts)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from demo_registries.models import (
    RegFamilyMember,
    RegHousingPerson,
    RegHousingStatus,
    RegOwnership,
    RegPerson,
    RegQueuePlace,
    RegRelation,
    RegResidence,
    RegWorsening,
    lease_member,
)
from portal.domain.housing.eligibility import years_before
from portal.domain.housing.facts import (
    Acquisition,
    FamilyMember,
    FamilyRelation,
    HousingFacts,
    HousingHistory,
    MovedInRelation,
    Ownership,
    ParentalCare,
    QueueBase,
    QueuePlace,
    RegistrationPeriod,
    WorseningEvent,
    WorseningKind,
)
from portal.domain.limits import LOOK_BACK_YEARS
from portal.domain.people import RelationKind
from portal.extensions import db


def _acquisition(title: RegOwnership) -> Acquisition:
    if title.privatised_from_state_fund:
        return Acquisition.PRIVATISATION
    if title.via_state_mortgage:
        return Acquisition.STATE_MORTGAGE
    return Acquisition.OTHER


def _ownership(iin: str, today: dt.date) -> tuple[Ownership, ...]:
    start = years_before(today, LOOK_BACK_YEARS)
    titles = db.session.scalars(
        sa.select(RegOwnership).where(RegOwnership.owner_iin == iin)
        .order_by(RegOwnership.acquired, RegOwnership.id)
    )
    return tuple(
        Ownership(
            cadastral_number=f"reg-address-{t.address_id}",
            settlement_code=t.address.settlement_code,
            acquired=t.acquired,
            disposed=t.disposed,
            declared_emergency=t.address.declared_emergency,
            acquisition=_acquisition(t),
            address=" ".join(filter(None, (t.address.street_ru, t.address.house,
                                           t.address.flat))),
        )
        for t in titles
        if t.disposed is None or t.disposed > start or _acquisition(t) is not Acquisition.OTHER
    )


def _registrations(iin: str) -> tuple[RegistrationPeriod, ...]:
    rows = db.session.scalars(
        sa.select(RegResidence).where(RegResidence.iin == iin)
        .order_by(RegResidence.date_from, RegResidence.id)
    )
    return tuple(RegistrationPeriod(r.address.settlement_code, r.date_from, r.date_to)
                 for r in rows)


def _queue_places(iin: str) -> tuple[QueuePlace, ...]:
    rows = db.session.scalars(
        sa.select(RegQueuePlace).where(RegQueuePlace.iin == iin)
        .order_by(RegQueuePlace.since, RegQueuePlace.id)
    )
    return tuple(QueuePlace(QueueBase(r.base), r.settlement_code, r.since, r.number, r.active)
                 for r in rows)


def _worsening(iin: str) -> tuple[WorseningEvent, ...]:
    rows = db.session.scalars(
        sa.select(RegWorsening).where(RegWorsening.iin == iin).order_by(RegWorsening.on)
    )
    return tuple(
        WorseningEvent(
            kind=WorseningKind(r.kind), on=r.on, habitable=r.habitable,
            bought_by_local_executive_body=r.bought_by_local_executive_body,
            was_in_need=r.was_in_need,
            moved_in=MovedInRelation(r.moved_in) if r.moved_in else None,
        )
        for r in rows
    )


def _had_state_rental(iin: str) -> bool:
    status = db.session.get(RegHousingStatus, iin)
    if status is not None and status.had_state_rental:
        return True
    in_lease = sa.select(lease_member.c.iin).where(lease_member.c.iin == iin).limit(1)
    return db.session.scalar(in_lease) is not None


def history(iin: str, today: dt.date) -> HousingHistory:
    return HousingHistory(
        iin=iin,
        ownership=_ownership(iin, today),
        registrations=_registrations(iin),
        queue_places=_queue_places(iin),
        had_state_rental=_had_state_rental(iin),
        worsening=_worsening(iin),
    )


def _family(iin: str, today: dt.date, person) -> tuple[FamilyMember, ...]:
    links = db.session.scalars(
        sa.select(RegFamilyMember).join(RegFamilyMember.member)
        .where(RegFamilyMember.person_iin == iin).order_by(RegPerson.birth_date, RegPerson.iin)
    ).all()
    members = [(link.member, FamilyRelation(link.relation)) for link in links]
    listed = {row.iin for row, _ in members}
    children = db.session.scalars(
        sa.select(RegPerson).join(RegRelation, RegRelation.ward_iin == RegPerson.iin)
        .where(RegRelation.representative_iin == iin,
               RegRelation.kind == RelationKind.PARENT.value)
        .order_by(RegPerson.birth_date, RegPerson.iin)
    ).all()
    members += [(child, FamilyRelation.CHILD) for child in children if child.iin not in listed]
    return tuple(FamilyMember(person(row), relation, history(row.iin, today))
                 for row, relation in members)


def housing_facts(iin: str, today: dt.date, person) -> HousingFacts | None:
    """`person` maps a RegPerson row to the domain Person (LocalRegistries' own mapping)."""
    row = db.session.get(RegPerson, iin)
    if row is None:
        return None
    extra = db.session.get(RegHousingPerson, iin)
    care = ParentalCare(extra.parental_care) if extra else ParentalCare.NONE
    if care is ParentalCare.NONE and row.is_orphan:
        care = ParentalCare.ORPHAN
    return HousingFacts(
        applicant=person(row),
        history=history(iin, today),
        family=_family(iin, today, person),
        is_citizen=extra.is_citizen if extra else True,
        parental_care=care,
        care_lost_on=extra.care_lost_on if extra else None,
        confirmed_categories=frozenset((extra.confirmed_categories if extra else "").split()),
    )
