"""The StateRegistries contract, run against the seeded demo world.

Every test takes the `adapter` fixture, so a production adapter (pointed at a test gateway that
holds the same demo people) can be added to its params and run the same checks.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from pathlib import Path

import flask_babel
import phonenumbers
import pytest
import sqlalchemy as sa

from demo_registries.local import LocalRegistries
from demo_registries.models import RegPerson
from demo_registries.seed import DEMO_PEOPLE, demo_people_markdown, seed_demo
from portal.clock import local_today
from portal.core.registries import StateRegistries
from portal.domain import iin
from portal.domain.housing.categories import CategoryStatus, category_status
from portal.domain.housing.eligibility import (
    exempt_from_three_year_rule,
    meets_three_year_rule,
    registered_since,
)
from portal.domain.housing.facts import (
    Acquisition,
    Answers,
    Case,
    FamilyRelation,
    Fund,
    ParentalCare,
    QueueBase,
)
from portal.domain.housing.grounds import OFFICE_GROUNDS, Ground, refusal_grounds
from portal.domain.people import Capacity, DwellingKind, RelationKind

DOCS = Path(__file__).resolve().parents[2] / "docs" / "demo-people.md"
DEMO = {d["key"]: d for d in DEMO_PEOPLE}


@pytest.fixture(params=["local"])
def adapter(request, seeded) -> StateRegistries:
    return {"local": LocalRegistries}[request.param]()


@pytest.fixture
def today(seeded) -> dt.date:
    return local_today()


@contextmanager
def in_language(app, code: str):
    """A request in `code`; Flask-Babel caches the locale on the app context the fixture holds."""
    with app.test_request_context(f"/?lang={code}"):
        flask_babel.refresh()
        yield


def iin_of(key: str) -> str:
    return DEMO[key]["iin"]


def target(adapter, key: str):
    """The dwelling at the address a demo person is meant to try."""
    found = adapter.search_addresses(DEMO[key]["search"])
    assert found, DEMO[key]["search"]
    return adapter.dwelling(found[0].id)


def owner_iins(dwelling) -> set[str]:
    return {o.iin for o in dwelling.owners}


def ward(adapter, key: str, kind: RelationKind):
    (relation,) = [r for r in adapter.relations(iin_of(key)) if r.kind == kind][:1]
    return relation.ward


# --- people and addresses -------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(DEMO))
def test_every_demo_person_is_registered_somewhere(adapter, key):
    person = adapter.person(iin_of(key))
    assert person is not None and person.full_name == DEMO[key]["name"]
    assert adapter.address(person.registered_address_id) is not None
    *_, (current, since, until) = adapter.residence_history(person.iin)
    assert current.id == person.registered_address_id and until is None and since


def test_unknown_person_and_address(adapter):
    assert adapter.person("000000000000") is None
    assert adapter.address(10**9) is None and adapter.dwelling(10**9) is None
    assert adapter.housing_record("000000000000") is None


# --- residence registration branches (SPEC §1) ----------------------------------------------


def test_a_owner_registers_in_own_flat(adapter):
    assert iin_of("owner_self") in owner_iins(target(adapter, "owner_self"))


def test_b_one_other_owner_with_phone(adapter):
    dwelling = target(adapter, "one_owner_applicant")
    assert dwelling.kind == DwellingKind.PRIVATE
    assert owner_iins(dwelling) == {iin_of("single_owner")}
    assert dwelling.owners[0].phone


def test_c_two_co_owners_neither_the_applicant(adapter):
    dwelling = target(adapter, "two_owners_applicant")
    assert owner_iins(dwelling) == {iin_of("co_owner_1"), iin_of("co_owner_2")}
    assert all(o.phone for o in dwelling.owners)
    assert dwelling == target(adapter, "two_owners_applicant")  # owners in a stable order


def test_d_a_co_owner_is_a_minor(adapter, today):
    owners = target(adapter, "minor_owner_applicant").owners
    assert len(owners) == 2 and any(o.age_on(today) < 18 for o in owners)


def test_e_a_co_owner_is_declared_incapable(adapter):
    owners = target(adapter, "incapable_owner_applicant").owners
    assert {o.capacity for o in owners} == {Capacity.FULL, Capacity.INCAPABLE}


def test_f_state_rental_lease(adapter):
    dwelling = target(adapter, "lease_member")
    assert dwelling.kind == DwellingKind.STATE_RENTAL and dwelling.owners == ()
    assert dwelling.tenant_iin == iin_of("lease_tenant") == dwelling.lease_members[0]
    assert iin_of("lease_member") in dwelling.lease_members
    assert iin_of("lease_outsider") not in dwelling.lease_members
    body = dwelling.local_executive_body
    assert body and body.name and body.address and body.phone
    assert target(adapter, "lease_tenant_almaty").local_executive_body.name != body.name


def test_g_parent_of_a_teen_in_a_flat_shared_with_the_spouse(adapter, today):
    children = [r.ward for r in adapter.relations(iin_of("parent_of_teen"))]
    (teen,) = [c for c in children if 14 <= c.age_on(today) < 16]
    assert any(16 <= c.age_on(today) < 18 for c in children)  # the elder applies herself
    dwelling = target(adapter, "parent_of_teen")
    assert owner_iins(dwelling) == {iin_of("parent_of_teen"), iin_of("parent_spouse")}
    assert all(o.phone for o in dwelling.owners)
    assert teen.registered_address_id != dwelling.address.id


def test_h_parent_of_a_child_under_14_and_of_a_teen_of_limited_capacity(adapter, today):
    children = [r.ward for r in adapter.relations(iin_of("parent_of_child"))
                if r.kind == RelationKind.PARENT]
    assert any(c.age_on(today) < 14 for c in children)
    (teen,) = [c for c in children if 16 <= c.age_on(today) < 18]
    assert teen.capacity == Capacity.LIMITED  # the parent applies as legal representative
    assert owner_iins(target(adapter, "parent_of_child")) == {iin_of("parent_of_child")}


def test_i_guardian_of_an_incapable_adult(adapter, today):
    ward_ = ward(adapter, "guardian", RelationKind.GUARDIAN)
    assert ward_.capacity == Capacity.INCAPABLE and ward_.age_on(today) >= 18
    assert owner_iins(target(adapter, "guardian")) == {iin_of("guardian")}


def test_j_no_phone_in_the_mobile_citizens_database(adapter):
    assert adapter.person(iin_of("no_phone")).phone is None


def test_k_owner_without_a_phone(adapter):
    (owner,) = target(adapter, "unreachable_owner_applicant").owners
    assert owner.phone is None and owner.iin != iin_of("unreachable_owner_applicant")


# --- housing waiting list branches (SPEC §2) ------------------------------------------------


def years_before(today: dt.date, years: int) -> dt.date:
    return today.replace(year=today.year - years)


def test_no_housing_for_five_years(adapter, today):
    record = adapter.housing_record(iin_of("no_housing"))
    assert record.ownership == () and not record.on_unified_base and not record.had_state_rental
    assert record.registration_since["almaty"] <= years_before(today, 3)


def test_sold_a_flat_three_years_ago(adapter, today):
    (period,) = adapter.housing_record(iin_of("sold_recently")).ownership
    assert period.disposed == years_before(today, 3)
    assert adapter.housing_record(iin_of("sold_recently")).registration_since["astana"] < (
        period.disposed
    ), "moves inside the city keep the registration run"


def test_only_dwelling_declared_emergency(adapter):
    (period,) = adapter.housing_record(iin_of("emergency")).ownership
    assert period.declared_emergency and period.disposed is None
    assert period.address.settlement_code == "karaganda"


def test_emergency_dwelling_in_another_settlement(adapter):
    record = adapter.housing_record(iin_of("emergency_elsewhere"))
    (period,) = record.ownership
    assert period.declared_emergency and period.address.settlement_code not in (
        record.registration_since
    )


@pytest.mark.parametrize(
    ("key", "flag"),
    [
        ("on_base", "on_unified_base"),
        ("lease_tenant", "had_state_rental"),
        ("lease_tenant_almaty", "had_state_rental"),
    ],
)
def test_unified_base_and_state_rental(adapter, key, flag):
    assert getattr(adapter.housing_record(iin_of(key)), flag)


def test_privatised_and_state_mortgage(adapter):
    (privatised,) = adapter.housing_record(iin_of("privatised")).ownership
    (mortgage,) = adapter.housing_record(iin_of("state_mortgage")).ownership
    assert privatised.privatised_from_state_fund and privatised.disposed
    assert mortgage.via_state_mortgage and mortgage.disposed


def test_almaty_resident_for_only_two_years(adapter, today):
    since = adapter.housing_record(iin_of("almaty_2_years")).registration_since
    assert since == {"almaty": years_before(today, 2)}


def test_orphan_under_29_and_kandas(adapter, today):
    orphan = adapter.person(iin_of("orphan"))
    assert orphan.is_orphan and orphan.age_on(today) < 29
    assert adapter.housing_record(orphan.iin).registration_since["almaty"] > years_before(today, 3)
    assert adapter.person(iin_of("kandas")).is_kandas


# --- address search -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["Абай даңғылы 150 12", "проспект Абая 150 12", "АБАЙ 150 12", "абая 150 12",
     "Алматы, пр. Абая, д. 150, кв. 12"],
)
def test_search_in_either_spelling_any_case(adapter, query):
    (found,) = adapter.search_addresses(query)
    assert (found.settlement_code, found.house, found.flat) == ("almaty", "150", "12")


@pytest.mark.parametrize(
    "query", ["ҚАБАНБАЙ БАТЫР 11 87", "Кабанбай батыра 11 87", "кабанбай 11 87"]
)
def test_search_folds_kazakh_letters_and_case(adapter, query):
    assert [(a.settlement_code, a.flat) for a in adapter.search_addresses(query)] == [
        ("astana", "87")
    ]


def test_search_narrows_by_flat_and_orders_naturally(adapter):
    flats = [a.flat for a in adapter.search_addresses("Ерубаев 12")]
    assert flats[:2] == ["3", "8"]
    assert [a.flat for a in adapter.search_addresses("ерубаева 12 8")] == ["8"]
    assert adapter.search_addresses("") == [] and adapter.search_addresses("кв.") == []
    assert adapter.search_addresses("Абай", limit=0) == []


def test_address_language_follows_the_request(app, adapter):
    (found,) = adapter.search_addresses("Абай 150 12")
    assert found.street == "Абай даңғылы"  # no request: Kazakh
    with in_language(app, "ru"):
        address = adapter.address(found.id)
        assert address.street == "проспект Абая" and address.region == "город Алматы"


# --- writing a registration -----------------------------------------------------------------


def test_register_residence_moves_and_keeps_history(adapter, db, clock, today):
    person = adapter.person(iin_of("lease_member"))
    old = person.registered_address_id
    flat = target(adapter, "lease_member").address
    adapter.register_residence(person.iin, flat.id, clock.now())
    db.session.commit()
    assert adapter.person(person.iin).registered_address_id == flat.id
    *_, (previous, _, closed), (current, opened, open_) = adapter.residence_history(person.iin)
    assert (previous.id, closed) == (old, today)
    assert (current.id, opened, open_) == (flat.id, today, None)
    since = adapter.housing_record(person.iin).registration_since
    assert since["astana"] < today  # same city: the run goes on


# --- service centres ------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["almaty", "astana", "shymkent", "karaganda"])
def test_service_centres_per_city(adapter, code):
    centres = adapter.service_centres(code)
    assert len(centres) >= 3 and {c.settlement_code for c in centres} == {code}
    assert all(c.name and c.address and "9:00" in c.hours for c in centres)


def test_service_centres_fall_back_to_all_and_speak_the_language(app, adapter):
    everywhere = adapter.service_centres()
    assert len(everywhere) >= 12 and adapter.service_centres("nowhere") == everywhere
    assert "ХҚКО" in everywhere[0].name  # no request: Kazakh
    with in_language(app, "en"):
        assert all("PSC" in c.name and "Mon" in c.hours for c in adapter.service_centres())
    with in_language(app, "ru"):
        assert all("ЦОН" in c.name and "Пн" in c.hours for c in adapter.service_centres())


# --- the seed itself (the local adapter's data) ---------------------------------------------


def people(db) -> list[RegPerson]:
    return list(db.session.scalars(sa.select(RegPerson)))


def test_seeding_twice_changes_nothing(seeded, db, clock):
    first = seed_demo()
    before = {p.iin: (p.birth_date, p.registered_address_id) for p in people(db)}
    clock.advance(days=400)  # children's ages are fixed once created, not re-derived
    assert seed_demo() == first
    assert {p.iin: (p.birth_date, p.registered_address_id) for p in people(db)} == before


def test_every_iin_is_valid_and_matches_the_person(seeded, db):
    for person in people(db):
        parsed = iin.parse(person.iin)
        assert (parsed.birth_date, parsed.sex) == (person.birth_date, person.sex)
    assert all(iin.is_valid(d["iin"]) for d in DEMO_PEOPLE)


def test_every_phone_is_a_distinct_kz_mobile(seeded, db):
    phones = [p.phone for p in people(db) if p.phone]
    assert len(phones) == len(set(phones))
    for phone in phones:
        number = phonenumbers.parse(phone, None)
        assert phonenumbers.is_valid_number_for_region(number, "KZ"), phone
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == phone
    assert all(d["phone"] for d in DEMO_PEOPLE if d["key"] != "no_phone")


def test_demo_people_doc_is_current():
    assert DOCS.read_text(encoding="utf-8") == demo_people_markdown()


def test_cli_seed_prints_counts(seeded):
    from demo_registries.cli import demo_cli

    result = seeded.test_cli_runner().invoke(demo_cli, ["seed"])
    assert result.exit_code == 0, result.output
    assert "reg_person" in result.output


# --- housing_facts: what the housing waiting list reads (SPEC §2) -------------------------


def housing_iin(adapter, key: str) -> str:
    """A demo person's IIN; "teen"/"ward" are reached through their representatives."""
    if key == "teen":
        return ward(adapter, "parent_of_teen", RelationKind.PARENT).iin
    if key == "ward":
        return ward(adapter, "guardian", RelationKind.GUARDIAN).iin
    return iin_of(key)


