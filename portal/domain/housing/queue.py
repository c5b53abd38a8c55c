"""The order of a housing list, the list an application joins and a place in it (SPEC §2 "Status
and queue"), as rules over plain values: the database service counts with SQL, by these rules.

Decisions taken where the sources are silent:
- A list is per settlement and per list code: GENERAL_LIST, or the code of a category the
  registries confirm. An unconfirmed category joins the general list [002 p.10].
- The order is the order of applications: the moment the application was submitted, then the
  application id (ties at the same instant, and a total order) [003 p.5: sequence number].
- The number is given at registration, one more than the highest in the list (gapless); an
  application submitted earlier but registered later (an emergency case waiting for an officer)
  gets a higher number but keeps its place in the order: position, not number, is the order.
- Position = active entries ahead + 1. Suspended and closed entries keep their number but are
  not counted ahead of anyone and have no position of their own; the total of a list is its
  active entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from portal.domain.housing.categories import CategoryStatus

GENERAL_LIST = "general"


class EntryStatus(StrEnum):
    """The state of an entry in a list [000]."""

    ACTIVE = "active"  # waiting: counted in positions and totals
    SUSPENDED = "suspended"  # kept, but out of the order until restored (e.g. data being checked)
    CLOSED = "closed"  # left the list for good: housed, withdrawn, removed


class SuspendReason(StrEnum):
    """What suspends an entry (it keeps its number, leaves the order until restored)."""

    # [000] (the guide): registration "will be suspended" without the proper certificates, and
    # a request for more information is to be answered at once "to avoid the suspension".
    DATA_NOT_CONFIRMED = "data_not_confirmed"
    # [design] after [002 p.12] (ground 12): without the consent to collect and process
    # personal data the provider cannot check the data in the state systems, so the entry
    # cannot be kept up to date; it waits, suspended, until the consent is given again.
    CONSENT_WITHDRAWN = "consent_withdrawn"
    # [design] after [002 p.12], the same reason: a member moved from an akimat's list without
    # the consent (at the end of November 2025, 86% of them) waits, suspended, until it is
    # given (portal.domain.housing.membership).
    CONSENT_MISSING = "consent_missing"


class CloseReason(StrEnum):
    """What closes an entry for good (its number is never given again)."""

    WITHDRAWN = "withdrawn"  # the applicant withdrew the application ([design]: at any time)
    HOUSED = "housed"  # [design] the person is provided with a dwelling from the list
    REMOVED = "removed"  # [design] removed by the office's motivated decision


class EntryMove(StrEnum):
    SUSPEND = "suspend"
    RESTORE = "restore"
    CLOSE = "close"


# The statuses each move starts from, and where it leads (a conditional UPDATE applies it).
ENTRY_MOVES = {
    EntryMove.SUSPEND: ((EntryStatus.ACTIVE,), EntryStatus.SUSPENDED),
    EntryMove.RESTORE: ((EntryStatus.SUSPENDED,), EntryStatus.ACTIVE),
    EntryMove.CLOSE: ((EntryStatus.ACTIVE, EntryStatus.SUSPENDED), EntryStatus.CLOSED),
}

# The reasons each move may give (a restore needs none: it ends the suspension's reason).
MOVE_REASONS = {
    EntryMove.SUSPEND: tuple(SuspendReason),
    EntryMove.RESTORE: (),
    EntryMove.CLOSE: (CloseReason.HOUSED, CloseReason.REMOVED),
}


def reason_allowed(move: EntryMove, reason: str | None) -> bool:
    allowed = MOVE_REASONS[move]
    return reason in allowed if allowed else not reason


@dataclass(frozen=True)
class ListKey:
    settlement_code: str
    list_code: str


def list_for(settlement_code: str, category: str | None, status: CategoryStatus) -> ListKey:
    """The list an application joins: its category's when confirmed, else the general one."""
    confirmed = category is not None and status is CategoryStatus.CONFIRMED
    return ListKey(settlement_code, category if confirmed else GENERAL_LIST)


@dataclass(frozen=True)
class Entry:
    id: int
    key: ListKey
    submitted_at: dt.datetime  # timezone-aware
    status: EntryStatus = EntryStatus.ACTIVE
    number: int | None = None


def order_key(entry: Entry) -> tuple[dt.datetime, int]:
    """Sort key of a list: submitted moment, then id."""
    if entry.submitted_at.utcoffset() is None:
        raise ValueError("submitted_at must be timezone-aware")
    return (entry.submitted_at, entry.id)


def is_ahead(other: Entry, entry: Entry) -> bool:
    """Whether `other` counts ahead of `entry`: same list, active, earlier in the order."""
    return (
        other.key == entry.key
        and other.status is EntryStatus.ACTIVE
        and order_key(other) < order_key(entry)
    )


def position(entry: Entry, entries: Iterable[Entry]) -> int | None:
    """Active entries ahead + 1; None when the entry itself is not active."""
    if entry.status is not EntryStatus.ACTIVE:
        return None
    return 1 + sum(1 for other in entries if is_ahead(other, entry))


def total(key: ListKey, entries: Iterable[Entry]) -> int:
    """Active entries in the list."""
    return sum(1 for e in entries if e.key == key and e.status is EntryStatus.ACTIVE)


def next_number(highest: int | None) -> int:
    """The number a newly registered entry takes, given the highest in its list (None: empty)."""
    return 1 if highest is None else highest + 1


# --- counts kept up to date (the database's rank structure) ------------------------------------
# [design] Instead of counting the entries ahead on every look-up, the database keeps, per list,
# how many active entries were submitted on each UTC day and in each UTC year. The entries ahead
# of one submitted at moment t are then: those of the years before t's year (one count per
# year), those of the days of t's year before t's day (at most 365 counts), and the entries of
# t's own day ahead in the order (counted, a handful). `ahead_from_counts` states the sum;
# tests/unit/test_housing_queue_counts.py checks it equals `position` - 1 for any entries.

EPOCH = dt.date(1970, 1, 1)


def count_day(moment: dt.datetime) -> int:
    """The UTC day a moment counts in, as days since 1970-01-01 (negative before)."""
    return (moment.astimezone(dt.UTC).date() - EPOCH).days


def count_year(moment: dt.datetime) -> int:
    """The UTC year a moment counts in."""
    return moment.astimezone(dt.UTC).year


def day_start(day: int) -> dt.datetime:
    """The first moment (UTC) of a count_day."""
    return dt.datetime.combine(EPOCH + dt.timedelta(days=day), dt.time(), dt.UTC)


def first_day_of_year(year: int) -> int:
    return (dt.date(year, 1, 1) - EPOCH).days


def ahead_from_counts(entry: Entry, per_year: dict[int, int], per_day: dict[int, int],
                      same_day: Iterable[Entry]) -> int:
    """Entries ahead of an active `entry`, from its list's counts of active entries per year
    and per day and the entries of its own day (same list)."""
    year, day = count_year(entry.submitted_at), count_day(entry.submitted_at)
    return (sum(n for y, n in per_year.items() if y < year)
            + sum(n for d, n in per_day.items() if first_day_of_year(year) <= d < day)
            + sum(1 for other in same_day if is_ahead(other, entry)))
