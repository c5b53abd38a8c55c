"""The IIN rules of SPEC §5: every IIN we make is valid, and the check digit catches what it can."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.iin import WEIGHTS_FIRST, InvalidIIN, check_digit, is_valid, make, parse

dates = st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2099, 12, 31))
sexes = st.sampled_from(["M", "F"])
serials = st.integers(min_value=0, max_value=9999)


def _first_remainder(iin: str) -> int:
    return sum(int(c) * w for c, w in zip(iin[:11], WEIGHTS_FIRST, strict=True)) % 11


@given(dates, sexes, serials)
def test_every_made_iin_parses_back_with_its_date_and_sex(birth, sex, serial):
    value = make(birth, sex, serial)
    parsed = parse(value)
    assert parsed.value == value
    assert parsed.birth_date == birth
    assert parsed.sex == sex
    assert value[:6] == f"{birth:%y%m%d}"


@given(dates, sexes, serials, st.integers(min_value=1, max_value=9))
def test_changing_the_check_digit_always_invalidates(birth, sex, serial, shift):
    value = make(birth, sex, serial)
    wrong = value[:11] + str((int(value[11]) + shift) % 10)
    assert not is_valid(wrong)


def _change(value: str, position: int, shift: int) -> str:
    digits = list(value)
    digits[position] = str((int(digits[position]) + shift) % 10)
    return "".join(digits)


@given(dates, sexes, serials, st.integers(min_value=0, max_value=9), st.integers(1, 9))
def test_changing_one_of_the_first_ten_digits_is_caught_unless_second_weights_were_used(
    birth, sex, serial, position, shift
):
    """Weights 1..10 are non-zero mod 11, so such a change always moves the first remainder;
    it can only slip through when one side needed the second weights."""
    value = make(birth, sex, serial)
    changed = _change(value, position, shift)
    assert _first_remainder(changed) != _first_remainder(value)
    if is_valid(changed):
        assert 10 in (_first_remainder(changed), _first_remainder(value))


@given(dates, sexes, serials, st.integers(1, 9))
def test_the_eleventh_digit_is_caught_only_through_the_second_weights(birth, sex, serial, shift):
    """Its first weight is 11 = 0 mod 11: the first remainder ignores it. Where that remainder
    is 10 the second weights (2 for this digit) catch any change; otherwise the changed number
    is another valid IIN of the same birth date and sex, a different serial."""
    value = make(birth, sex, serial)
    changed = _change(value, 10, shift)
    assert _first_remainder(changed) == _first_remainder(value)
    if _first_remainder(value) == 10:
        assert not is_valid(changed)
    else:
        assert (parse(changed).birth_date, parse(changed).sex) == (birth, sex)


def test_known_good_example():
    parsed = parse("061211600012")
    assert parsed.birth_date == dt.date(2006, 12, 11)
    assert parsed.sex == "F"
    assert _first_remainder("061211600012") == 10  # it exercises the second weights


def test_spaces_are_ignored():
    assert parse(" 061 211 600 012 ").value == "061211600012"


def test_century_and_sex_of_each_digit_seven():
    assert parse(make(dt.date(1899, 5, 1), "M", 1)).value[6] == "1"
    assert parse(make(dt.date(1899, 5, 1), "F", 1)).value[6] == "2"
    assert parse(make(dt.date(1985, 5, 1), "M", 1)).value[6] == "3"
    assert parse(make(dt.date(1985, 5, 1), "F", 1)).value[6] == "4"
    assert parse(make(dt.date(2010, 5, 1), "M", 1)).value[6] == "5"
    assert parse(make(dt.date(2010, 5, 1), "F", 1)).value[6] == "6"


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        "06121160001",  # 11 digits
        "0612116000122",  # 13 digits
        "06121160001A",
        "O61211600012",  # letter O for zero
        "０６１２１１６０００１２",  # full-width digits
        "٠٦١٢١١٦٠٠٠١٢",  # Arabic-Indic digits
        "-61211600012",
    ],
)
def test_malformed_text_is_invalid(text):
    with pytest.raises(InvalidIIN):
        parse(text)


def _with_check(head: str) -> str:
    digit = check_digit(head)
    assert digit is not None
    return head + str(digit)


@pytest.mark.parametrize("head", ["9013013000", "9002303000", "9000013000", "9001323000"])
def test_impossible_dates_are_invalid_even_with_a_matching_check_digit(head):
    # month 13, 30 February, month 00, day 32
    value = _with_check(head + "1")
    assert not is_valid(value)


@pytest.mark.parametrize("digit", "0789")
def test_digit_seven_outside_one_to_six_is_invalid(digit):
    head = f"900101{digit}0001"
    assert not any(is_valid(head + str(last)) for last in range(10))


def test_remainder_ten_twice_means_no_iin_ends_these_digits():
    head = "90010130080"  # a valid date and digit 7; both weighted sums give remainder 10
    assert check_digit(head) is None
    assert not any(is_valid(head + str(last)) for last in range(10))


def test_make_skips_serials_that_no_iin_can_end():
    value = make(dt.date(1990, 1, 1), "M", 80)  # serial 0080 is the remainder-10-twice case
    assert is_valid(value)
    assert value[7:11] == "0081"


@pytest.mark.parametrize("year", [1799, 2100])
def test_make_refuses_dates_outside_1800_to_2099(year):
    with pytest.raises(ValueError):
        make(dt.date(year, 1, 1), "M", 1)
