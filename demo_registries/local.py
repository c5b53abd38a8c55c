"""LocalRegistries: the StateRegistries contract answered from the seeded `reg_*` tables.

It writes through the portal's own session and never commits: the calling service owns the
transaction, so a registration and its application status are saved together or not at all.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import get_locale

from demo_registries import addresses, housing
from demo_registries.addresses import (
    MATCH_SHARE,
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
)
from demo_registries.models import (
    RegAddress,
    RegHousingStatus,
    RegLease,
    RegOwnership,
    RegPerson,
    RegRelation,
    RegResidence,
    RegServiceCentre,
    RegSettlement,
)
from portal.clock import ALMATY, local_today
from portal.domain.addresses import StreetSuggestion
from portal.domain.housing.facts import HousingFacts
from portal.domain.languages import KAZAKH, LANGUAGES
from portal.domain.people import (
    Address,
    Capacity,
    Dwelling,
    DwellingKind,
    HousingRecord,
    LocalExecutiveBody,
    OwnershipPeriod,
    Person,
    Relation,
    RelationKind,
    ServiceCentre,
)
from portal.extensions import db

__all__ = ["LocalRegistries", "MAX_QUERY_CHARS", "MAX_QUERY_WORDS"]


def language() -> str:
    """The language for registry texts: the request's, else Kazakh, the state language."""
    locale = get_locale() if has_request_context() else None
    return locale.language if locale is not None and locale.language in LANGUAGES else KAZAKH


def _local(row, field: str) -> str:
    return getattr(row, f"{field}_{language()}")


def _person(row: RegPerson) -> Person:
    return Person(
        iin=row.iin,
        surname=row.surname,
        given_name=row.given_name,
        patronymic=row.patronymic,
        birth_date=row.birth_date,
        sex=row.sex,
        capacity=Capacity(row.capacity),
        phone=row.phone,
        is_kandas=row.is_kandas,
        is_orphan=row.is_orphan,
        document_number=row.document_number,
        document_date=row.document_date,
        registered_address_id=row.registered_address_id,
    )


def _address(row: RegAddress) -> Address:
    # Street names have no English form in the registry; Russian is the one English readers
    # meet on maps and signs.
    return Address(
        id=row.id,
        region=_local(row.settlement, "region"),
        settlement=_local(row.settlement, "name"),
        settlement_code=row.settlement_code,
        street=row.street_kk if language() == "kk" else row.street_ru,
        house=row.house,
        flat=row.flat,
    )


def _local_date(on: dt.datetime) -> dt.date:
    return on.astimezone(ALMATY).date() if on.tzinfo else on.date()


