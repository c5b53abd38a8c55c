"""The catalogues are complete: every string in code and templates is translated into kk, ru
and en, nothing is fuzzy, placeholders match, and no English is left in kk or ru."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages import checkers
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ("kk", "ru", "en")
# Words that stay in Latin letters in every language (the product name, the English label).
LATIN_OK = {"Mekenjai", "English", "IIN", "SMS", "QR", "PDF", "JPG", "PNG",
            # ЭЦП: the names NCALayer shows (the application, its key types) and NCA's site
            "NCALayer", "JavaScript", "AUTH", "RSA", "GOST", "GOSTKNCA", "pki", "gov",
            "CSV", "JSON"}  # the audit trail's download formats


def catalogue(locale: str):
    with open(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=locale)


def extracted_ids() -> set[str]:
    method_map = [("portal/**.py", "python"), ("kiosk/**.py", "python"),
                  ("templates/**.html", "jinja2")]
    keywords = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None,
                "ngettext": (1, 2)}
    ids = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
            str(ROOT), method_map, keywords=keywords):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


@pytest.mark.parametrize("locale", LOCALES)
def test_every_string_in_code_is_in_the_catalogue(locale):
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(locale) if m.id}
    missing = sorted(extracted_ids() - known)
    assert not missing, f"run `flask translate update` and translate: {missing[:10]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_nothing_untranslated_or_fuzzy(locale):
    problems = []
    for message in catalogue(locale):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(message.id)
    assert not problems, problems[:10]


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_match(locale):
    cat = catalogue(locale)
    errors = []
    for message in cat:
        if not message.id:
            continue
        try:
            checkers.python_format(cat, message)
        except Exception as exc:  # TranslationError
            errors.append((message.id, str(exc)))
        jinja_vars = set(re.findall(r"%\((\w+)\)s", str(message.id)))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for s in strings:
            if set(re.findall(r"%\((\w+)\)s", s)) != jinja_vars:
                errors.append((message.id, s))
    assert not errors, errors[:5]


@pytest.mark.parametrize("locale", ("kk", "ru"))
def test_no_english_left(locale):
    leftovers = []
    for message in catalogue(locale):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for s in strings:
            words = re.findall(r"[A-Za-z]{3,}", re.sub(r"%\(\w+\)[sd]|<[^>]+>|\{\{.*?\}\}", "", s))
            if [w for w in words if w not in LATIN_OK]:
                leftovers.append(s)
    assert not leftovers, leftovers[:10]
