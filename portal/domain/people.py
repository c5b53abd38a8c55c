"""What the state registries say about people and dwellings, as plain values.

The registry adapter (portal.core.registries) returns these; the rules in the domain read them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Capacity(StrEnum):
    FULL = "full"
    INCAPABLE = "incapable"  # declared legally incapable by a court
    LIMITED = "limited"  # of limited capacity by a court


class RelationKind(StrEnum):
    PARENT = "parent"  # parent or other legal representative of a minor
    GUARDIAN = "guardian"  # guardian of an adult declared incapable or of limited capacity


class DwellingKind(StrEnum):
    PRIVATE = "private"
    STATE_RENTAL = "state_rental"  # leased from the local executive body


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Full years of age on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True)
class Person:
    iin: str
    surname: str
    given_name: str
    patronymic: str | None
    birth_date: dt.date
    sex: str  # "M" / "F"
    capacity: Capacity = Capacity.FULL
    phone: str | None = None  # E.164, from the mobile citizens' database
    is_kandas: bool = False
    is_orphan: bool = False  # orphan or child left without parental care
    document_number: str | None = None
    document_date: dt.date | None = None
    registered_address_id: int | None = None

    def age_on(self, day: dt.date) -> int:
        return age_on(self.birth_date, day)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)


@dataclass(frozen=True)
class Address:
    id: int
    region: str
    settlement: str
    settlement_code: str  # e.g. "almaty", "astana", "shymkent", "karaganda"
    street: str
    house: str
    flat: str | None = None

    @property
    def label(self) -> str:
        flat = f", {self.flat}" if self.flat else ""
        return f"{self.settlement}, {self.street}, {self.house}{flat}"


@dataclass(frozen=True)
class LocalExecutiveBody:
    name: str
    address: str
    phone: str


@dataclass(frozen=True)
class Dwelling:
    address: Address
    kind: DwellingKind
    owners: tuple[Person, ...] = ()
    tenant_iin: str | None = None  # state rental housing: who holds the lease
    lease_members: tuple[str, ...] = ()  # IINs listed in the lease, tenant included
    local_executive_body: LocalExecutiveBody | None = None
    declared_emergency: bool = False


@dataclass(frozen=True)
class Relation:
    kind: RelationKind
    ward: Person


@dataclass(frozen=True)
class ServiceCentre:
    """A public service centre (ЦОН) where the offline service is given."""

    id: int
    name: str
    address: str
    hours: str
    settlement_code: str = ""


@dataclass(frozen=True)
class OwnershipPeriod:
    """A dwelling a person owned, for the housing list's five-year look-back."""

    address: Address
    acquired: dt.date
    disposed: dt.date | None = None  # None: still owned
    declared_emergency: bool = False
    via_state_mortgage: bool = False
    privatised_from_state_fund: bool = False


@dataclass(frozen=True)
class HousingRecord:
    """What the state databases hold for the housing waiting list check."""

    iin: str
    ownership: tuple[OwnershipPeriod, ...] = ()
    on_unified_base: bool = False
    had_state_rental: bool = False
    registration_since: dict[str, dt.date] = field(default_factory=dict)  # settlement -> since
