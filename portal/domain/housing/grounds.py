"""Every ground to refuse a place on the housing list (SPEC §2 "Refusal grounds"), as named rules.

`refusal_grounds(facts, answers, today)` lists EVERY ground that applies, in the order below
(SPEC's numbering 1-12, then the requirements of [002 App.1 row 9 sub 2]); `refusal_findings`
says also whose facts raised each one. The member's value is its stable code (stored in the
database, used as the translation key by the web layer); GROUNDS holds its number and legal
reference as plain data (written here only; the web layer words it in each language and names
the ground by the same key: the domain has no gettext). Never rename a code: add a new member
instead.

Decisions taken where the sources are silent:
- Every rule that reads a person's housing history (grounds 1, 2, 3, 4, 5, 7, 8, 9, 11) reads the
  applicant's AND each family member's: the provider checks "me and my family members"
  [002 App.2, p.13]. The requirements (adult, citizen, three years' registration) and the
  consent read the applicant only.
- Grounds 3 and 4 apply only to an application for a state institution's or a state enterprise's
  housing fund (Answers.fund); the e-base's general list (the default) never raises them. They
  read the same five-year look-back as ground 2 (the only ownership data the registries give),
  so whenever one of them applies, ground 2 applies too; both are listed, as the decision must
  name every ground.
- In the emergency case the family's only dwelling (the one the expert's conclusion is about)
  does not raise grounds 2, 3 or 4: [002 p.7 sub 2] admits exactly those owners. Any other
  dwelling owned in the five years still does.
- Ground 8 (an only dwelling declared emergency in another settlement) reads the registries'
  emergency mark, whatever the case chosen; ground 10 (emergency case filed outside the
  emergency dwelling's settlement) reads the case and the only dwelling, marked or not (the
  officer checks the mark against the expert's conclusion). An emergency application in the
  wrong settlement therefore usually lists both.
- Grounds 5, 7 and 9 have no time limit in the sources: any record the registries return counts.
- Ground 6 (unreliable documents or data) and EMERGENCY_NOT_CONFIRMED are never computed: only
  the office raises them (OFFICE_GROUNDS), see decision_grounds().
- [002 App.1 row 9 sub 2] (the applicant does not meet the requirements of the Rules) is missing
  from SPEC's list of 12; its cases are named grounds here: three years' registration [002 p.6],
  adulthood and citizenship [002 p.7], and the emergency not confirmed by the office.
- Ground 1 reads a place on either base: the akimats' unified republican e-base and the
  «Housing provision centre» e-base itself. [002 p.7 sub 1] asks for no dwelling "when put on
  the unified republican e-base AND the «Housing provision centre» e-base", and a second place on
  the e-base for one person is what the ground prevents; the journey also shows the place and
  opens no second application (portal.housing.services.standing.standing_of).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from portal.domain import limits
from portal.domain.housing.eligibility import (
    is_adult_or_orphan,
    is_citizen_or_kandas,
    meets_three_year_rule,
    only_dwelling,
    owned_within_last_years,
    within_last_years,
)
from portal.domain.housing.facts import (
    Acquisition,
    Answers,
    Case,
    Fund,
    HousingFacts,
    HousingHistory,
    Ownership,
    QueueBase,
)

ON_A_BASE = frozenset({QueueBase.UNIFIED, QueueBase.HOUSING_CENTRE})  # ground 1 reads both


class Ground(StrEnum):
    """A refusal ground; the value is the stable code."""

    ON_UNIFIED_BASE = "on_unified_base"  # already waiting on the akimats' unified e-base
    OWNED_IN_FIVE_YEARS = "owned_in_five_years"  # owned a dwelling in RK in the last five years
    OWNED_IN_SETTLEMENT = "owned_in_settlement"  # state institution's fund: owned one here
    OWNED_IN_RK = "owned_in_rk"  # state enterprise's fund: owned one in RK
    HAD_STATE_RENTAL = "had_state_rental"  # already housed from the state fund / by the akimat
    UNRELIABLE_DATA = "unreliable_data"  # office only: documents or data found unreliable
    PRIVATISED = "privatised"  # already received and privatised state housing
    EMERGENCY_ELSEWHERE = "emergency_elsewhere"  # only emergency dwelling is in another settlement
    STATE_MORTGAGE = "state_mortgage"  # bought with a state-programme mortgage
    EMERGENCY_WRONG_SETTLEMENT = "emergency_wrong_settlement"  # emergency case filed elsewhere
    DELIBERATE_WORSENING = "deliberate_worsening"  # made themself needy in the last five years
    NO_PERSONAL_DATA_CONSENT = "no_personal_data_consent"  # the provider may not check anything
    NOT_REGISTERED_THREE_YEARS = "not_registered_three_years"  # Astana/Almaty/Shymkent, < 3 years
    NOT_ADULT = "not_adult"  # a minor who is not an orphan or without parental care
    NOT_CITIZEN = "not_citizen"  # neither a citizen of RK nor a кандас
    EMERGENCY_NOT_CONFIRMED = "emergency_not_confirmed"  # office only: the conclusion fails


CITED_RULES = "Rules (Order No. 130 of 17.04.2025)"  # what every reference below cites


@dataclass(frozen=True)
class Point:
    """A point of the Rules, and its sub-point if any: "p. 15 sub. 1"."""

    n: int
    sub: int | None = None

    def en(self) -> str:
        return f"p. {self.n}" + (f" sub. {self.sub}" if self.sub is not None else "")


@dataclass(frozen=True)
class Appendix1:
    """A sub-point of row 9 of Appendix 1 to the Rules (the grounds to refuse)."""

    sub: int

    def en(self) -> str:
        return f"Appendix 1 row 9 sub. {self.sub}"


@dataclass(frozen=True)
class GroundInfo:
    """Plain data about a ground: SPEC §2 number (None: not in SPEC's list), its legal
    reference (the one place it is written; the web layer words it in each language from these
    parts, portal.housing.labels) and who raises it. The ground's name is the web layer's, by
    the same key (portal.housing.labels.GROUND_NAMES)."""

    number: int | None
    reference: tuple[Point | Appendix1, ...]
    office_only: bool = False
    fund: Fund | None = None  # only applications for this fund can raise it

    @property
    def reference_en(self) -> str:
        return f"{CITED_RULES}, " + "; ".join(part.en() for part in self.reference)


GROUNDS: dict[Ground, GroundInfo] = {
    Ground.ON_UNIFIED_BASE: GroundInfo(1, (Point(15, 1),)),
    Ground.OWNED_IN_FIVE_YEARS: GroundInfo(2, (Point(15, 2),)),
    Ground.OWNED_IN_SETTLEMENT: GroundInfo(3, (Point(15, 3),), fund=Fund.STATE_INSTITUTION),
    Ground.OWNED_IN_RK: GroundInfo(4, (Point(15, 4),), fund=Fund.STATE_ENTERPRISE),
    Ground.HAD_STATE_RENTAL: GroundInfo(5, (Point(15, 5),)),
    Ground.UNRELIABLE_DATA: GroundInfo(6, (Point(15, 6), Appendix1(1)), office_only=True),
    Ground.PRIVATISED: GroundInfo(7, (Point(15, 7),)),
    Ground.EMERGENCY_ELSEWHERE: GroundInfo(8, (Point(15, 8),)),
    Ground.STATE_MORTGAGE: GroundInfo(9, (Point(15, 9),)),
    Ground.EMERGENCY_WRONG_SETTLEMENT: GroundInfo(10, (Appendix1(3),)),
    Ground.DELIBERATE_WORSENING: GroundInfo(11, (Appendix1(3),)),
    Ground.NO_PERSONAL_DATA_CONSENT: GroundInfo(12, (Appendix1(4), Point(12))),
    Ground.NOT_REGISTERED_THREE_YEARS: GroundInfo(None, (Appendix1(2), Point(6))),
    Ground.NOT_ADULT: GroundInfo(None, (Appendix1(2), Point(7))),
    Ground.NOT_CITIZEN: GroundInfo(None, (Appendix1(2), Point(7))),
    Ground.EMERGENCY_NOT_CONFIRMED: GroundInfo(None, (Appendix1(2), Point(7, 2), Point(13)),
                                               office_only=True),
}

OFFICE_GROUNDS = frozenset(g for g, info in GROUNDS.items() if info.office_only)


@dataclass(frozen=True)
class Finding:
    """A ground that applies, and the IINs whose registry facts raise it (applicant first)."""

    ground: Ground
    iins: tuple[str, ...]


def _who(facts: HousingFacts, test: Callable[[HousingHistory], bool]) -> tuple[str, ...]:
    return tuple(h.iin for h in facts.histories if test(h))


def _owned_in_window(
    facts: HousingFacts, answers: Answers, today: dt.date
) -> Callable[[Ownership], bool]:
    """Owned in the five years, leaving out the only dwelling in the emergency case."""
    spared = None
    if answers.case is Case.EMERGENCY:
        dwelling = only_dwelling(facts, today)
        spared = dwelling.cadastral_number if dwelling else None
    return lambda p: p.cadastral_number != spared and owned_within_last_years(
        p, today, limits.LOOK_BACK_YEARS
    )


def _owned(
    facts: HousingFacts, answers: Answers, today: dt.date, settlement: str | None = None
) -> tuple[str, ...]:
    counts = _owned_in_window(facts, answers, today)
    return _who(
        facts,
        lambda h: any(
            counts(p) and (settlement is None or p.settlement_code == settlement)
            for p in h.ownership
        ),
    )


def _acquired(facts: HousingFacts, how: Acquisition) -> tuple[str, ...]:
    return _who(facts, lambda h: any(p.acquisition is how for p in h.ownership))


def _emergency_owners(
    facts: HousingFacts, answers: Answers, today: dt.date, marked_only: bool
) -> tuple[str, ...]:
    dwelling = only_dwelling(facts, today)
    if dwelling is None or dwelling.settlement_code == answers.settlement_code:
        return ()
    if marked_only and not dwelling.declared_emergency:
        return ()
    return _who(
        facts,
        lambda h: any(
            p.cadastral_number == dwelling.cadastral_number and p.owned_on(today)
            for p in h.ownership
        ),
    )


def _applicant_if(facts: HousingFacts, applies: bool) -> tuple[str, ...]:
    return (facts.applicant.iin,) if applies else ()


Rule = Callable[[HousingFacts, Answers, dt.date], tuple[str, ...]]

RULES: dict[Ground, Rule] = {
    Ground.ON_UNIFIED_BASE: lambda f, a, t: _who(
        f, lambda h: any(q.active and q.base in ON_A_BASE for q in h.queue_places)
    ),
    Ground.OWNED_IN_FIVE_YEARS: _owned,
    Ground.OWNED_IN_SETTLEMENT: lambda f, a, t: (
        _owned(f, a, t, a.settlement_code) if a.fund is Fund.STATE_INSTITUTION else ()
    ),
    Ground.OWNED_IN_RK: lambda f, a, t: (
        _owned(f, a, t) if a.fund is Fund.STATE_ENTERPRISE else ()
    ),
    Ground.HAD_STATE_RENTAL: lambda f, a, t: _who(f, lambda h: h.had_state_rental),
    Ground.PRIVATISED: lambda f, a, t: _acquired(f, Acquisition.PRIVATISATION),
    Ground.EMERGENCY_ELSEWHERE: lambda f, a, t: _emergency_owners(f, a, t, marked_only=True),
    Ground.STATE_MORTGAGE: lambda f, a, t: _acquired(f, Acquisition.STATE_MORTGAGE),
    Ground.EMERGENCY_WRONG_SETTLEMENT: lambda f, a, t: (
        _emergency_owners(f, a, t, marked_only=False) if a.case is Case.EMERGENCY else ()
    ),
    Ground.DELIBERATE_WORSENING: lambda f, a, t: _who(
        f,
        lambda h: any(
            e.is_worsening and within_last_years(e.on, t, limits.LOOK_BACK_YEARS)
            for e in h.worsening
        ),
    ),
    Ground.NO_PERSONAL_DATA_CONSENT: lambda f, a, t: _applicant_if(
        f, not a.personal_data_consent
    ),
    Ground.NOT_REGISTERED_THREE_YEARS: lambda f, a, t: _applicant_if(
        f, not meets_three_year_rule(f, a.settlement_code, t)
    ),
    Ground.NOT_ADULT: lambda f, a, t: _applicant_if(f, not is_adult_or_orphan(f, t)),
    Ground.NOT_CITIZEN: lambda f, a, t: _applicant_if(f, not is_citizen_or_kandas(f)),
}

# Every ground is either computed here or raised by the office, never both, never neither.
assert set(RULES) | OFFICE_GROUNDS == set(Ground) and not set(RULES) & OFFICE_GROUNDS


def refusal_findings(facts: HousingFacts, answers: Answers, today: dt.date) -> list[Finding]:
    """Every computed ground that applies, in Ground order, with the IINs that raise it."""
    found = []
    for ground in Ground:
        rule = RULES.get(ground)
        iins = rule(facts, answers, today) if rule else ()
        if iins:
            found.append(Finding(ground, iins))
    return found


def refusal_grounds(facts: HousingFacts, answers: Answers, today: dt.date) -> list[Ground]:
    """Every computed ground that applies; empty: the system registers the applicant."""
    return [f.ground for f in refusal_findings(facts, answers, today)]


def decision_grounds(
    computed: Iterable[Ground], raised_by_office: Iterable[Ground]
) -> list[Ground]:
    """The grounds of a decision: the computed ones plus those the office raised, in Ground
    order, each once. The office may only add OFFICE_GROUNDS: it cannot invent a computed one."""
    raised = set(raised_by_office)
    if not raised <= OFFICE_GROUNDS:
        raise ValueError(f"only office grounds may be raised by hand: {raised - OFFICE_GROUNDS}")
    chosen = set(computed) | raised
    return [g for g in Ground if g in chosen]
