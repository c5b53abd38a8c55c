"""The portal's languages: Kazakh (the state language) first, then Russian and English.

One list, read by the configuration, the SMS texts, the settlements' names and the demo
registries (Constitution of the Republic of Kazakhstan, art. 7: Kazakh is the state language,
Russian is officially used on a par with it)."""

from __future__ import annotations

KAZAKH, RUSSIAN, ENGLISH = "kk", "ru", "en"
LANGUAGES: tuple[str, ...] = (KAZAKH, RUSSIAN, ENGLISH)


def index(lang: str) -> int:
    """The language's place in LANGUAGES (Kazakh, the first, for an unknown one)."""
    return LANGUAGES.index(lang) if lang in LANGUAGES else 0
