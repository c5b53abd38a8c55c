"""One term for one thing (docs/GLOSSARY.md): the Kazakh and Russian catalogues, and so every
page and SMS made from them, never use a variant the glossary rules out: өтінім (the portal
says өтініш), тіркелім (тізілім), the population registry under another name than its own
(«Жеке тұлғалар» мемлекеттік деректер қоры / государственная база данных «Физические лица»),
«регистр» where a registry is meant (реестр), «заявка» (заявление), Russian words written
without their ё (ё is used throughout), the quality authority under a short name outside an SMS.
tests/integration/test_sms_parts.py holds the rendered SMS texts to the same list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]

FORBIDDEN = {
    "kk": [
        (r"өтінім", "өтініш"),
        (r"тіркелім", "тізілім"),
        (r"халықты тіркеу тізілім|халық тізілім|халық тіркелім",
         "«Жеке тұлғалар» мемлекеттік деректер қоры"),
        (r"мемлекеттік дерекқор", "мемлекеттік тізілімдер"),
    ],
    "ru": [
        (r"\bрегистр(ы|ов|ам|ами|ах|е|а|ом|у)?\b", "реестр"),
        (r"реестр\w* населения|регистр\w* населения",
         "государственная база данных «Физические лица»"),
        (r"заявк", "заявление"),
        (r"\b(ребенок|ребенка|ребенку|ребенком|еще|ее|нее|подает|подается|придет|истек|"
         r"сохранен|удален|чье|учет|учета|учете|отчет|жильем|ведет|ждет|живет|"
         r"сохраненные|введенные|отведенное|отведенный|населенный|населенного|населенном)\b",
         "ё: учёт, ребёнок, ещё, её, подаёт, придёт, истёк, сохранён..."),
    ],
}
# Outside an SMS (which must stay short) the quality authority has its full name.
FULL_NAME_ONLY = {
    "kk": (r"сапа жөніндегі|сапасын бағалау жөніндегі",
           "мемлекеттік қызметтер көрсету сапасын бағалау және бақылау жөніндегі уәкілетті "
           "орган"),
    "ru": (r"(?<!уполномоченный )орган по оценке качества|по оценке качества государственных",
           "уполномоченный орган по оценке и контролю за качеством оказания государственных "
           "услуг"),
}


def forbidden_in(lang: str, text: str) -> list[str]:
    """What in `text` the glossary rules out, with the word to use instead."""
    return [f"{re.search(pattern, text, re.IGNORECASE).group(0)!r}: use {instead}"
            for pattern, instead in FORBIDDEN.get(lang, [])
            if re.search(pattern, text, re.IGNORECASE)]


def entries(lang: str):
    with open(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        for message in read_po(po, locale=lang):
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            msgid = message.id[0] if isinstance(message.id, tuple) else message.id
            for string in strings:
                yield msgid, string or ""


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_catalogue_uses_only_the_glossary_terms(lang):
    found = [(msgid, problem) for msgid, string in entries(lang)
             for problem in forbidden_in(lang, string)]
    assert not found, "\n".join(f"{msgid[:60]!r}: {problem}" for msgid, problem in found)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_quality_authority_has_its_full_name_outside_sms(lang):
    pattern, full = FULL_NAME_ONLY[lang]
    found = [msgid for msgid, string in entries(lang)
             if not msgid.startswith("Mekenjai: ") and re.search(pattern, string, re.I)]
    assert not found, f"write «{full}» in: {found}"


@pytest.mark.parametrize("lang,text", [
    ("kk", "Өтінім берілді"), ("kk", "Мемлекеттік тіркелімдер"), ("kk", "халық тізілімінде"),
    ("ru", "По данным регистров"), ("ru", "Регистр недвижимости"), ("ru", "заявка"),
    ("ru", "Ребенок до 14 лет"), ("ru", "Вы еще не подавали"), ("ru", "срок истек"),
])
def test_the_check_finds_each_forbidden_variant(lang, text):
    assert forbidden_in(lang, text)


@pytest.mark.parametrize("lang,text", [
    ("kk", "Өтініш берілді"), ("kk", "мемлекеттік тізілімдер"),
    ("ru", "регистрация по месту жительства"), ("ru", "зарегистрирован"),
    ("ru", "По данным реестров"), ("ru", "в государственном арендном жилье"),  # prepositional
    ("ru", "Все виды"),
])
def test_the_check_leaves_the_right_words_alone(lang, text):
    assert not forbidden_in(lang, text)
