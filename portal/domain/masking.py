"""Names shown to a third party (an owner asked for consent) are masked: known, not leaked."""

from __future__ import annotations

import unicodedata


def _letters(part: str | None) -> list[str]:
    """The letters of a name part, composed first so that Й or Ё count as one letter."""
    return [c for c in unicodedata.normalize("NFC", part or "") if c.isalpha()]


def mask_name(surname: str | None, given_name: str | None) -> str:
    """('Бекова', 'Әсемгүл') -> 'Ә****** Б.'; a missing part is left out, both missing -> ''."""
    given, family = _letters(given_name), _letters(surname)
    pieces = []
    if given:
        pieces.append(given[0].upper() + "*" * (len(given) - 1))
    if family:
        pieces.append(family[0].upper() + ".")
    return " ".join(pieces)
