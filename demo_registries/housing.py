"""HousingFacts from the stand-in registries' tables (see StateRegistries.housing_facts)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from demo_registries.models import (
    RegAddress,
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

# The statements are built once, with bound parameters ("iins": everyone read together): the
# check page asks the registry on every view, and building them cost more than running them.
_IINS = sa.bindparam("iins", expanding=True)
_OWNERSHIP = (
    sa.select(RegOwnership.owner_iin, RegOwnership.address_id, RegOwnership.acquired,
              RegOwnership.disposed, RegOwnership.via_state_mortgage,
              RegOwnership.privatised_from_state_fund, RegAddress.settlement_code,
              RegAddress.declared_emergency, RegAddress.street_ru, RegAddress.house,
              RegAddress.flat)
    .join(RegAddress, RegAddress.id == RegOwnership.address_id)
    .where(RegOwnership.owner_iin.in_(_IINS))
    .order_by(RegOwnership.acquired, RegOwnership.id))
_REGISTRATIONS = (
    sa.select(RegResidence.iin, RegAddress.settlement_code, RegResidence.date_from,
              RegResidence.date_to)
    .join(RegAddress, RegAddress.id == RegResidence.address_id)
    .where(RegResidence.iin.in_(_IINS))
    .order_by(RegResidence.date_from, RegResidence.id))
_QUEUE_PLACES = (
    sa.select(RegQueuePlace.iin, RegQueuePlace.base, RegQueuePlace.settlement_code,
              RegQueuePlace.since, RegQueuePlace.number, RegQueuePlace.active)
    .where(RegQueuePlace.iin.in_(_IINS))
    .order_by(RegQueuePlace.since, RegQueuePlace.id))
_WORSENING = (
    sa.select(RegWorsening.iin, RegWorsening.kind, RegWorsening.on, RegWorsening.habitable,
              RegWorsening.bought_by_local_executive_body, RegWorsening.was_in_need,
              RegWorsening.moved_in)
    .where(RegWorsening.iin.in_(_IINS))
    .order_by(RegWorsening.on, RegWorsening.id))
_HAD_STATE_RENTAL = sa.union(
    sa.select(RegHousingStatus.iin).where(RegHousingStatus.iin.in_(_IINS),
                                          RegHousingStatus.had_state_rental.is_(True)),
    sa.select(lease_member.c.iin).where(lease_member.c.iin.in_(_IINS)))
# The person with their housing record (none for most people), their family links and their
# children: the person's columns (what LocalRegistries' mapping reads), not ORM entities.
_PERSON_COLUMNS = tuple(RegPerson.__table__.columns)
_PERSON = (sa.select(*_PERSON_COLUMNS, RegHousingPerson.iin.label("housing_iin"),
                     RegHousingPerson.is_citizen, RegHousingPerson.parental_care,
                     RegHousingPerson.care_lost_on, RegHousingPerson.confirmed_categories)
           .outerjoin(RegHousingPerson, RegHousingPerson.iin == RegPerson.iin)
           .where(RegPerson.iin == sa.bindparam("iin")))
_FAMILY_LINKS = (
    sa.select(*_PERSON_COLUMNS, RegFamilyMember.relation)
    .join(RegFamilyMember, RegFamilyMember.member_iin == RegPerson.iin)
    .where(RegFamilyMember.person_iin == sa.bindparam("iin"))
    .order_by(RegPerson.birth_date, RegPerson.iin))
_CHILDREN = (
    sa.select(*_PERSON_COLUMNS).join(RegRelation, RegRelation.ward_iin == RegPerson.iin)
    .where(RegRelation.representative_iin == sa.bindparam("iin"),
           RegRelation.kind == RelationKind.PARENT.value)
    .order_by(RegPerson.birth_date, RegPerson.iin))


def _rows(statement: sa.Select, params: dict) -> list[sa.Row]:
    """Columns, not entities: run on the session's connection, past the ORM's per-statement
    work (about half of each statement's cost here; the check page reads on every view)."""
    return db.session.connection().execute(statement, params).all()


def _acquisition(title: RegOwnership) -> Acquisition:
    if title.privatised_from_state_fund:
        return Acquisition.PRIVATISATION
    if title.via_state_mortgage:
        return Acquisition.STATE_MORTGAGE
    return Acquisition.OTHER


def _by_person(statement: sa.Select, iins: list[str], make) -> dict[str, tuple]:
    """A statement's rows (each led by the person's IIN) made into domain values with `make`
    (None: left out), per person; everyone in `iins` has an entry."""
    found: dict[str, list] = {iin: [] for iin in iins}
    for row in _rows(statement, {"iins": iins}):
        value = make(row)
        if value is not None:
            found[row[0]].append(value)
    return {iin: tuple(values) for iin, values in found.items()}


def _ownership(iins: list[str], today: dt.date) -> dict[str, tuple[Ownership, ...]]:
    start = years_before(today, LOOK_BACK_YEARS)

    def title(t) -> Ownership | None:
        if t.disposed is not None and t.disposed <= start \
                and _acquisition(t) is Acquisition.OTHER:
            return None  # sold before the look-back, and no privatisation or state mortgage
        return Ownership(
            cadastral_number=f"reg-address-{t.address_id}",
            settlement_code=t.settlement_code,
            acquired=t.acquired,
            disposed=t.disposed,
            declared_emergency=t.declared_emergency,
            acquisition=_acquisition(t),
            address=" ".join(filter(None, (t.street_ru, t.house, t.flat))),
        )

    return _by_person(_OWNERSHIP, iins, title)


def _registration(r) -> RegistrationPeriod:
    return RegistrationPeriod(r.settlement_code, r.date_from, r.date_to)


def _queue_place(r) -> QueuePlace:
    return QueuePlace(QueueBase(r.base), r.settlement_code, r.since, r.number, r.active)


def _worsening(r) -> WorseningEvent:
    return WorseningEvent(
        kind=WorseningKind(r.kind), on=r.on, habitable=r.habitable,
        bought_by_local_executive_body=r.bought_by_local_executive_body,
        was_in_need=r.was_in_need,
        moved_in=MovedInRelation(r.moved_in) if r.moved_in else None,
    )


def _had_state_rental(iins: list[str]) -> set[str]:
    """Who had state rental housing: by the housing status, or as a member of a lease."""
    return {row[0] for row in _rows(_HAD_STATE_RENTAL, {"iins": iins})}


def histories(iins: list[str], today: dt.date) -> dict[str, HousingHistory]:
    """The housing histories of several people at once: five statements, however many."""
    ownership = _ownership(iins, today)
    registrations = _by_person(_REGISTRATIONS, iins, _registration)
    queue_places = _by_person(_QUEUE_PLACES, iins, _queue_place)
    worsening = _by_person(_WORSENING, iins, _worsening)
    rented = _had_state_rental(iins)
    return {iin: HousingHistory(
        iin=iin,
        ownership=ownership[iin],
        registrations=registrations[iin],
        queue_places=queue_places[iin],
        had_state_rental=iin in rented,
        worsening=worsening[iin],
    ) for iin in iins}


def _family(iin: str) -> list[tuple[sa.Row, FamilyRelation]]:
    members = [(link, FamilyRelation(link.relation)) for link in _rows(_FAMILY_LINKS, {"iin": iin})]
    listed = {row.iin for row, _ in members}
    children = _rows(_CHILDREN, {"iin": iin})
    return members + [(child, FamilyRelation.CHILD) for child in children
                      if child.iin not in listed]


def housing_facts(iin: str, today: dt.date, person) -> HousingFacts | None:
    """`person` maps a row of RegPerson's columns to the domain Person (LocalRegistries' own
    mapping)."""
    found = _rows(_PERSON, {"iin": iin})
    if not found:
        return None
    row = found[0]
    extra = row if row.housing_iin is not None else None
    care = ParentalCare(extra.parental_care) if extra else ParentalCare.NONE
    if care is ParentalCare.NONE and row.is_orphan:
        care = ParentalCare.ORPHAN
    members = _family(iin)
    history = histories([iin, *(member.iin for member, _ in members)], today)
    return HousingFacts(
        applicant=person(row),
        history=history[iin],
        family=tuple(FamilyMember(person(member), relation, history[member.iin])
                     for member, relation in members),
        is_citizen=extra.is_citizen if extra else True,
        parental_care=care,
        care_lost_on=extra.care_lost_on if extra else None,
        confirmed_categories=frozenset((extra.confirmed_categories if extra else "").split()),
    )
