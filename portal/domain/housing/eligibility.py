"""Who may join the housing list at all, and which case they are in (SPEC §2 "Who qualifies").

Decisions taken where the sources are silent:
- "In the last N years" starts on the same calendar day N years ago (29 February -> 28 February,
  as seed.Ago does). A date counts as within the last N years when it is AFTER that day, so an
  ownership that ended exactly five years ago is outside, one that ended a day later is inside;
  an event exactly five years ago is outside too. "Registered for the last three years" needs a
  registration that began ON or before the day three years ago.
- Registration periods in one settlement join when the next one begins no later than the day
  after the previous one ended (a move inside the city); any longer gap breaks the three years.
- The age limit of 29 in [002 p.6] is read as the text places it: on orphans who lost their
  parents before adulthood. Children left without parental care are exempt whatever their age,
  but the care must have been lost before adulthood too (that is what makes them "children").
  An unknown date of loss (care_lost_on None) does not exempt: the office can still register them.
- The adult requirement of [002 p.7] does not bind orphans and children without parental care,
  registered under art. 71 p.3 [002 p.11] through a legal representative [002 p.13].
- The family's "only dwelling" is the one distinct dwelling (by cadastral number) that the
  applicant or a family member owns today; co-owners' periods of one dwelling count once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from portal.domain import limits
from portal.domain.housing.facts import (
    THREE_YEAR_RULE_SETTLEMENTS,
    Case,
    HousingFacts,
    Ownership,
    ParentalCare,
    RegistrationPeriod,
)
from portal.domain.people import age_on

ADULT_AGE = 18  # [002 p.7]: adult citizens and кандасы
REGISTRATION_YEARS = 3  # [002 p.6]: registered there for the last three years
ORPHAN_AGE_LIMIT = 29  # [002 p.6]: orphans who have not reached twenty-nine


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier; 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def within_last_years(moment: dt.date, today: dt.date, years: int) -> bool:
    """Whether `moment` is in the last `years` years: after the day that many years ago."""
    return years_before(today, years) < moment <= today


def owned_within_last_years(period: Ownership, today: dt.date, years: int) -> bool:
    """Whether the ownership falls in the last `years` years: still owned, or its end (the day of
    the transfer) is, like any date, after the day `years` ago (module docstring)."""
    start = years_before(today, years)
    if period.acquired > today:
        return False
    return period.disposed is None or period.disposed > start


def three_year_rule_applies(settlement_code: str) -> bool:
    """Only Astana, Almaty and Shymkent ask for three years of registration [002 p.6]."""
    return settlement_code in THREE_YEAR_RULE_SETTLEMENTS


def exempt_from_three_year_rule(facts: HousingFacts, today: dt.date) -> bool:
    """Orphans under 29 who lost their parents before adulthood, and children left without
    parental care [002 p.6]."""
    lost = facts.care_lost_on
    if facts.parental_care is ParentalCare.NONE or lost is None:
        return False
    if age_on(facts.applicant.birth_date, lost) >= ADULT_AGE:
        return False  # lost after adulthood: not a child left without parents
    if facts.parental_care is ParentalCare.ORPHAN:
        return facts.applicant.age_on(today) < ORPHAN_AGE_LIMIT
    return True


def registered_since(
    periods: Iterable[RegistrationPeriod], settlement_code: str, today: dt.date
) -> dt.date | None:
    """Since when the person has been registered in the settlement without a break, or None."""
    spans = sorted(
        (p.since, p.until or today)
        for p in periods
        if p.settlement_code == settlement_code and p.since <= today
    )
    since: dt.date | None = None
    end: dt.date | None = None
    for start, until in spans:
        if end is None or start > end + dt.timedelta(days=1):
            since, end = start, until
        else:
            end = max(end, until)
    if end is None or end < today:
        return None
    return since


def meets_three_year_rule(facts: HousingFacts, settlement_code: str, today: dt.date) -> bool:
    """True where the rule does not apply, the applicant is exempt, or the registration covers
    the whole of the last three years [002 p.6]."""
    if not three_year_rule_applies(settlement_code) or exempt_from_three_year_rule(facts, today):
        return True
    since = registered_since(facts.history.registrations, settlement_code, today)
    return since is not None and since <= years_before(today, REGISTRATION_YEARS)


def is_adult_or_orphan(facts: HousingFacts, today: dt.date) -> bool:
    """[002 p.7] adults; orphans and children without care come under art. 71 p.3 [002 p.11]."""
    return (
        facts.applicant.age_on(today) >= ADULT_AGE
        or facts.parental_care is not ParentalCare.NONE
    )


def is_citizen_or_kandas(facts: HousingFacts) -> bool:
    """[002 p.7]: citizens of RK and кандасы."""
    return facts.is_citizen or facts.applicant.is_kandas


def current_dwellings(facts: HousingFacts, today: dt.date) -> dict[str, Ownership]:
    """The distinct dwellings the applicant or a family member owns today, by cadastral number."""
    found: dict[str, Ownership] = {}
    for history in facts.histories:
        for period in history.ownership:
            if period.owned_on(today):
                found.setdefault(period.cadastral_number, period)
    return found


def only_dwelling(facts: HousingFacts, today: dt.date) -> Ownership | None:
    """The family's only dwelling today, or None when they own none or several."""
    dwellings = current_dwellings(facts, today)
    return next(iter(dwellings.values())) if len(dwellings) == 1 else None


def emergency_settlement(facts: HousingFacts, today: dt.date) -> str | None:
    """Where an emergency-case application must go: the settlement of the only dwelling, when the
    registries show it declared emergency [002 p.7 sub 2, App.1 row 9 sub 3]."""
    dwelling = only_dwelling(facts, today)
    return dwelling.settlement_code if dwelling and dwelling.declared_emergency else None


def suggested_case(facts: HousingFacts, today: dt.date) -> Case | None:
    """The case the registries point to, for the journey to pre-select; None when neither fits
    (a dwelling in five years that is not an only emergency one: ground 2 applies)."""
    owned = [
        p
        for h in facts.histories
        for p in h.ownership
        if owned_within_last_years(p, today, limits.LOOK_BACK_YEARS)
    ]
    if not owned:
        return Case.NO_HOUSING
    dwelling = only_dwelling(facts, today)
    if dwelling and dwelling.declared_emergency and all(
        p.cadastral_number == dwelling.cadastral_number for p in owned
    ):
        return Case.EMERGENCY
    return None
