"""Residence registration (SPEC §1): who may register whom, and which path the address takes."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from portal.domain.iin import make
from portal.domain.people import (
    Address,
    Capacity,
    Dwelling,
    DwellingKind,
    Person,
    Relation,
    RelationKind,
)
from portal.domain.residence import (
    Duplicate,
    Path,
    Route,
    SubjectProblem,
    check_duplicate,
    check_subject,
    route,
)

TODAY = dt.date(2026, 11, 23)
_serials = itertools.count(1)


def born(years: int, days: int = 0) -> dt.date:
    """The birth date of someone who turns `years` old `days` days after TODAY (0 = today)."""
    return TODAY.replace(year=TODAY.year - years) + dt.timedelta(days=days)


def person(birth: dt.date, capacity=Capacity.FULL, phone="+77011234567", name="Асқар") -> Person:
    return Person(
        iin=make(birth, "M", next(_serials)),
        surname="Беков",
        given_name=name,
        patronymic=None,
        birth_date=birth,
        sex="M",
        capacity=capacity,
        phone=phone,
    )


ADDRESS = Address(1, "Алматы", "Алматы", "almaty", "Абая", "10", "5")
PARENT = person(born(40))


def parent_of(child: Person) -> list[Relation]:
    return [Relation(RelationKind.PARENT, child)]


def guardian_of(ward: Person) -> list[Relation]:
    return [Relation(RelationKind.GUARDIAN, ward)]


# --- who may apply for whom --------------------------------------------------------------


class TestSelf:
    def test_capable_adult_applies_for_themself(self):
        me = person(born(30))
        assert check_subject(me, me, [], TODAY) is None

    def test_sixteenth_birthday_today_may_apply(self):
        me = person(born(16))
        assert check_subject(me, me, [], TODAY) is None

    def test_day_before_sixteenth_birthday_may_not(self):
        me = person(born(16, days=1))
        assert check_subject(me, me, [], TODAY) is SubjectProblem.APPLICANT_UNDER_16

    def test_fourteen_year_old_is_registered_by_a_parent(self):
        me = person(born(14))
        assert check_subject(me, me, [], TODAY) is SubjectProblem.APPLICANT_UNDER_16

    def test_under_fourteen_gets_the_never_on_their_own_answer(self):
        me = person(born(13))
        assert check_subject(me, me, [], TODAY) is SubjectProblem.CHILD_UNDER_14

    @pytest.mark.parametrize("capacity", [Capacity.INCAPABLE, Capacity.LIMITED])
    def test_adult_without_full_capacity_cannot_apply_for_themself(self, capacity):
        me = person(born(30), capacity=capacity)
        assert check_subject(me, me, [], TODAY) is SubjectProblem.APPLICANT_INCAPABLE


class TestChild:
    def test_parent_registers_child_on_the_fourteenth_birthday(self):
        child = person(born(14))
        assert check_subject(PARENT, child, parent_of(child), TODAY) is None

    def test_day_before_fourteenth_birthday_is_never_registered(self):
        child = person(born(14, days=1))
        problem = check_subject(PARENT, child, parent_of(child), TODAY)
        assert problem is SubjectProblem.CHILD_UNDER_14

    def test_day_before_sixteenth_birthday_still_by_parent(self):
        child = person(born(16, days=1))
        assert check_subject(PARENT, child, parent_of(child), TODAY) is None

    def test_on_sixteenth_birthday_the_child_applies_themself(self):
        child = person(born(16))
        problem = check_subject(PARENT, child, parent_of(child), TODAY)
        assert problem is SubjectProblem.CHILD_OVER_16

    def test_adult_child_applies_themself(self):
        child = person(born(20))
        problem = check_subject(PARENT, child, parent_of(child), TODAY)
        assert problem is SubjectProblem.CHILD_OVER_16

    def test_under_fourteen_wins_over_not_linked(self):
        stranger_child = person(born(5))
        problem = check_subject(PARENT, stranger_child, [], TODAY)
        assert problem is SubjectProblem.CHILD_UNDER_14

    def test_child_not_linked_to_applicant(self):
        child = person(born(15))
        other = person(born(15))
        problem = check_subject(PARENT, child, parent_of(other), TODAY)
        assert problem is SubjectProblem.NOT_LINKED

    def test_relation_is_matched_by_iin_not_by_object(self):
        child = person(born(15))
        same_child_from_registry = Person(**{**child.__dict__, "phone": None})
        assert check_subject(PARENT, child, parent_of(same_child_from_registry), TODAY) is None

    def test_guardian_link_alone_does_not_make_a_parent_of_a_minor(self):
        child = person(born(15))
        problem = check_subject(PARENT, child, guardian_of(child), TODAY)
        assert problem is SubjectProblem.NOT_LINKED


class TestTeenWithoutFullCapacity:
    """Rule 10: a 16-17-year-old declared incapable or of limited capacity cannot apply
    themself, so the parent applies as their legal representative."""

    @pytest.mark.parametrize("capacity", [Capacity.LIMITED, Capacity.INCAPABLE])
    @pytest.mark.parametrize("years,days", [(16, 0), (17, 0), (18, 1)])  # 16th birthday .. 17:364
    def test_the_parent_applies(self, capacity, years, days):
        teen = person(born(years, days=days), capacity=capacity)
        assert check_subject(PARENT, teen, parent_of(teen), TODAY) is None

    def test_the_teen_cannot_apply_for_themself(self):
        teen = person(born(16), capacity=Capacity.LIMITED)
        assert check_subject(teen, teen, [], TODAY) is SubjectProblem.APPLICANT_INCAPABLE

    def test_on_the_eighteenth_birthday_it_takes_a_guardian(self):
        adult = person(born(18), capacity=Capacity.LIMITED)
        assert check_subject(PARENT, adult, parent_of(adult), TODAY) is SubjectProblem.NOT_LINKED
        assert check_subject(PARENT, adult, guardian_of(adult), TODAY) is None

    def test_not_linked_teen(self):
        teen = person(born(16), capacity=Capacity.LIMITED)
        assert check_subject(PARENT, teen, [], TODAY) is SubjectProblem.NOT_LINKED
        assert check_subject(PARENT, teen, guardian_of(teen), TODAY) is SubjectProblem.NOT_LINKED

    def test_a_teen_with_full_capacity_still_applies_themself(self):
        teen = person(born(17))
        assert check_subject(PARENT, teen, parent_of(teen), TODAY) is SubjectProblem.CHILD_OVER_16


class TestDuplicate:
    """Rule 6: one application awaiting consent at a time; none where already registered."""

    def test_nothing_in_the_way(self):
        me = Person(**{**person(born(30)).__dict__, "registered_address_id": 7})
        assert check_duplicate(me, ADDRESS.id, awaiting_elsewhere=False) is None

    def test_already_registered_at_this_address(self):
        me = Person(**{**person(born(30)).__dict__, "registered_address_id": ADDRESS.id})
        assert check_duplicate(me, ADDRESS.id, False) is Duplicate.ALREADY_REGISTERED
        assert check_duplicate(me, ADDRESS.id, True) is Duplicate.ALREADY_REGISTERED

    def test_an_application_awaiting_consent(self):
        me = person(born(30))
        assert check_duplicate(me, ADDRESS.id, True) is Duplicate.AWAITING_CONSENT


class TestWard:
    @pytest.mark.parametrize("capacity", [Capacity.INCAPABLE, Capacity.LIMITED])
    def test_guardian_registers_adult_ward(self, capacity):
        ward = person(born(30), capacity=capacity)
        assert check_subject(PARENT, ward, guardian_of(ward), TODAY) is None

    def test_ward_turning_eighteen_today(self):
        ward = person(born(18), capacity=Capacity.INCAPABLE)
        assert check_subject(PARENT, ward, guardian_of(ward), TODAY) is None

    def test_guardian_cannot_register_a_capable_adult(self):
        ward = person(born(30))
        problem = check_subject(PARENT, ward, guardian_of(ward), TODAY)
        assert problem is SubjectProblem.CAPABLE_ADULT

    def test_incapable_adult_not_linked(self):
        ward = person(born(30), capacity=Capacity.INCAPABLE)
        assert check_subject(PARENT, ward, [], TODAY) is SubjectProblem.NOT_LINKED

    def test_parent_link_is_not_guardianship_of_an_incapable_adult(self):
        ward = person(born(30), capacity=Capacity.INCAPABLE)
        problem = check_subject(PARENT, ward, parent_of(ward), TODAY)
        assert problem is SubjectProblem.NOT_LINKED


class TestApplicant:
    def test_seventeen_year_old_cannot_apply_for_someone_else(self):
        young = person(born(18, days=1))
        child = person(born(15))
        problem = check_subject(young, child, parent_of(child), TODAY)
        assert problem is SubjectProblem.APPLICANT_NOT_ADULT

    def test_eighteenth_birthday_today_may_apply_for_someone_else(self):
        young = person(born(18))
        child = person(born(15))
        assert check_subject(young, child, parent_of(child), TODAY) is None

    @pytest.mark.parametrize("capacity", [Capacity.INCAPABLE, Capacity.LIMITED])
    def test_applicant_without_full_capacity_cannot_apply_for_others(self, capacity):
        applicant = person(born(40), capacity=capacity)
        child = person(born(15))
        problem = check_subject(applicant, child, parent_of(child), TODAY)
        assert problem is SubjectProblem.APPLICANT_INCAPABLE


def test_every_subject_problem_is_reachable():
    """Guards against a new problem being added without a rule (and a test) behind it."""
    me, child14, child16 = person(born(30)), person(born(14)), person(born(16))
    ward, young, weak = person(born(30)), person(born(17)), person(born(30), Capacity.LIMITED)
    seen = {
        check_subject(me, person(born(10)), [], TODAY),
        check_subject(me, child14, [], TODAY),
        check_subject(me, ward, guardian_of(ward), TODAY),
        check_subject(me, child16, parent_of(child16), TODAY),
        check_subject(young, child14, parent_of(child14), TODAY),
        check_subject(weak, weak, [], TODAY),
        check_subject(child14, child14, [], TODAY),
    }
    assert seen == set(SubjectProblem)


# --- which path the address takes -------------------------------------------------------


def private(*owners: Person) -> Dwelling:
    return Dwelling(ADDRESS, DwellingKind.PRIVATE, owners=owners)


def rental(tenant: Person, *members: Person) -> Dwelling:
    iins = (tenant.iin, *(m.iin for m in members))
    return Dwelling(ADDRESS, DwellingKind.STATE_RENTAL, tenant_iin=tenant.iin, lease_members=iins)


APPLICANT = person(born(35))
SUBJECT = person(born(30))
OWNER_A = person(born(50), phone="+77017770001")
OWNER_B = person(born(55), phone="+77017770002")


def test_no_record_in_the_real_estate_registry():
    assert route(APPLICANT, SUBJECT, None, TODAY) == Route(Path.UNKNOWN_DWELLING)


def test_private_dwelling_without_owners_is_unknown():
    assert route(APPLICANT, SUBJECT, private(), TODAY).path is Path.UNKNOWN_DWELLING


def test_subject_owns_the_dwelling():
    assert route(APPLICANT, SUBJECT, private(SUBJECT), TODAY) == Route(Path.NO_CONSENT)


def test_subject_co_owns_the_dwelling():
    assert route(APPLICANT, SUBJECT, private(OWNER_A, SUBJECT), TODAY).path is Path.NO_CONSENT


def test_applicant_is_the_only_other_owner():
    assert route(APPLICANT, SUBJECT, private(APPLICANT), TODAY) == Route(Path.NO_CONSENT)


def test_self_registration_in_someone_elses_home_needs_the_owner():
    result = route(SUBJECT, SUBJECT, private(OWNER_A), TODAY)
    assert result == Route(Path.OWNER_CONSENT, (OWNER_A,))


def test_every_owner_but_the_applicant_consents_in_registry_order():
    """A parent registering a child in the flat they own with their spouse needs the spouse."""
    result = route(APPLICANT, SUBJECT, private(OWNER_B, APPLICANT, OWNER_A), TODAY)
    assert result == Route(Path.OWNER_CONSENT, (OWNER_B, OWNER_A))
    assert result.online_possible


def test_owner_without_a_phone_cannot_receive_the_code():
    no_phone = person(born(60), phone=None)
    result = route(APPLICANT, SUBJECT, private(OWNER_A, no_phone), TODAY)
    assert result == Route(Path.OWNER_UNREACHABLE, (no_phone,))
    assert not result.online_possible


def test_applicant_without_phone_is_not_unreachable():
    applicant = person(born(35), phone=None)
    result = route(applicant, SUBJECT, private(applicant, OWNER_A), TODAY)
    assert result == Route(Path.OWNER_CONSENT, (OWNER_A,))


def test_minor_co_owner_means_offline():
    minor = person(born(18, days=1))
    result = route(APPLICANT, SUBJECT, private(OWNER_A, minor), TODAY)
    assert result == Route(Path.OFFLINE_ONLY)
    assert not result.online_possible


def test_owner_turning_eighteen_today_is_an_adult():
    adult_today = person(born(18))
    result = route(APPLICANT, SUBJECT, private(OWNER_A, adult_today), TODAY)
    assert result == Route(Path.OWNER_CONSENT, (OWNER_A, adult_today))


@pytest.mark.parametrize("capacity", [Capacity.INCAPABLE, Capacity.LIMITED])
def test_court_restricted_co_owner_means_offline(capacity):
    restricted = person(born(40), capacity=capacity)
    assert route(APPLICANT, SUBJECT, private(OWNER_A, restricted), TODAY).path is Path.OFFLINE_ONLY


def test_offline_rule_is_checked_before_own_home():
    """The source names owners including co-owners, without exception for the subject's home."""
    minor = person(born(10))
    assert route(APPLICANT, SUBJECT, private(SUBJECT, minor), TODAY).path is Path.OFFLINE_ONLY


def test_offline_rule_is_checked_before_the_phone():
    minor, no_phone = person(born(10)), person(born(60), phone=None)
    assert route(APPLICANT, SUBJECT, private(no_phone, minor), TODAY).path is Path.OFFLINE_ONLY


def test_state_rental_person_in_the_lease():
    result = route(APPLICANT, SUBJECT, rental(APPLICANT, SUBJECT), TODAY)
    assert result == Route(Path.LEASE_ALLOWED)
    assert result.online_possible


def test_state_rental_tenant_themself():
    lease = Dwelling(ADDRESS, DwellingKind.STATE_RENTAL, tenant_iin=SUBJECT.iin)
    assert route(SUBJECT, SUBJECT, lease, TODAY).path is Path.LEASE_ALLOWED


def test_state_rental_person_not_in_the_lease_is_refused():
    result = route(APPLICANT, SUBJECT, rental(APPLICANT), TODAY)
    assert result == Route(Path.LEASE_REFUSED)
    assert not result.online_possible


def test_online_is_possible_exactly_on_three_paths():
    online = {p for p in Path if Route(p).online_possible}
    assert online == {Path.NO_CONSENT, Path.OWNER_CONSENT, Path.LEASE_ALLOWED}
