"""One fact, one name: the language list is written once (portal.domain.languages) and read by
all; a settlement is a typed record named in every language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portal.core.registries.settlements import SETTLEMENTS, Settlement, settlement_name
from portal.domain.languages import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
# The languages written out as a list or an index: '("kk", "ru", "en")', '{"kk": 0, ...'.
LISTED = re.compile(r"""['"]kk['"]\s*[,:]\s*(\d\s*,\s*)?['"]ru['"]""")


def test_the_language_list_is_written_once():
    found = [f"{path.relative_to(ROOT)}:{number}"
             for folder in ("portal", "kiosk", "demo_registries")
             for path in sorted((ROOT / folder).rglob("*.py"))
             if path != ROOT / "portal" / "domain" / "languages.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if LISTED.search(line)]
    assert found == []


@pytest.mark.parametrize("code", sorted(SETTLEMENTS))
def test_every_settlement_is_a_record_named_in_every_language(code):
    settlement = SETTLEMENTS[code]
    assert isinstance(settlement, Settlement) and settlement.code == code
    for lang in LANGUAGES:
        assert settlement.name(lang).strip() and settlement.region(lang).strip()
        assert settlement_name(code, lang) == settlement.name(lang)


def test_a_settlement_name_falls_back_to_kazakh_and_an_unknown_code_shows_as_it_is():
    assert SETTLEMENTS["karaganda"].name("ru") == "Караганда"
    assert SETTLEMENTS["karaganda"].name("de") == "Қарағанды"
    assert settlement_name("atlantis", "ru") == "atlantis"


# --- the refusal grounds: the reference in the domain, the name in the web layer, one key -------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_ground_has_exactly_one_name_and_one_reference_in_every_language(app, lang):
    from flask_babel import force_locale

    from portal.domain.housing.grounds import GROUNDS, Ground
    from portal.housing.labels import GROUND_NAMES, GROUND_REFERENCES

    assert set(GROUND_NAMES) == set(GROUNDS) == set(GROUND_REFERENCES) == set(Ground)
    with app.test_request_context(), force_locale(lang):
        for ground in Ground:
            name, reference = str(GROUND_NAMES[ground]), str(GROUND_REFERENCES[ground])
            assert name.strip() and reference.strip(), ground
            if lang != "en":  # translated, the words as well as the numbers
                with force_locale("en"):
                    english = (str(GROUND_NAMES[ground]), str(GROUND_REFERENCES[ground]))
                assert name != english[0], (ground, lang, name)
                assert reference != english[1], (ground, lang, reference)
                assert not any(word in reference for word in ("Rules", "Appendix", "sub.")), \
                    (ground, lang, reference)
    with app.test_request_context(), force_locale("en"):
        for ground, info in GROUNDS.items():  # the English reference is the domain's own
            assert str(GROUND_REFERENCES[ground]) == info.reference_en
