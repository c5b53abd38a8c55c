"""The IIN (individual identification number): 12 digits, YYMMDD + century/sex + serial + check.

Digit 7 carries century and sex: 1/2 = 1800s, 3/4 = 1900s, 5/6 = 2000s, odd = male.
The check digit is sum(d_i * w_i) mod 11 with weights 1..11; when that is 10 the sum is taken
again with weights 3..11,1,2; a second 10 means no such IIN is ever issued.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WEIGHTS_FIRST = tuple(range(1, 12))
WEIGHTS_SECOND = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
CENTURIES = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}


class InvalidIIN(ValueError):
    """The text is not a valid IIN."""


@dataclass(frozen=True)
class IIN:
    value: str
    birth_date: dt.date
    sex: str  # "M" or "F"

    def __str__(self) -> str:
        return self.value


def check_digit(first_eleven: str) -> int | None:
    """The 12th digit for these 11 digits, or None when no valid IIN can end them."""
    digits = [int(c) for c in first_eleven]
    for weights in (WEIGHTS_FIRST, WEIGHTS_SECOND):
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def parse(text: str) -> IIN:
    """Parse and fully validate an IIN; spaces are ignored. Raises InvalidIIN."""
    value = "".join(str(text or "").split())
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        raise InvalidIIN("An IIN is 12 digits")
    century_sex = int(value[6])
    if century_sex not in CENTURIES:
        raise InvalidIIN("Digit 7 must be 1 to 6")
    year = CENTURIES[century_sex] + int(value[0:2])
    try:
        birth = dt.date(year, int(value[2:4]), int(value[4:6]))
    except ValueError as exc:
        raise InvalidIIN("Digits 1-6 are not a date") from exc
    if check_digit(value[:11]) != int(value[11]):
        raise InvalidIIN("Check digit does not match")
    return IIN(value=value, birth_date=birth, sex="M" if century_sex % 2 else "F")


def is_valid(text: str) -> bool:
    try:
        parse(text)
    except InvalidIIN:
        return False
    return True


def make(birth_date: dt.date, sex: str, serial: int) -> str:
    """Build a valid IIN (for demo data and tests); `serial` 0..9999, skipped forward past
    serials that no valid IIN can end. Raises ValueError for a date outside 1800-2099."""
    century = {1800: 1, 1900: 3, 2000: 5}.get(birth_date.year // 100 * 100)
    if century is None:
        raise ValueError("An IIN encodes birth years 1800-2099 only")
    base = century + (0 if sex == "M" else 1)
    for s in range(serial, serial + 10):
        head = f"{birth_date:%y%m%d}{base}{s % 10000:04d}"
        digit = check_digit(head)
        if digit is not None:
            return head + str(digit)
    raise ValueError("no valid serial")  # pragma: no cover - 10 in a row cannot all fail
