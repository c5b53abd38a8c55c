"""What the registries say about an applicant and their family, and what the applicant answers.

A registry adapter fills HousingFacts (one per application); the journey fills Answers. The
rules in portal.domain.housing read nothing else. These types are separate from
portal.domain.people.HousingRecord on purpose: the adapter maps its records to them, and the rules
never depend on how a registry happens to store a fact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from portal.domain.people import Person

# Cities of republican significance and the capital, by the settlement codes the registries use
# (portal/core/registries/settlements.py): the three-year registration rule holds there [002 p.6].
THREE_YEAR_RULE_SETTLEMENTS = frozenset({"astana", "almaty", "shymkent"})


class Case(StrEnum):
    """Which of the two cases of [002 p.7] the applicant claims."""

    NO_HOUSING = "no_housing"  # owned no dwelling in RK in the last five years [002 p.7 sub 1]
    EMERGENCY = "emergency"  # the only dwelling is declared emergency [002 p.7 sub 2]


class Fund(StrEnum):
    """Whose housing the application is for; grounds 3 and 4 depend on it [002 p.15 sub 3-4]."""

    GENERAL = "general"  # the e-base list itself: the default; grounds 3 and 4 never apply
    STATE_INSTITUTION = "state_institution"  # a state institution's fund: ground 3
    STATE_ENTERPRISE = "state_enterprise"  # a state enterprise's fund: ground 4


class Acquisition(StrEnum):
    """How a dwelling came to its owner, where a refusal ground turns on it."""

    OTHER = "other"  # purchase, gift, inheritance...: only the five-year look-back reads it
    PRIVATISATION = "privatisation"  # received from the state fund and privatised [002 p.15 sub 7]
    STATE_MORTGAGE = "state_mortgage"  # mortgage under a state / National Bank programme [p.15/9]


class ParentalCare(StrEnum):
    """The status that lifts the three-year rule [002 p.6] and registers under art. 71 p.3."""

    NONE = "none"  # the usual case: nothing recorded
    ORPHAN = "orphan"  # lost both parents (or the only one)
    WITHOUT_CARE = "without_care"  # left without parental care (parents alive)


class QueueBase(StrEnum):
    """Which base an existing place in a queue is on."""

    UNIFIED = "unified"  # local executive bodies' unified republican e-base: ground 1
    HOUSING_CENTRE = "housing_centre"  # our own e-base: ground 1 as well [002 p.7 sub 1]


class WorseningKind(StrEnum):
    """Deliberate worsening of housing conditions [002 App.1 row 9 sub 3][003 p.12]."""

    EXCHANGE = "exchange"  # exchanged a dwelling
    ALIENATION = "alienation"  # sold / gave away a habitable owned dwelling
    DAMAGE = "damage"  # destroyed or damaged a dwelling by own fault
    MOVED_OUT = "moved_out"  # left a dwelling where they were not in need
    MOVED_IN = "moved_in"  # moved in someone other than those EXEMPT_MOVED_IN lists


class MovedInRelation(StrEnum):
    """Who was moved in: only OTHER makes MOVED_IN a worsening [002 App.1 row 9 sub 3]."""

    SPOUSE = "spouse"
    MINOR_CHILD = "minor_child"
    CHILD_UNABLE_TO_WORK = "child_unable_to_work"  # еңбекке жарамсыз: disabled
    PARENT_UNABLE_TO_WORK = "parent_unable_to_work"
    OTHER = "other"


EXEMPT_MOVED_IN = frozenset(MovedInRelation) - {MovedInRelation.OTHER}


class FamilyRelation(StrEnum):
    """How a family member relates to the applicant (the population registry's link)."""

    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    OTHER = "other"  # recognised as a family member by a court


@dataclass(frozen=True)
class Ownership:
    """One period in which a person owned (or co-owned) a dwelling in RK.

    `disposed` is the day the right ended (registration of the transfer); None: still owned.
    Co-owners of one dwelling each have a period with the same `cadastral_number`.
    """

    cadastral_number: str
    settlement_code: str
    acquired: dt.date
    disposed: dt.date | None = None
    declared_emergency: bool = False
    acquisition: Acquisition = Acquisition.OTHER
    address: str = ""  # for display only

    def owned_on(self, day: dt.date) -> bool:
        return self.acquired <= day and (self.disposed is None or day < self.disposed)


@dataclass(frozen=True)
class RegistrationPeriod:
    """Registered by place of residence in a settlement from `since` until `until` (None: now)."""

    settlement_code: str
    since: dt.date
    until: dt.date | None = None


@dataclass(frozen=True)
class QueuePlace:
    """An existing place in a housing queue."""

    base: QueueBase
    settlement_code: str
    since: dt.date
    number: int | None = None
    active: bool = True


@dataclass(frozen=True)
class WorseningEvent:
    """Something a person did to their housing, with the facts that make it count or not."""

    kind: WorseningKind
    on: dt.date
    bought_by_local_executive_body: bool = False  # ALIENATION: the exception of the sources
    habitable: bool = True  # ALIENATION: only a habitable dwelling counts
    was_in_need: bool = False  # MOVED_OUT: already in need there, so not a worsening
    moved_in: MovedInRelation | None = None  # MOVED_IN: who; None reads as OTHER

    @property
    def is_worsening(self) -> bool:
        """Whether the event is a deliberate worsening at all (dates aside)."""
        if self.kind is WorseningKind.ALIENATION:
            return self.habitable and not self.bought_by_local_executive_body
        if self.kind is WorseningKind.MOVED_OUT:
            return not self.was_in_need
        if self.kind is WorseningKind.MOVED_IN:
            return self.moved_in not in EXEMPT_MOVED_IN
        return True


@dataclass(frozen=True)
class HousingHistory:
    """One person's housing history as the state databases hold it.

    `ownership`: every period that was still open on the day five years ago or later, plus any
    older one acquired by privatisation or a state-programme mortgage (grounds 7 and 9 have no
    time limit). `had_state_rental`: ever had a dwelling from the state fund or one rented by the
    local executive body from the private fund (ground 5).
    """

    iin: str
    ownership: tuple[Ownership, ...] = ()
    registrations: tuple[RegistrationPeriod, ...] = ()
    queue_places: tuple[QueuePlace, ...] = ()
    had_state_rental: bool = False
    worsening: tuple[WorseningEvent, ...] = ()


@dataclass(frozen=True)
class FamilyMember:
    person: Person
    relation: FamilyRelation
    history: HousingHistory


@dataclass(frozen=True)
class HousingFacts:
    """Everything the registries say for one application: the applicant (the person to be
    registered; for a representative's application, the represented person) and the family."""

    applicant: Person
    history: HousingHistory
    family: tuple[FamilyMember, ...] = ()
    is_citizen: bool = True  # a citizen of RK; a кандас is applicant.is_kandas
    parental_care: ParentalCare = ParentalCare.NONE
    care_lost_on: dt.date | None = None  # the day the parents died / care was lost
    confirmed_categories: frozenset[str] = field(default_factory=frozenset)  # catalogue codes

    @property
    def histories(self) -> tuple[HousingHistory, ...]:
        """The applicant's history first, then each family member's, in registry order."""
        return (self.history, *(m.history for m in self.family))


@dataclass(frozen=True)
class Answers:
    """What the applicant chose in the journey (the rules read only these answers)."""

    case: Case
    settlement_code: str  # the settlement of the queue
    personal_data_consent: bool  # [002 p.12]; without it ground 12 applies
    fund: Fund = Fund.GENERAL
    category: str | None = None  # a catalogue code, or None for no category
