"""Owner consent codes go by SMS: only a real Kazakhstan mobile number may be stored (SPEC §5)."""

from __future__ import annotations

import pytest

from portal.domain.phones import InvalidPhone, mask_phone, normalize_mobile


@pytest.mark.parametrize(
    "text",
    [
        "8 701 123 45 67",
        "+7 (701) 123-45-67",
        "87011234567",
        "+77011234567",
        "77011234567",
        " 8-701-123-45-67 ",
        "8 (701) 123.45.67",
    ],
)
def test_usual_ways_of_writing_a_mobile_give_one_e164(text):
    assert normalize_mobile(text) == "+77011234567"


@pytest.mark.parametrize("prefix", ["700", "705", "707", "747", "771", "775", "777", "778"])
def test_kazakh_mobile_operators(prefix):
    assert normalize_mobile(f"8 {prefix} 555 12 34") == f"+7{prefix}5551234"


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        "   ",
        "+7 7172 12 34 56",  # Astana landline
        "8 727 123 45 67",  # Almaty landline
        "+7 916 123 45 67",  # Russian mobile, same +7 country code
        "+996 555 123 456",  # Kyrgyz mobile
        "8 701 123 45 6",  # a digit short
        "8 701 123 45 678",  # a digit too many
        "8 701 ABC 45 67",  # letters would be read as phone-keypad digits
        "+7 701 123 45 67 ext. 1",
        "not a phone",
    ],
)
def test_anything_else_is_refused(text):
    with pytest.raises(InvalidPhone):
        normalize_mobile(text)


def test_invalid_phone_is_a_value_error():
    assert issubclass(InvalidPhone, ValueError)


def test_mask_shows_operator_and_last_two_digits_only():
    assert mask_phone("+77011234567") == "+7 701 *** ** 67"
    assert mask_phone("+77475550099") == "+7 747 *** ** 99"


def test_mask_hides_the_middle_digits():
    masked = mask_phone("+77011234567")
    for hidden in ("123", "45"):
        assert hidden not in masked


@pytest.mark.parametrize("text", ["", "87011234567", "+7701123456", "+7 701 123 45 67"])
def test_mask_wants_e164(text):
    with pytest.raises(InvalidPhone):
        mask_phone(text)