def answers(settlement: str, case=Case.NO_HOUSING, **extra) -> Answers:
    return Answers(case=case, settlement_code=settlement, personal_data_consent=True, **extra)


# (demo person, settlement of the queue, other answers, the ground the decision must list)
REFUSED = [
    ("on_base", "shymkent", {}, Ground.ON_UNIFIED_BASE),
    # Ground 1 reads the «Housing provision centre» e-base too [002 p.7 sub 1, p.15 sub 1].
    ("in_queue", "almaty", {}, Ground.ON_UNIFIED_BASE),
    ("sold_recently", "astana", {}, Ground.OWNED_IN_FIVE_YEARS),
    ("sold_recently", "astana", {"fund": Fund.STATE_INSTITUTION}, Ground.OWNED_IN_SETTLEMENT),
    ("sold_recently", "astana", {"fund": Fund.STATE_ENTERPRISE}, Ground.OWNED_IN_RK),
    ("spouse_owner", "astana", {}, Ground.OWNED_IN_FIVE_YEARS),
    ("lease_tenant", "astana", {}, Ground.HAD_STATE_RENTAL),
    ("lease_tenant_almaty", "almaty", {}, Ground.HAD_STATE_RENTAL),
    ("privatised", "karaganda", {}, Ground.PRIVATISED),
    ("emergency_elsewhere", "astana", {"case": Case.EMERGENCY}, Ground.EMERGENCY_ELSEWHERE),
    ("state_mortgage", "astana", {}, Ground.STATE_MORTGAGE),
    ("emergency", "almaty", {"case": Case.EMERGENCY}, Ground.EMERGENCY_WRONG_SETTLEMENT),
    ("worsened", "almaty", {}, Ground.DELIBERATE_WORSENING),
    ("no_housing", "almaty", {"personal_data_consent": False}, Ground.NO_PERSONAL_DATA_CONSENT),
    ("almaty_2_years", "almaty", {}, Ground.NOT_REGISTERED_THREE_YEARS),
    ("teen", "almaty", {}, Ground.NOT_ADULT),
    ("foreigner", "karaganda", {}, Ground.NOT_CITIZEN),
]


