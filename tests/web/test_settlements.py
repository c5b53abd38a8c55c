"""Settlements come from the address registry's reference data, not a constant of the housing
journey: every city of republican significance and every region (by its centre); a staff
member's settlements are managed with `flask staff`; the emergency grounds 8 and 10 read the
settlement codes, whatever they are."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.core.registries.settlements import SETTLEMENTS
from portal.domain.housing.facts import (
    Answers,
    Case,
    HousingFacts,
    HousingHistory,
    Ownership,
    RegistrationPeriod,
)
from portal.domain.housing.grounds import Ground, refusal_grounds
from portal.domain.people import Person
from portal.housing.office.staff import accounts
from portal.housing.services import housing
from tests.web.office_helpers import make_staff

REGIONS = {"Abai Region", "Akmola Region", "Aktobe Region", "Almaty Region", "Atyrau Region",
           "East Kazakhstan Region", "Zhambyl Region", "Zhetysu Region",
           "West Kazakhstan Region", "Karaganda Region", "Kostanay Region", "Kyzylorda Region",
           "Mangystau Region", "Pavlodar Region", "North Kazakhstan Region",
           "Turkistan Region", "Ulytau Region"}


def test_every_region_and_city_of_republican_significance_is_a_settlement():
    regions = {s.region("en") for s in SETTLEMENTS.values()}
    assert REGIONS <= regions and {"Almaty city", "Astana city", "Shymkent city"} <= regions
    assert len(SETTLEMENTS) == 20
    assert set(housing.SETTLEMENTS) == set(SETTLEMENTS)  # the journey offers all of them


@pytest.mark.usefixtures("seeded")
def test_staff_settlements_are_managed_with_flask_staff(app, runner):
    make_staff(login="officer1", settlements=("almaty",))
    result = runner.invoke(args=["staff", "set-settlements", "officer1",
                                 "--settlement", "pavlodar", "--settlement", "oral"])
    assert result.exit_code == 0, result.output
    assert accounts.by_login("officer1").settlements == ["oral", "pavlodar"]
    bad = runner.invoke(args=["staff", "set-settlements", "officer1", "--settlement", "mars"])
    assert bad.exit_code != 0
    assert accounts.by_login("officer1").settlements == ["oral", "pavlodar"]


@pytest.mark.parametrize(("lives", "applies", "flat", "ground"), [
    ("pavlodar", "pavlodar", "aktau", Ground.EMERGENCY_ELSEWHERE),  # ground 8
    ("aktau", "pavlodar", "aktau", Ground.EMERGENCY_WRONG_SETTLEMENT),  # ground 10
])
def test_the_emergency_grounds_work_for_any_settlement(lives, applies, flat, ground):
    today = dt.date(2026, 11, 23)
    history = HousingHistory(
        iin="000000000000",
        ownership=(Ownership("00:000:000:000", flat, dt.date(2000, 1, 1),
                             declared_emergency=True),),
        registrations=(RegistrationPeriod(lives, dt.date(2000, 1, 1)),))
    person = Person(iin="000000000000", surname="Тест", given_name="Тест", patronymic=None,
                    birth_date=dt.date(1980, 1, 1), sex="F")
    facts = HousingFacts(applicant=person, history=history)
    answers = Answers(case=Case.EMERGENCY, settlement_code=applies, personal_data_consent=True)
    assert ground in refusal_grounds(facts, answers, today)
