"""An owner asked for consent sees the applicant's name masked (SPEC §4)."""

from __future__ import annotations

import unicodedata

import pytest

from portal.domain.masking import mask_name


def test_kazakh_name():
    assert mask_name("Бекова", "Әсемгүл") == "Ә****** Б."


@pytest.mark.parametrize(
    ("surname", "given", "expected"),
    [
        ("Иванов", "Иван", "И*** И."),
        ("Ospanov", "Nurlan", "N***** O."),
        ("Құрманғазы", "Ұлжан", "Ұ**** Қ."),
        ("Үсенов", "Ғалым", "Ғ**** Ү."),
        ("Іскаков", "Һарун", "Һ**** І."),
        ("Ким", "Ё", "Ё К."),
    ],
)
def test_one_star_per_remaining_letter(surname, given, expected):
    assert mask_name(surname, given) == expected


def test_letters_only_the_initials_show():
    masked = mask_name("Бекова", "Әсемгүл")
    assert "Бекова" not in masked and "сем" not in masked


def test_decomposed_letters_count_once():
    given = unicodedata.normalize("NFD", "Айгерім")  # й written as и + combining breve
    assert len(given) == 8
    assert mask_name("Сейіт", given) == "А****** С."


def test_hyphens_and_spaces_are_not_letters():
    assert mask_name("Смит-Бекова", "Анна-Мария") == "А******** С."


def test_lower_case_initials_are_capitalised():
    assert mask_name("бекова", "әсемгүл") == "Ә****** Б."


@pytest.mark.parametrize(
    ("surname", "given", "expected"),
    [
        ("Бекова", None, "Б."),
        ("Бекова", "", "Б."),
        ("Бекова", "  ", "Б."),
        (None, "Әсемгүл", "Ә******"),
        ("", "Әсемгүл", "Ә******"),
        (None, None, ""),
        ("", "", ""),
    ],
)
def test_missing_parts_are_left_out(surname, given, expected):
    assert mask_name(surname, given) == expected