@pytest.mark.parametrize(("key", "settlement", "extra", "ground"), REFUSED,
                         ids=[f"{r[0]}-{r[3].value}" for r in REFUSED])
def test_every_computed_refusal_ground_has_a_demo_person(adapter, today, key, settlement, extra,
                                                         ground):
    facts = adapter.housing_facts(housing_iin(adapter, key))
    chosen = {"case": Case.NO_HOUSING, "personal_data_consent": True, **extra}
    grounds = refusal_grounds(facts, Answers(settlement_code=settlement, **chosen), today)
    assert ground in grounds


def test_the_demo_covers_every_ground_the_system_computes():
    assert {r[3] for r in REFUSED} == set(Ground) - OFFICE_GROUNDS


# (demo person, settlement, case, category chosen, what the registries say of the category)
ELIGIBLE = [
    ("no_housing", "almaty", Case.NO_HOUSING, None, CategoryStatus.NONE),
    ("no_housing", "almaty", Case.NO_HOUSING, "disabled", CategoryStatus.UNCONFIRMED),
    ("emergency", "karaganda", Case.EMERGENCY, "pensioners", CategoryStatus.CONFIRMED),
    ("orphan", "almaty", Case.NO_HOUSING, "orphans", CategoryStatus.CONFIRMED),
    ("without_care", "astana", Case.NO_HOUSING, "orphans", CategoryStatus.CONFIRMED),
    ("large_family", "shymkent", Case.NO_HOUSING, "large_families", CategoryStatus.CONFIRMED),
    ("kandas", "shymkent", Case.NO_HOUSING, None, CategoryStatus.NONE),
    ("ward", "karaganda", Case.NO_HOUSING, None, CategoryStatus.NONE),
]


