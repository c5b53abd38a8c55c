"""Every refusal ground of the housing list (SPEC §2 1-12 and [002 App.1 row 9 sub 2]) on
purpose-built facts, at its edges; the three-year rule and its exceptions; the two cases."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.housing.eligibility import (
    emergency_settlement,
    exempt_from_three_year_rule,
    registered_since,
    suggested_case,
    years_before,
)
from portal.domain.housing.facts import (
    Acquisition,
    Answers,
    Case,
    FamilyMember,
    FamilyRelation,
    Fund,
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
from portal.domain.housing.grounds import (
    GROUNDS,
    OFFICE_GROUNDS,
    RULES,
    Ground,
    decision_grounds,
    refusal_findings,
    refusal_grounds,
)
from portal.domain.people import Person

D = dt.date
TODAY = D(2026, 11, 23)
FIVE_YEARS_AGO = D(2021, 11, 23)
THREE_YEARS_AGO = D(2023, 11, 23)
APPLICANT = "960327400123"
SPOUSE = "950101300456"
BORN = D(1996, 3, 27)
BOUGHT = D(2010, 1, 1)


def person(iin=APPLICANT, born=BORN, **kw) -> Person:
    return Person(iin, "Әлімжанова", "Айжан", None, born, "F", **kw)


def history(iin=APPLICANT, **kw) -> HousingHistory:
    kw.setdefault("registrations", (RegistrationPeriod("almaty", D(2014, 9, 1)),))
    return HousingHistory(iin, **kw)


def facts(*, family=(), applicant=None, **kw) -> HousingFacts:
    hist = kw.pop("history", None) or history()
    return HousingFacts(applicant or person(), hist, family=family, **kw)


def spouse(**kw) -> FamilyMember:
    return FamilyMember(person(SPOUSE, D(1995, 1, 1)), FamilyRelation.SPOUSE,
                        HousingHistory(SPOUSE, **kw))


def answers(**kw) -> Answers:
    kw.setdefault("case", Case.NO_HOUSING)
    kw.setdefault("settlement_code", "almaty")
    kw.setdefault("personal_data_consent", True)
    return Answers(**kw)


def flat(settlement="almaty", acquired=BOUGHT, disposed=None, cadastral="20:311:1", **kw):
    return Ownership(cadastral, settlement, acquired, disposed, **kw)


def grounds(f=None, a=None, today=TODAY):
    return refusal_grounds(f or facts(), a or answers(), today)


def test_a_clean_applicant_has_no_ground():
    assert grounds() == []


# --- 1. already on the unified republican e-base --------------------------------------------


def test_1_an_active_place_on_the_unified_base():
    place = QueuePlace(QueueBase.UNIFIED, "almaty", D(2019, 1, 1), number=812)
    assert grounds(facts(history=history(queue_places=(place,)))) == [Ground.ON_UNIFIED_BASE]


def test_1_a_closed_place_is_not_the_ground():
    closed = QueuePlace(QueueBase.UNIFIED, "almaty", D(2019, 1, 1), active=False)
    ours = QueuePlace(QueueBase.HOUSING_CENTRE, "almaty", D(2019, 1, 1), active=False)
    assert grounds(facts(history=history(queue_places=(closed, ours)))) == []


def test_p15_sub1_ground_1_counts_a_place_on_the_housing_provision_centre_base():
    """[002 p.7 sub 1, p.15 sub 1]: a place on our own e-base is a place on the base too."""
    ours = QueuePlace(QueueBase.HOUSING_CENTRE, "almaty", D(2025, 6, 1), number=3)
    assert grounds(facts(history=history(queue_places=(ours,)))) == [Ground.ON_UNIFIED_BASE]


def test_1_a_family_member_on_the_unified_base_is_named():
    place = QueuePlace(QueueBase.UNIFIED, "astana", D(2018, 1, 1))
    found = refusal_findings(facts(family=(spouse(queue_places=(place,)),)), answers(), TODAY)
    assert [(f.ground, f.iins) for f in found] == [(Ground.ON_UNIFIED_BASE, (SPOUSE,))]


# --- 2. owned a dwelling in RK in the last five years ---------------------------------------


@pytest.mark.parametrize(
    ("disposed", "applies"),
    [
        (FIVE_YEARS_AGO, False),  # ended exactly five years ago: outside
        (FIVE_YEARS_AGO + dt.timedelta(days=1), True),  # one day less than five years
        (None, True),  # still owned
        (D(2015, 1, 1), False),
    ],
)
def test_2_ownership_ended_five_years_ago_is_the_edge(disposed, applies):
    f = facts(history=history(ownership=(flat(disposed=disposed),)))
    assert (Ground.OWNED_IN_FIVE_YEARS in grounds(f)) is applies


def test_2_on_29_february_five_years_ago_is_28_february():
    today = D(2028, 2, 29)
    assert years_before(today, 5) == D(2023, 2, 28)
    edge = facts(history=history(ownership=(flat(disposed=D(2023, 2, 28)),)))
    inside = facts(history=history(ownership=(flat(disposed=D(2023, 3, 1)),)))
    assert Ground.OWNED_IN_FIVE_YEARS not in grounds(edge, today=today)
    assert Ground.OWNED_IN_FIVE_YEARS in grounds(inside, today=today)


def test_2_a_spouses_dwelling_counts_and_is_named():
    f = facts(family=(spouse(ownership=(flat("astana", disposed=D(2024, 5, 1)),)),))
    found = refusal_findings(f, answers(), TODAY)
    assert [(x.ground, x.iins) for x in found] == [(Ground.OWNED_IN_FIVE_YEARS, (SPOUSE,))]


def test_2_the_only_emergency_dwelling_does_not_count_in_the_emergency_case():
    home = flat("karaganda", D(1996, 5, 20), declared_emergency=True)
    f = facts(history=history(ownership=(home,)))
    emergency = answers(case=Case.EMERGENCY, settlement_code="karaganda")
    assert grounds(f, emergency) == []
    # chosen as a no-housing case, the same dwelling is a dwelling owned in five years
    assert Ground.OWNED_IN_FIVE_YEARS in grounds(f, answers(settlement_code="karaganda"))


def test_2_a_co_owned_only_emergency_dwelling_is_one_dwelling():
    home = flat("karaganda", D(1996, 5, 20), declared_emergency=True, cadastral="09:1:3")
    f = facts(history=history(ownership=(home,)), family=(spouse(ownership=(home,)),))
    assert grounds(f, answers(case=Case.EMERGENCY, settlement_code="karaganda")) == []


def test_2_another_dwelling_sold_in_five_years_still_counts_in_the_emergency_case():
    home = flat("karaganda", D(1996, 5, 20), declared_emergency=True, cadastral="09:1:3")
    sold = flat("karaganda", D(2015, 1, 1), D(2024, 1, 1), cadastral="09:1:4")
    f = facts(history=history(ownership=(home, sold)))
    a = answers(case=Case.EMERGENCY, settlement_code="karaganda")
    assert grounds(f, a) == [Ground.OWNED_IN_FIVE_YEARS]


# --- 3 and 4. state institution / state enterprise housing funds ----------------------------


def test_3_state_institution_fund_owned_in_this_settlement():
    f = facts(history=history(ownership=(flat("almaty", disposed=D(2023, 1, 1)),)))
    assert grounds(f, answers(fund=Fund.STATE_INSTITUTION)) == [
        Ground.OWNED_IN_FIVE_YEARS,
        Ground.OWNED_IN_SETTLEMENT,
    ]


def test_3_state_institution_fund_owned_elsewhere_is_only_ground_2():
    f = facts(history=history(ownership=(flat("astana", disposed=D(2023, 1, 1)),)))
    assert grounds(f, answers(fund=Fund.STATE_INSTITUTION)) == [Ground.OWNED_IN_FIVE_YEARS]


def test_4_state_enterprise_fund_owned_anywhere_in_rk():
    f = facts(history=history(ownership=(flat("astana", disposed=D(2023, 1, 1)),)))
    assert grounds(f, answers(fund=Fund.STATE_ENTERPRISE)) == [
        Ground.OWNED_IN_FIVE_YEARS,
        Ground.OWNED_IN_RK,
    ]


@pytest.mark.parametrize("ground", [Ground.OWNED_IN_SETTLEMENT, Ground.OWNED_IN_RK])
def test_3_and_4_never_apply_to_the_general_list(ground):
    f = facts(history=history(ownership=(flat("almaty"),)))
    assert ground not in grounds(f, answers())
    assert GROUNDS[ground].fund is not None


def test_3_and_4_read_the_same_five_years():
    old = facts(history=history(ownership=(flat("almaty", disposed=FIVE_YEARS_AGO),)))
    assert grounds(old, answers(fund=Fund.STATE_INSTITUTION)) == []
    assert grounds(old, answers(fund=Fund.STATE_ENTERPRISE)) == []


# --- 5. state rental housing ---------------------------------------------------------------


def test_5_had_state_rental_housing():
    assert grounds(facts(history=history(had_state_rental=True))) == [Ground.HAD_STATE_RENTAL]
    assert grounds(facts(family=(spouse(had_state_rental=True),))) == [Ground.HAD_STATE_RENTAL]


# --- 6. unreliable data: the office's ground --------------------------------------------------


def test_6_is_never_computed_but_the_office_can_raise_it():
    assert Ground.UNRELIABLE_DATA in OFFICE_GROUNDS
    assert Ground.UNRELIABLE_DATA not in RULES
    computed = grounds(facts(history=history(had_state_rental=True)))
    assert decision_grounds(computed, [Ground.UNRELIABLE_DATA]) == [
        Ground.HAD_STATE_RENTAL,
        Ground.UNRELIABLE_DATA,
    ]
    assert decision_grounds([], []) == []


def test_the_office_cannot_raise_a_computed_ground_by_hand():
    with pytest.raises(ValueError):
        decision_grounds([], [Ground.OWNED_IN_FIVE_YEARS])


# --- 7. privatised state housing --------------------------------------------------------------


def test_7_privatised_long_ago_still_counts():
    privatised = flat("karaganda", D(1996, 3, 10), D(2012, 8, 25),
                      acquisition=Acquisition.PRIVATISATION)
    assert grounds(facts(history=history(ownership=(privatised,)))) == [Ground.PRIVATISED]


# --- 8 and 10. the only emergency dwelling and the settlement ------------------------------


EMERGENCY_HOME = flat("karaganda", D(1996, 5, 20), declared_emergency=True, cadastral="09:1:3")
IN_ASTANA = (RegistrationPeriod("astana", D(2010, 1, 1)),)  # so the three-year rule is kept


def test_8_and_10_emergency_case_filed_in_another_settlement():
    f = facts(history=history(ownership=(EMERGENCY_HOME,), registrations=IN_ASTANA))
    a = answers(case=Case.EMERGENCY, settlement_code="astana")
    assert Ground.EMERGENCY_ELSEWHERE in grounds(f, a)
    assert Ground.EMERGENCY_WRONG_SETTLEMENT in grounds(f, a)
    assert emergency_settlement(f, TODAY) == "karaganda"


def test_8_also_in_the_no_housing_case():
    f = facts(history=history(ownership=(EMERGENCY_HOME,), registrations=IN_ASTANA))
    assert grounds(f, answers(settlement_code="astana")) == [
        Ground.OWNED_IN_FIVE_YEARS,
        Ground.EMERGENCY_ELSEWHERE,
    ]


def test_10_without_the_registry_mark_only_the_case_and_settlement_count():
    unmarked = dataclasses.replace(EMERGENCY_HOME, declared_emergency=False)
    f = facts(history=history(ownership=(unmarked,), registrations=IN_ASTANA))
    a = answers(case=Case.EMERGENCY, settlement_code="astana")
    assert Ground.EMERGENCY_WRONG_SETTLEMENT in grounds(f, a)
    assert Ground.EMERGENCY_ELSEWHERE not in grounds(f, a)
    assert grounds(f, answers(case=Case.EMERGENCY, settlement_code="karaganda")) == []


def test_8_not_when_the_family_owns_two_dwellings():
    other = flat("astana", D(2010, 1, 1), cadastral="01:2:2")
    f = facts(history=history(ownership=(EMERGENCY_HOME, other), registrations=IN_ASTANA))
    assert grounds(f, answers(settlement_code="astana")) == [Ground.OWNED_IN_FIVE_YEARS]
    assert emergency_settlement(f, TODAY) is None


# --- 9. state-programme mortgage ----------------------------------------------------------------


def test_9_state_mortgage():
    bought = flat("astana", D(2016, 8, 1), D(2020, 1, 1), acquisition=Acquisition.STATE_MORTGAGE)
    assert grounds(facts(history=history(ownership=(bought,)))) == [Ground.STATE_MORTGAGE]


# --- 11. deliberate worsening in the last five years ------------------------------------------


@pytest.mark.parametrize("kind", list(WorseningKind))
@pytest.mark.parametrize(
    ("on", "applies"),
    [
        (FIVE_YEARS_AGO, False),  # exactly five years ago: outside
        (FIVE_YEARS_AGO + dt.timedelta(days=1), True),
        (TODAY, True),
    ],
)
def test_11_each_kind_of_worsening_counts_for_five_years(kind, on, applies):
    f = facts(history=history(worsening=(WorseningEvent(kind, on),)))
    assert (grounds(f) == [Ground.DELIBERATE_WORSENING]) is applies


@pytest.mark.parametrize(
    "event",
    [
        WorseningEvent(WorseningKind.ALIENATION, D(2024, 1, 1),
                       bought_by_local_executive_body=True),
        WorseningEvent(WorseningKind.ALIENATION, D(2024, 1, 1), habitable=False),
        WorseningEvent(WorseningKind.MOVED_OUT, D(2024, 1, 1), was_in_need=True),
        WorseningEvent(WorseningKind.MOVED_IN, D(2024, 1, 1), moved_in=MovedInRelation.SPOUSE),
        WorseningEvent(WorseningKind.MOVED_IN, D(2024, 1, 1),
                       moved_in=MovedInRelation.MINOR_CHILD),
        WorseningEvent(WorseningKind.MOVED_IN, D(2024, 1, 1),
                       moved_in=MovedInRelation.CHILD_UNABLE_TO_WORK),
        WorseningEvent(WorseningKind.MOVED_IN, D(2024, 1, 1),
                       moved_in=MovedInRelation.PARENT_UNABLE_TO_WORK),
    ],
)
def test_11_the_exceptions_of_the_sources_are_not_worsening(event):
    assert grounds(facts(history=history(worsening=(event,)))) == []


def test_11_moving_in_anyone_else_is_worsening():
    event = WorseningEvent(WorseningKind.MOVED_IN, D(2024, 1, 1), moved_in=MovedInRelation.OTHER)
    assert grounds(facts(family=(spouse(worsening=(event,)),))) == [Ground.DELIBERATE_WORSENING]


# --- 12. no consent ------------------------------------------------------------------------------


def test_12_no_personal_data_consent():
    assert grounds(a=answers(personal_data_consent=False)) == [Ground.NO_PERSONAL_DATA_CONSENT]


# --- requirements [002 App.1 row 9 sub 2]: adult, citizen ------------------------------------


@pytest.mark.parametrize(
    ("born", "applies"),
    [(D(2008, 11, 23), False), (D(2008, 11, 24), True)],  # 18 today vs 18 tomorrow
)
def test_a_minor_is_refused_unless_an_orphan(born, applies):
    f = facts(applicant=person(born=born))
    assert (Ground.NOT_ADULT in grounds(f)) is applies
    orphan = facts(applicant=person(born=born), parental_care=ParentalCare.ORPHAN,
                   care_lost_on=D(2015, 1, 1))
    assert Ground.NOT_ADULT not in grounds(orphan)


def test_neither_citizen_nor_kandas():
    assert grounds(facts(is_citizen=False)) == [Ground.NOT_CITIZEN]
    assert grounds(facts(is_citizen=False, applicant=person(is_kandas=True))) == []


# --- the three-year rule [002 p.6] ------------------------------------------------------------


def registered(*periods, settlement="almaty"):
    return history(registrations=tuple(RegistrationPeriod(settlement, *p) for p in periods))


@pytest.mark.parametrize(
    ("since", "applies"),
    [
        (THREE_YEARS_AGO, False),  # exactly three years
        (THREE_YEARS_AGO + dt.timedelta(days=1), True),  # three years minus one day
    ],
)
@pytest.mark.parametrize("city", ["astana", "almaty", "shymkent"])
def test_three_years_of_registration_in_the_three_cities(since, applies, city):
    f = facts(history=registered((since,), settlement=city))
    a = answers(settlement_code=city)
    assert (grounds(f, a) == [Ground.NOT_REGISTERED_THREE_YEARS]) is applies


def test_no_three_year_rule_elsewhere():
    f = facts(history=registered((TODAY,), settlement="karaganda"))
    assert grounds(f, answers(settlement_code="karaganda")) == []


def test_registration_in_another_city_does_not_count():
    f = facts(history=registered((D(2010, 1, 1),), settlement="astana"))
    assert grounds(f) == [Ground.NOT_REGISTERED_THREE_YEARS]


def test_a_move_inside_the_city_keeps_the_three_years_but_a_gap_breaks_them():
    moved = registered((D(2015, 1, 1), D(2025, 3, 1)), (D(2025, 3, 2),))
    assert registered_since(moved.registrations, "almaty", TODAY) == D(2015, 1, 1)
    assert grounds(facts(history=moved)) == []
    gap = registered((D(2015, 1, 1), D(2025, 3, 1)), (D(2025, 3, 3),))
    assert registered_since(gap.registrations, "almaty", TODAY) == D(2025, 3, 3)
    assert grounds(facts(history=gap)) == [Ground.NOT_REGISTERED_THREE_YEARS]


def test_a_registration_that_ended_does_not_count():
    ended = registered((D(2010, 1, 1), D(2026, 11, 1)))
    assert registered_since(ended.registrations, "almaty", TODAY) is None
    assert grounds(facts(history=ended)) == [Ground.NOT_REGISTERED_THREE_YEARS]


def orphan_facts(born, lost, care=ParentalCare.ORPHAN):
    return facts(applicant=person(born=born), history=registered((D(2026, 1, 1),)),
                 parental_care=care, care_lost_on=lost)


@pytest.mark.parametrize(
    ("born", "exempt"),
    [
        (D(1997, 11, 24), True),  # 29 tomorrow: still under 29
        (D(1997, 11, 23), False),  # 29 today
    ],
)
def test_orphans_are_exempt_until_their_29th_birthday(born, exempt):
    f = orphan_facts(born, lost=D(2005, 1, 1))
    assert exempt_from_three_year_rule(f, TODAY) is exempt
    assert (grounds(f) == []) is exempt


@pytest.mark.parametrize(
    ("lost", "exempt"),
    [
        (D(2020, 3, 26), True),  # the day before the 18th birthday
        (D(2020, 3, 27), False),  # on the 18th birthday: already an adult
    ],
)
def test_orphans_must_have_lost_their_parents_before_adulthood(lost, exempt):
    assert exempt_from_three_year_rule(orphan_facts(D(2002, 3, 27), lost), TODAY) is exempt


def test_children_left_without_parental_care_are_exempt_at_any_age():
    f = orphan_facts(D(1980, 1, 1), D(1990, 1, 1), ParentalCare.WITHOUT_CARE)
    assert exempt_from_three_year_rule(f, TODAY)
    assert grounds(f) == []
    late = orphan_facts(D(1980, 1, 1), D(2000, 1, 1), ParentalCare.WITHOUT_CARE)
    assert not exempt_from_three_year_rule(late, TODAY)


def test_an_unknown_date_of_loss_does_not_exempt():
    assert not exempt_from_three_year_rule(orphan_facts(D(2002, 5, 10), None), TODAY)


# --- every ground at once, the table of grounds ------------------------------------------------


def test_every_computed_ground_is_listed_when_all_apply():
    place = QueuePlace(QueueBase.UNIFIED, "astana", D(2019, 1, 1))
    f = facts(
        applicant=person(born=D(2010, 1, 1)),
        is_citizen=False,
        history=history(
            ownership=(
                EMERGENCY_HOME,
                flat("astana", D(1996, 1, 1), D(2022, 1, 1), cadastral="1",
                     acquisition=Acquisition.PRIVATISATION),
                flat("astana", D(2016, 1, 1), D(2023, 1, 1), cadastral="2",
                     acquisition=Acquisition.STATE_MORTGAGE),
            ),
            registrations=(RegistrationPeriod("astana", D(2025, 1, 1)),),
            queue_places=(place,),
            had_state_rental=True,
            worsening=(WorseningEvent(WorseningKind.EXCHANGE, D(2024, 1, 1)),),
        ),
    )
    a = answers(case=Case.EMERGENCY, settlement_code="astana", fund=Fund.STATE_INSTITUTION,
                personal_data_consent=False)
    expected = [g for g in Ground if g in RULES and g is not Ground.OWNED_IN_RK]
    assert grounds(f, a) == expected
    assert Ground.OWNED_IN_RK in grounds(f, dataclasses.replace(a, fund=Fund.STATE_ENTERPRISE))


def test_the_codes_are_stable():
    """Codes are stored and are translation keys: renaming one breaks old decisions."""
    assert [g.value for g in Ground] == [
        "on_unified_base",
        "owned_in_five_years",
        "owned_in_settlement",
        "owned_in_rk",
        "had_state_rental",
        "unreliable_data",
        "privatised",
        "emergency_elsewhere",
        "state_mortgage",
        "emergency_wrong_settlement",
        "deliberate_worsening",
        "no_personal_data_consent",
        "not_registered_three_years",
        "not_adult",
        "not_citizen",
        "emergency_not_confirmed",
    ]


def test_every_ground_has_a_name_and_reference_and_spec_numbers_1_to_12_once():
    assert set(GROUNDS) == set(Ground)
    numbers = [info.number for info in GROUNDS.values() if info.number is not None]
    assert sorted(numbers) == list(range(1, 13))
    for info in GROUNDS.values():
        assert info.reference and "Order No. 130" in info.reference_en  # names: the web's
    assert set(RULES) | OFFICE_GROUNDS == set(Ground)
    assert not set(RULES) & OFFICE_GROUNDS


def test_references_name_p15_for_1_to_9_and_appendix_1_for_10_to_12():
    by_number = {info.number: info for info in GROUNDS.values() if info.number}
    for n in range(1, 10):
        assert f"p. 15 sub. {n}" in by_number[n].reference_en
    assert "Appendix 1 row 9 sub. 3" in by_number[10].reference_en
    assert "Appendix 1 row 9 sub. 3" in by_number[11].reference_en
    assert "Appendix 1 row 9 sub. 4" in by_number[12].reference_en


# --- the case ----------------------------------------------------------------------------------


def test_suggested_case():
    assert suggested_case(facts(), TODAY) is Case.NO_HOUSING
    emergency = facts(history=history(ownership=(EMERGENCY_HOME,)))
    assert suggested_case(emergency, TODAY) is Case.EMERGENCY
    sold = facts(history=history(ownership=(flat(disposed=D(2024, 1, 1)),)))
    assert suggested_case(sold, TODAY) is None
    long_ago = facts(history=history(ownership=(flat(disposed=FIVE_YEARS_AGO),)))
    assert suggested_case(long_ago, TODAY) is Case.NO_HOUSING


@given(
    st.dates(min_value=D(2000, 1, 1), max_value=D(2030, 12, 31)),
    st.dates(min_value=D(2026, 1, 1), max_value=D(2030, 12, 31)),
)
def test_ground_2_applies_exactly_when_the_ownership_ended_after_five_years_ago(disposed, today):
    f = facts(history=history(ownership=(flat(acquired=D(1999, 1, 1), disposed=disposed),)))
    applies = Ground.OWNED_IN_FIVE_YEARS in grounds(f, today=today)
    assert applies is (disposed > years_before(today, 5))


def test_the_housing_rules_are_pure():
    """No Flask, no database, nothing of ours outside portal.domain (DESIGN: rules in domain)."""
    import ast
    import pathlib
    import sys

    package = pathlib.Path(__file__).parents[2] / "portal" / "domain" / "housing"
    allowed_third_party = {"holidays"}
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert (
                    name.startswith("portal.domain")
                    or top in sys.stdlib_module_names
                    or top in allowed_third_party
                    or top == "__future__"
                ), f"{path.name} imports {name}"
