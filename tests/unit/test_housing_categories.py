"""The art. 74 p.1 categories as data, and what the registries' confirmation means (SPEC §2)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.housing.categories import (
    BY_CODE,
    CATEGORIES,
    ORPHANS,
    CategoryStatus,
    Group,
    category,
    category_status,
)
from portal.domain.housing.facts import (
    Answers,
    Case,
    HousingFacts,
    HousingHistory,
    ParentalCare,
    RegistrationPeriod,
)
from portal.domain.housing.grounds import refusal_grounds
from portal.domain.housing.queue import GENERAL_LIST, list_for
from portal.domain.people import Person

TODAY = dt.date(2026, 11, 23)
FACTS = HousingFacts(
    Person("960327400123", "Әлімжанова", "Айжан", None, dt.date(1996, 3, 27), "F"),
    HousingHistory("960327400123",
                   registrations=(RegistrationPeriod("almaty", dt.date(2014, 9, 1)),)),
    confirmed_categories=frozenset({"large_families"}),
)
CYRILLIC_KK = set("әғқңөұүһі")


def test_codes_are_unique_and_none_is_the_general_list():
    codes = [c.code for c in CATEGORIES]
    assert len(codes) == len(set(codes)) == len(BY_CODE)
    assert GENERAL_LIST not in codes
    assert all(code.isascii() and code == code.lower() for code in codes)


@pytest.mark.parametrize("entry", CATEGORIES, ids=lambda c: c.code)
def test_every_category_has_three_names(entry):
    assert entry.name_kk.strip() and entry.name_ru.strip() and entry.name_en.strip()
    assert entry.name_en.isascii()
    assert not entry.name_ru.isascii() and not entry.name_kk.isascii()
    assert entry.name("kk") == entry.name_kk
    assert entry.name("ru") == entry.name_ru
    assert entry.name("en") == entry.name_en


def test_kazakh_names_are_kazakh_not_russian():
    # every Kazakh name differs from its Russian one, and most use Kazakh letters
    assert all(c.name_kk != c.name_ru for c in CATEGORIES)
    kazakh = [c for c in CATEGORIES if CYRILLIC_KK & set(c.name_kk.lower())]
    assert len(kazakh) >= len(CATEGORIES) - 2


def test_every_group_of_the_sources_is_seeded():
    assert {c.group for c in CATEGORIES} == set(Group)
    for code in ("war_veterans", "pensioners", "large_families", "disabled",
                 "families_disabled_children", "difficult_situation", ORPHANS,
                 "state_servants", "budget_employees", "military", "special_state_bodies",
                 "elected_officials", "cosmonauts"):
        assert code in BY_CODE


def test_orphans_come_under_article_71():
    assert "art. 71 p. 3" in category(ORPHANS).legal_basis
    assert all("art. 74 p. 1" in c.legal_basis for c in CATEGORIES if c.code != ORPHANS)


def test_an_unknown_code_is_refused():
    with pytest.raises(KeyError):
        category_status(FACTS, "astronauts")


def test_confirmed_unconfirmed_and_none():
    assert category_status(FACTS, None) is CategoryStatus.NONE
    assert category_status(FACTS, "large_families") is CategoryStatus.CONFIRMED
    assert category_status(FACTS, "disabled") is CategoryStatus.UNCONFIRMED


def test_the_orphan_category_is_confirmed_by_the_parental_care_status():
    assert category_status(FACTS, ORPHANS) is CategoryStatus.UNCONFIRMED
    orphan = dataclasses.replace(FACTS, parental_care=ParentalCare.WITHOUT_CARE)
    assert category_status(orphan, ORPHANS) is CategoryStatus.CONFIRMED
    # listing the code in confirmed_categories alone does not make someone an orphan
    listed = dataclasses.replace(FACTS, confirmed_categories=frozenset({ORPHANS}))
    assert category_status(listed, ORPHANS) is CategoryStatus.UNCONFIRMED


def test_an_unconfirmed_category_joins_the_general_list():
    assert list_for("almaty", "disabled", CategoryStatus.UNCONFIRMED).list_code == GENERAL_LIST
    assert list_for("almaty", "large_families", CategoryStatus.CONFIRMED).list_code == (
        "large_families"
    )
    assert list_for("almaty", None, CategoryStatus.NONE).list_code == GENERAL_LIST


@given(st.sampled_from([None, *BY_CODE]), st.frozensets(st.sampled_from(list(BY_CODE))))
def test_a_category_never_changes_the_refusal_grounds(chosen, confirmed):
    """[002 p.10]: a missing category is never a ground to refuse."""
    facts = dataclasses.replace(FACTS, confirmed_categories=confirmed)
    plain = Answers(Case.NO_HOUSING, "almaty", personal_data_consent=True)
    with_category = dataclasses.replace(plain, category=chosen)
    assert refusal_grounds(facts, with_category, TODAY) == refusal_grounds(facts, plain, TODAY)
