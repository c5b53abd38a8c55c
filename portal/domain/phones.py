"""Kazakhstan mobile numbers: one canonical form (E.164) so SMS codes reach the right phone."""

from __future__ import annotations

import re

import phonenumbers

# No letters: phonenumbers would read them as phone-keypad digits (1-800-FLOWERS).
_ALLOWED = re.compile(r"[0-9+()\-.\s]+")


class InvalidPhone(ValueError):
    """The text is not a Kazakhstan mobile number."""


def normalize_mobile(text: str | None) -> str:
    """Return +77XXXXXXXXX for a KZ mobile number written any usual way; raise InvalidPhone."""
    raw = str(text or "").strip()
    if not raw or not _ALLOWED.fullmatch(raw):
        raise InvalidPhone("Not a phone number")
    try:
        number = phonenumbers.parse(raw, "KZ")
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone("Not a phone number") from exc
    if not phonenumbers.is_valid_number_for_region(number, "KZ"):
        raise InvalidPhone("Not a Kazakhstan number")
    if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
        raise InvalidPhone("Not a mobile number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str) -> str:
    """'+77011234567' -> '+7 701 *** ** 67': enough to recognise one's own phone, not to dial it."""
    if not re.fullmatch(r"\+7\d{10}", e164 or ""):
        raise InvalidPhone("Expected +7 and ten digits")
    return f"+7 {e164[2:5]} *** ** {e164[-2:]}"
