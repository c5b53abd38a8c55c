"""A member of a housing list on their own page: the consent, the data they keep current, the
place over time and a place moved from an akimat's list. Pure rules over plain values.

Sources and decisions:
- [002 p.12] (ground 12): without the consent to collect and process personal data the provider
  cannot check the data in the state systems; Otbasy bank makes no offer to a member without it
  (the bank's notice to the members moved from the akimats, 2025). [design] An entry the lack of
  the consent suspended (`consent_missing`: moved without it; `consent_withdrawn`: withdrawn
  since) is restored at once when the member signs it: nothing else is waited for, the place
  keeps its number and its date. Withdrawing it suspends an active entry at once
  (`consent_withdrawn`); an entry suspended for another reason stays suspended for that reason.
- [design] The member checks three things the registries hold: the phone (the mobile
  citizens' database), the family (the population registry's links) and the registration (the
  registered address). "This is right" is recorded with its date; a change is recorded and
  starts the re-check of the grounds the office acts on (portal.housing.services.housing).
- [design] The place over time: a snapshot (position, total, status) is kept when it differs
  from the last one kept, at most one a day, so a list of a million entries costs a row only
  where something moved.
- A member moved from an akimat's list keeps the date their registration counted from there
  (the order of a list is the order of applications, portal.domain.housing.queue); the number
  is the new list's [design: the bank's lists are renumbered; the old number is shown beside
  it so the member recognises their place].
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from portal.domain.housing.queue import EntryStatus, SuspendReason

# The suspensions the consent ends when it is given.
LIFTED_BY_CONSENT = frozenset({SuspendReason.CONSENT_MISSING, SuspendReason.CONSENT_WITHDRAWN})


class CheckedItem(StrEnum):
    """What the member checks against the registries [design]."""

    PHONE = "phone"  # the mobile citizens' database
    FAMILY = "family"  # the population registry's family links
    REGISTRATION = "registration"  # the registered address


def restored_by_consent(status: str, reason: str | None) -> bool:
    """Whether signing the consent makes the entry active at once (module docstring)."""
    return status == EntryStatus.SUSPENDED and reason in LIFTED_BY_CONSENT


def suspended_by_withdrawal(status: str) -> bool:
    """Whether withdrawing the consent suspends the entry (only an active one moves)."""
    return status == EntryStatus.ACTIVE


@dataclass(frozen=True)
class PlaceAt:
    """One snapshot of a place: the day, the position (None unless active), the total."""

    on: dt.date
    position: int | None
    total: int
    status: str


def snapshot_needed(last: PlaceAt | None, position: int | None, total: int, status: str,
                    today: dt.date) -> bool:
    """A new snapshot only when the place changed since the last one, and not twice a day."""
    if last is None:
        return True
    if last.on >= today:
        return False
    return (last.position, last.total, last.status) != (position, total, status)


def moved_ahead(history: list[PlaceAt]) -> int | None:
    """Places gained from the first active snapshot to the last (negative: lost); None when
    fewer than two active snapshots exist."""
    active = [p for p in history if p.position is not None]
    if len(active) < 2:
        return None
    return active[0].position - active[-1].position