@pytest.mark.parametrize(("key", "settlement", "case", "code", "status"), ELIGIBLE,
                         ids=[f"{e[0]}-{e[3]}" for e in ELIGIBLE])
def test_eligible_demo_people_and_every_category_state(adapter, today, key, settlement, case,
                                                       code, status):
    facts = adapter.housing_facts(housing_iin(adapter, key))
    assert refusal_grounds(facts, answers(settlement, case, category=code), today) == []
    assert category_status(facts, code) is status


def test_three_year_rule_and_its_exceptions(adapter, today):
    short = adapter.housing_facts(iin_of("almaty_2_years"))
    assert not meets_three_year_rule(short, "almaty", today)
    assert meets_three_year_rule(short, "karaganda", today), "the rule is for the three cities"
    for key, city in (("orphan", "almaty"), ("without_care", "astana")):
        facts = adapter.housing_facts(iin_of(key))
        assert facts.parental_care is not ParentalCare.NONE
        assert exempt_from_three_year_rule(facts, today)
        since = registered_since(facts.history.registrations, city, today)
        assert since > years_before(today, 3), "they would fail the rule without the exception"


def test_housing_facts_fill_appendix_2_and_the_family(adapter, today):
    facts = adapter.housing_facts(iin_of("large_family"))
    assert facts.applicant == adapter.person(iin_of("large_family"))
    (spouse,) = facts.family
    assert spouse.relation is FamilyRelation.SPOUSE and spouse.person.given_name == "Мейрам"
    assert spouse.history.iin == spouse.person.iin
    assert [p.settlement_code for p in facts.history.registrations] == ["shymkent"]
    parent = adapter.housing_facts(iin_of("parent_of_teen"))
    relations = {(m.person.given_name, m.relation) for m in parent.family}
    assert {("Әйгерім", FamilyRelation.SPOUSE), ("Ерасыл", FamilyRelation.CHILD),
            ("Аяулым", FamilyRelation.CHILD)} <= relations