class LocalRegistries:
    """The embedded stand-in for the state information systems (demo and tests)."""

    def person(self, iin: str) -> Person | None:
        row = db.session.get(RegPerson, "".join(str(iin or "").split()))
        return _person(row) if row else None

    def relations(self, applicant_iin: str) -> list[Relation]:
        rows = db.session.scalars(
            sa.select(RegRelation)
            .join(RegRelation.ward)
            .where(RegRelation.representative_iin == applicant_iin)
            .order_by(RegPerson.birth_date, RegPerson.iin)
        )
        return [Relation(kind=RelationKind(r.kind), ward=_person(r.ward)) for r in rows]

    def search_addresses(self, query: str, limit: int = 20) -> list[Address]:
        search = addresses.read_query(query or "")
        streets = addresses.find_streets(search, MATCH_SHARE) if limit > 0 else []
        return [_address(r) for r in addresses.find_addresses(search, streets, limit)]

    def address_suggestions(self, query: str, limit: int = 5) -> list[StreetSuggestion]:
        search = addresses.read_query(query or "")
        streets = addresses.suggest_streets(search, limit)
        with_house = addresses.houses_on(streets, search.house)
        settlements = {s.code: s for s in db.session.scalars(sa.select(RegSettlement))}
        found = []
        for s in streets:
            name = s.street_kk if language() == "kk" else s.street_ru
            house = search.house if (s.settlement_code, s.street_kk) in with_house else None
            found.append(StreetSuggestion(
                street=name, settlement=_local(settlements[s.settlement_code], "name"),
                query=f"{name} {house}" if house else name))
        return found

    def address(self, address_id: int) -> Address | None:
        row = db.session.get(RegAddress, address_id)
        return _address(row) if row else None

    def dwelling(self, address_id: int) -> Dwelling | None:
        row = db.session.get(RegAddress, address_id)
        if row is None:
            return None
        if row.kind == DwellingKind.STATE_RENTAL:
            lease = db.session.scalar(sa.select(RegLease).where(RegLease.address_id == row.id))
            if lease is None:
                return None
            body = lease.executive_body
            others = [m.iin for m in lease.members if m.iin != lease.tenant_iin]
            return Dwelling(
                address=_address(row),
                kind=DwellingKind.STATE_RENTAL,
                tenant_iin=lease.tenant_iin,
                lease_members=(lease.tenant_iin, *others),
                local_executive_body=LocalExecutiveBody(
                    name=_local(body, "name"), address=_local(body, "address"), phone=body.phone
                ),
                declared_emergency=row.declared_emergency,
            )
        owners = db.session.scalars(
            sa.select(RegOwnership)
            .where(RegOwnership.address_id == row.id, RegOwnership.disposed.is_(None))
            .order_by(RegOwnership.acquired, RegOwnership.owner_iin)
        ).all()
        if not owners:
            return None  # the real-estate registry knows no current owner
        return Dwelling(
            address=_address(row),
            kind=DwellingKind.PRIVATE,
            owners=tuple(_person(o.owner) for o in owners),
            declared_emergency=row.declared_emergency,
        )

    def register_residence(self, iin: str, address_id: int, on: dt.datetime) -> None:
        person = db.session.get(RegPerson, iin)
        if person is None or db.session.get(RegAddress, address_id) is None:
            raise LookupError("unknown person or address")
        if person.registered_address_id == address_id:
            return  # already registered there: nothing to move to the history
        day = _local_date(on)
        for current in db.session.scalars(
            sa.select(RegResidence).where(RegResidence.iin == iin, RegResidence.date_to.is_(None))
        ):
            current.date_to = day
        db.session.add(RegResidence(iin=iin, address_id=address_id, date_from=day))
        person.registered_address_id = address_id
        db.session.flush()

    def _history(self, iin: str) -> list[RegResidence]:
        return list(
            db.session.scalars(
                sa.select(RegResidence)
                .where(RegResidence.iin == iin)
                .order_by(RegResidence.date_from, RegResidence.id)
            )
        )

    def residence_history(self, iin: str) -> list[tuple[Address, dt.date, dt.date | None]]:
        return [(_address(r.address), r.date_from, r.date_to) for r in self._history(iin)]

    def housing_record(self, iin: str) -> HousingRecord | None:
        if db.session.get(RegPerson, iin) is None:
            return None
        titles = db.session.scalars(
            sa.select(RegOwnership)
            .where(RegOwnership.owner_iin == iin)
            .order_by(RegOwnership.acquired, RegOwnership.id)
        )
        status = db.session.get(RegHousingStatus, iin)
        return HousingRecord(
            iin=iin,
            ownership=tuple(
                OwnershipPeriod(
                    address=_address(t.address),
                    acquired=t.acquired,
                    disposed=t.disposed,
                    declared_emergency=t.address.declared_emergency,
                    via_state_mortgage=t.via_state_mortgage,
                    privatised_from_state_fund=t.privatised_from_state_fund,
                )
                for t in titles
            ),
            on_unified_base=bool(status and status.on_unified_base),
            had_state_rental=bool(status and status.had_state_rental),
            registration_since=_registration_since(self._history(iin)),
        )

    def housing_facts(self, iin: str) -> HousingFacts | None:
        return housing.housing_facts("".join(str(iin or "").split()), local_today(), _person)

    def service_centres(self, settlement_code: str | None = None) -> list[ServiceCentre]:
        order = (RegServiceCentre.settlement_code, RegServiceCentre.id)
        query = sa.select(RegServiceCentre).order_by(*order)
        rows = db.session.scalars(
            query.where(RegServiceCentre.settlement_code == settlement_code)
        ).all()
        if not rows:  # no code, or a place without a centre: show them all
            rows = db.session.scalars(query).all()
        return [
            ServiceCentre(
                id=r.id,
                name=_local(r, "name"),
                address=_local(r, "address"),
                hours=_local(r, "hours"),
                settlement_code=r.settlement_code,
            )
            for r in rows
        ]


def _registration_since(history: list[RegResidence]) -> dict[str, dt.date]:
    """{settlement_code: start of the unbroken registration there}, for the current settlement.

    Moves within one city keep the run going; the three-year rule of [002 p.6] counts the city,
    not the flat.
    """
    if not history or history[-1].date_to is not None:
        return {}
    code = history[-1].address.settlement_code
    since = history[-1].date_from
    for row in reversed(history[:-1]):
        contiguous = row.date_to is not None and row.date_to >= since - dt.timedelta(days=1)
        if row.address.settlement_code != code or not contiguous:
            break
        since = row.date_from
    return {code: since}
