"""What a citizen types into the address search, made comparable with the registry's spelling.

People type addresses on phones without a Kazakh keyboard ("Кабанбай" for "Қабанбай"), in
Russian with declension ("проспект Абая"), or in the Latin script: the Kazakh Latin alphabet of
2021 (Decree of the President of 28 October 2017 No. 569 as amended in 2021: ä, ğ, q, ñ, ö, ū,
ü, ş, ı, ...) or informal transliteration ("Zhibek zholy", "Kabanbai"). `fold` maps all of these
to one lowercase Latin skeleton (ASCII letters, digits, single spaces), so the registry's names
and the query meet in the same form, both ways: Cyrillic typed for a name, Latin typed for it.
The engine compares skeletons (trigrams); this module only makes them.

House and flat numbers come in many forms ("150/12", "150 кв 12", "д.150, кв.12", "59-34",
"үй 150 пәтер 12"); `parse_query` separates them from the street words. Street-type words
(улица, көшесі, street...) and city names are registry data: the adapter removes them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Cyrillic (Kazakh and Russian) to the skeleton: Kazakh letters folded to the nearest Russian
# sound (ә→а, ғ→г, қ→к, ң→н, ө→о, ұ/ү→у, һ→х, і→и), then one Latin spelling per sound.
_CYRILLIC = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "j", "з": "z", "и": "i", "і": "i", "й": "i", "к": "k", "қ": "k", "л": "l", "м": "m",
    "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ұ": "u", "ү": "u", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}
# Latin letters with no plain-ASCII decomposition, or whose digraph is the skeleton's; the
# rest (ä, ö, ü, ū, ğ, ñ, á, ó, ú, ý...) lose their marks by Unicode decomposition.
_LATIN = {"ı": "i", "ş": "sh", "ç": "ch", "q": "k", "x": "h", "w": "u", "c": "ts"}
# Informal Latin spellings of one sound, after the letters above (order matters: "zh" first).
_DIGRAPHS = (("zh", "j"), ("kh", "h"), ("yu", "iu"), ("ya", "ia"), ("yo", "io"))
_NON_WORD = re.compile(r"[^a-z0-9]+")

# Words that say the next number is the house or the flat, folded (Russian, Kazakh, English).
HOUSE_MARKERS = frozenset({"d", "dom", "ui", "uy", "house", "h", "zd", "zdanie"})
FLAT_MARKERS = frozenset({"kv", "kvartira", "pater", "flat", "apt", "apartment", "ap", "f"})
_TOKEN = re.compile(r"\d+(?:[a-z](?![a-z]))?|[a-z]+")


def fold(text: str) -> str:
    """The comparable skeleton of `text`: lowercase Latin letters and digits, one space between
    words. "Қабанбай батыр" and "Qabanbai batyr" and "Kabanbai batyr" all give
    "kabanbai batyr"; "Жібек жолы" and "Zhibek zholy" and "Jibek joly" give "jibek joly"."""
    raw = (text or "").lower()
    # Informal Latin first, while it is still told apart from Cyrillic (the patterns are ASCII).
    for digraph, sound in _DIGRAPHS:
        raw = raw.replace(digraph, sound)
    # After a vowel, informal "ye" is Cyrillic е (Satpayev: Сатпаев) and "y" before a
    # consonant or the end is й (Kabanbay, Baytursynov); not after i (Raiymbek: Райымбек).
    raw = re.sub(r"(?<=[aeo])ye", "e", raw)
    raw = re.sub(r"(?<=[aeo])y(?![aeiou])", "i", raw)
    mapped = "".join(_LATIN.get(c, c) for c in (_CYRILLIC.get(c, c) for c in raw))
    decomposed = unicodedata.normalize("NFKD", mapped)
    latin = "".join(c for c in decomposed if not unicodedata.combining(c))
    latin = _NON_WORD.sub(" ", latin.lower())
    return " ".join(latin.split())


@dataclass(frozen=True)
class AddressQuery:
    """A search split into its parts: the street (and settlement) words, folded; the house and
    flat numbers as the registry writes them ("150", "12А"), None when not typed."""

    words: tuple[str, ...]
    house: str | None = None
    flat: str | None = None

    @property
    def text(self) -> str:
        return " ".join(self.words)


def _number(token: str) -> str:
    """"150a" → "150А": the registry writes a house's letter in Cyrillic capitals."""
    digits = token.rstrip("abcdefghijklmnopqrstuvwxyz")
    letter = token[len(digits):]
    return digits + {"a": "А", "b": "Б", "v": "В", "g": "Г", "d": "Д", "e": "Е"}.get(letter,
                                                                                letter.upper())


def parse_query(text: str, max_chars: int = 200) -> AddressQuery:
    """Street words, house and flat of a typed address. Numbers after a house marker (д., дом,
    үй, house) are the house, after a flat marker (кв., квартира, пәтер, flat, apt) the flat;
    bare numbers are the house, then the flat ("150/12", "59-34", "150 12"). Longer input than
    `max_chars` is cut: an address is never that long."""
    words: list[str] = []
    house = flat = None
    expect = None  # "house" | "flat": what the last marker announced
    for token in _TOKEN.findall(fold((text or "")[:max_chars])):
        if token[0].isdigit():
            number = _number(token)
            if expect == "flat" or (expect is None and house is not None):
                flat = flat or number
            else:
                house = house or number
            expect = None
        elif token in HOUSE_MARKERS:
            expect = "house"
        elif token in FLAT_MARKERS:
            expect = "flat"
        else:
            words.append(token)
    return AddressQuery(words=tuple(dict.fromkeys(words)), house=house, flat=flat)


def trigrams(text: str) -> list[str]:
    """The three-letter pieces of a folded text, in order, once each (what a trigram index
    stores); the engine's own tokenizer makes the same ones from the indexed text."""
    return list(dict.fromkeys(text[i:i + 3] for i in range(len(text) - 2)))


@dataclass(frozen=True)
class StreetSuggestion:
    """A street offered under "did you mean": its name and settlement in the reader's language,
    and the search that finds its addresses (with the typed house when the street has it)."""

    street: str
    settlement: str
    query: str

    @property
    def label(self) -> str:
        return f"{self.street}, {self.settlement}"