def test_housing_facts_ownership_queue_places_and_acquisition(adapter, today):
    (sold,) = adapter.housing_facts(iin_of("sold_recently")).history.ownership
    assert sold.disposed == years_before(today, 3) and sold.settlement_code == "astana"
    (privatised,) = adapter.housing_facts(iin_of("privatised")).history.ownership
    assert privatised.acquisition is Acquisition.PRIVATISATION, "older than 5 years, still read"
    (mortgage,) = adapter.housing_facts(iin_of("state_mortgage")).history.ownership
    assert mortgage.acquisition is Acquisition.STATE_MORTGAGE
    (emergency,) = adapter.housing_facts(iin_of("emergency")).history.ownership
    assert emergency.declared_emergency and emergency.disposed is None
    (place,) = adapter.housing_facts(iin_of("on_base")).history.queue_places
    assert (place.base, place.settlement_code, place.number) == (
        QueueBase.UNIFIED, "shymkent", 1203)
    (own,) = adapter.housing_facts(iin_of("in_queue")).history.queue_places
    assert own.base is QueueBase.HOUSING_CENTRE and own.active
    assert adapter.housing_facts(iin_of("foreigner")).is_citizen is False
    assert adapter.housing_facts(iin_of("no_housing")).history.ownership == ()


def test_housing_facts_of_an_unknown_person(adapter):
    assert adapter.housing_facts("000000000000") is None
