"""Who may register whom, and which path an address takes (SPEC §1), as pure decisions.

The web layer asks the registries for people and the dwelling, then calls these functions;
nothing here trusts what the form says about relations or ownership.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from portal.domain.people import Capacity, Dwelling, DwellingKind, Person, Relation, RelationKind

ADULT_AGE = 18
SELF_APPLY_AGE = 16
OWN_RESIDENCE_AGE = 14  # Civil Code art. 16: below this the residence is the parents'


class SubjectProblem(StrEnum):
    CHILD_UNDER_14 = "child_under_14"  # never registered on their own: shares the parents' address
    NOT_LINKED = "not_linked"  # the population registry does not link this person to the applicant
    CAPABLE_ADULT = "capable_adult"  # a guardian cannot register a fully capable adult
    CHILD_OVER_16 = "child_over_16"  # 16+ with capacity applies for themself
    APPLICANT_NOT_ADULT = "applicant_not_adult"  # applying for someone else needs 18+
    APPLICANT_INCAPABLE = "applicant_incapable"  # their guardian applies instead
    APPLICANT_UNDER_16 = "applicant_under_16"  # a child of 14-15 is registered by a parent


def check_subject(
    applicant: Person, subject: Person, relations: list[Relation], today: dt.date
) -> SubjectProblem | None:
    """None when the applicant may register the subject online, else the first reason why not.

    Decisions where SPEC §1 is silent:
    - a child under 14 gets CHILD_UNDER_14 before anything else (self, linked or not), since
      nothing any applicant does can change it and it is the most helpful explanation;
    - an applicant of LIMITED capacity is treated like an INCAPABLE one, for themself and for
      others: the table lets a guardian act for both, and the law does not let a person of
      limited capacity be someone else's guardian;
    - applying for self, the age (APPLICANT_UNDER_16) is checked before capacity;
    - minors need a PARENT link, adults a GUARDIAN link; an adult without full capacity linked
      only as PARENT is NOT_LINKED (the registry shows no guardianship);
    - a 16-17-year-old with full capacity applies for themself (CHILD_OVER_16); one declared
      incapable or of limited capacity by a court cannot (APPLICANT_INCAPABLE), so the parent
      applies as the legal representative of a minor (PARENT link), exactly as for a child of
      14-15. Without this, such a teenager would have no online path at all, and the parent
      would be told something untrue ("from 16 a person with full capacity applies").
      SPEC §1 lets the legal representative act for a person of limited capacity; until 18 that
      representative is the parent.
    """
    age = subject.age_on(today)
    if age < OWN_RESIDENCE_AGE:
        return SubjectProblem.CHILD_UNDER_14
    if subject.iin == applicant.iin:
        return _check_self(applicant, age)
    if applicant.capacity is not Capacity.FULL:
        return SubjectProblem.APPLICANT_INCAPABLE
    if applicant.age_on(today) < ADULT_AGE:
        return SubjectProblem.APPLICANT_NOT_ADULT
    kinds = {r.kind for r in relations if r.ward.iin == subject.iin}
    if not kinds:
        return SubjectProblem.NOT_LINKED
    return _check_representative(subject, age, kinds)


def _check_self(applicant: Person, age: int) -> SubjectProblem | None:
    """Applying for oneself: from 16, with full capacity (age first: the docstring above)."""
    if age < SELF_APPLY_AGE:
        return SubjectProblem.APPLICANT_UNDER_16
    if applicant.capacity is not Capacity.FULL:
        return SubjectProblem.APPLICANT_INCAPABLE
    return None


def _check_representative(subject: Person, age: int, kinds: set) -> SubjectProblem | None:
    """An adult of full capacity applying for a linked person: which link the age asks for."""
    if age < SELF_APPLY_AGE:
        return None if RelationKind.PARENT in kinds else SubjectProblem.NOT_LINKED
    if age < ADULT_AGE:
        if subject.capacity is Capacity.FULL:
            return SubjectProblem.CHILD_OVER_16
        return None if RelationKind.PARENT in kinds else SubjectProblem.NOT_LINKED
    is_guardian = RelationKind.GUARDIAN in kinds
    if subject.capacity is Capacity.FULL:
        return SubjectProblem.CAPABLE_ADULT if is_guardian else SubjectProblem.CHILD_OVER_16
    return None if is_guardian else SubjectProblem.NOT_LINKED


class Duplicate(StrEnum):
    """Why an application would repeat one that exists (SPEC §1, [design])."""

    # One registration at a time: two applications waiting for owners could both succeed, and
    # the registry would end with whichever owner answered last.
    AWAITING_CONSENT = "awaiting_consent"
    # Registering someone where they are already registered changes nothing, yet it would ask
    # the owners again: the portal is no tool to pester owners.
    ALREADY_REGISTERED = "already_registered"


def check_duplicate(subject: Person, address_id: int, awaiting_elsewhere: bool
                    ) -> Duplicate | None:
    """None when nothing stands in the way; `awaiting_elsewhere`: the subject already has an
    application awaiting consent (at any address). Being registered at the very address comes
    first, as nothing the applicant waits for can change it."""
    if subject.registered_address_id == address_id:
        return Duplicate.ALREADY_REGISTERED
    if awaiting_elsewhere:
        return Duplicate.AWAITING_CONSENT
    return None


class Outcome(StrEnum):
    """Why an application was rejected (codes stored in Application.outcome)."""

    NOT_IN_LEASE = "not_in_lease"
    OWNER_REFUSED = "owner_refused"
    OWNER_TOO_LATE = "owner_too_late"
    OWNER_NOT_REACHED = "owner_not_reached"  # the owner's SMS failed for good
    NO_LONGER_ONLINE = "no_longer_online"  # the registries changed since the path was shown


class Path(StrEnum):
    NO_CONSENT = "no_consent"  # subject (co-)owns it, or the applicant is the only other owner
    OWNER_CONSENT = "owner_consent"  # each other owner confirms a 1414 SMS code within the hour
    LEASE_ALLOWED = "lease_allowed"  # state rental, subject is in the lease
    LEASE_REFUSED = "lease_refused"  # state rental, not in the lease: see the local executive body
    OFFLINE_ONLY = "offline_only"  # an owner is a minor or lacks full capacity: ЦОН only
    OWNER_UNREACHABLE = "owner_unreachable"  # an owner who must consent has no mobile on record
    UNKNOWN_DWELLING = "unknown_dwelling"  # no real-estate record to check: ЦОН


ONLINE_PATHS = frozenset({Path.NO_CONSENT, Path.OWNER_CONSENT, Path.LEASE_ALLOWED})


@dataclass(frozen=True)
class Route:
    """The path, and the owners it concerns: those to ask (OWNER_CONSENT) or those without a
    phone (OWNER_UNREACHABLE), in registry order."""

    path: Path
    consenting_owners: tuple[Person, ...] = ()

    @property
    def online_possible(self) -> bool:
        """Whether the portal may take the application at all (otherwise it explains and stops)."""
        return self.path in ONLINE_PATHS


def _needs_offline(owner: Person, today: dt.date) -> bool:
    """A minor or court-restricted owner cannot consent by SMS: SPEC §1 address rule 4."""
    return owner.age_on(today) < ADULT_AGE or owner.capacity is not Capacity.FULL


def route(applicant: Person, subject: Person, dwelling: Dwelling | None, today: dt.date) -> Route:
    """Which path registering `subject` at `dwelling` takes, checked in the order of SPEC §1."""
    if dwelling is None:
        return Route(Path.UNKNOWN_DWELLING)
    if dwelling.kind is DwellingKind.STATE_RENTAL:
        in_lease = subject.iin in dwelling.lease_members or subject.iin == dwelling.tenant_iin
        return Route(Path.LEASE_ALLOWED if in_lease else Path.LEASE_REFUSED)
    if not dwelling.owners:
        return Route(Path.UNKNOWN_DWELLING)
    if any(_needs_offline(owner, today) for owner in dwelling.owners):
        return Route(Path.OFFLINE_ONLY)
    if any(owner.iin == subject.iin for owner in dwelling.owners):
        return Route(Path.NO_CONSENT)
    consenting = tuple(owner for owner in dwelling.owners if owner.iin != applicant.iin)
    if not consenting:
        return Route(Path.NO_CONSENT)
    unreachable = tuple(owner for owner in consenting if not owner.phone)
    if unreachable:
        return Route(Path.OWNER_UNREACHABLE, unreachable)
    return Route(Path.OWNER_CONSENT, consenting)
