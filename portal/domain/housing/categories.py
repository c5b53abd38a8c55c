"""The categories of art. 74 p.1 of the Law on Housing Relations, as data (SPEC §2 "Categories").

The applicant states a category [002 p.8]; where the state databases do not confirm it, they may
ask the authority that holds the data to correct it [002 p.9], and meanwhile they are registered
WITHOUT the category, never refused [002 p.10, App.2]. Orphans and children left without
parental care are registered under art. 71 p.3 [002 p.11].

Names are plain strings in kk, ru and en (the domain has no gettext); codes are stable: they are
stored with each application and name the category's list (queue.list_for).

Decisions taken where the sources are silent:
- The catalogue is seeded from the groups SPEC §2 names [003 p.6][000], one entry per group
  member, so that each has its own list in a settlement (akimats publish lists this way).
- `needs_supporting_data` [design]: True where the state databases often hold no confirming
  record (a difficult life situation, service in special state bodies, elected posts,
  cosmonauts), so the journey offers to attach supporting files; it never makes a category
  mandatory or a file required.
- The orphan category is confirmed by the parental-care status the registries give
  (HousingFacts.parental_care), not by confirmed_categories, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from portal.domain.housing.facts import HousingFacts, ParentalCare


class Group(StrEnum):
    """The groups of art. 74 p.1 the sources name."""

    WAR = "war"  # participants and persons with disabilities of the Great Patriotic War
    VULNERABLE = "vulnerable"  # socially vulnerable groups
    ORPHANS = "orphans"  # art. 71 p.3 [002 p.11]
    STATE_EMPLOYEES = "state_employees"  # state servants, budget, military, special bodies...


@dataclass(frozen=True)
class Category:
    code: str
    group: Group
    name_kk: str
    name_ru: str
    name_en: str
    needs_supporting_data: bool = False
    legal_basis: str = "Law on Housing Relations, art. 74 p. 1"

    def name(self, language: str) -> str:
        """The name in kk, ru or en (anything else falls back to English)."""
        return {"kk": self.name_kk, "ru": self.name_ru}.get(language, self.name_en)


ORPHANS = "orphans"

CATEGORIES: tuple[Category, ...] = (
    Category(
        "war_veterans", Group.WAR,
        "Ұлы Отан соғысының қатысушылары мен мүгедектігі бар адамдары",
        "Участники и лица с инвалидностью Великой Отечественной войны",
        "Participants and persons with disabilities of the Great Patriotic War",
    ),
    Category("pensioners", Group.VULNERABLE, "Зейнеткерлер", "Пенсионеры", "Pensioners"),
    Category("large_families", Group.VULNERABLE, "Көп балалы отбасылар", "Многодетные семьи",
             "Large families"),
    Category("disabled", Group.VULNERABLE, "Мүгедектігі бар адамдар", "Лица с инвалидностью",
             "Persons with disabilities"),
    Category(
        "families_disabled_children", Group.VULNERABLE,
        "Мүгедектігі бар балаларды тәрбиелеп отырған отбасылар",
        "Семьи, воспитывающие детей с инвалидностью",
        "Families raising children with disabilities",
    ),
    Category(
        "difficult_situation", Group.VULNERABLE,
        "Қиын өмірлік жағдайдағы адамдар",
        "Лица, находящиеся в трудной жизненной ситуации",
        "Persons in a difficult life situation",
        needs_supporting_data=True,
    ),
    Category(
        ORPHANS, Group.ORPHANS,
        "Жетім балалар және ата-анасының қамқорлығынсыз қалған балалар",
        "Дети-сироты и дети, оставшиеся без попечения родителей",
        "Orphans and children left without parental care",
        legal_basis="Law on Housing Relations, art. 71 p. 3 (Rules p. 11)",
    ),
    Category("state_servants", Group.STATE_EMPLOYEES, "Мемлекеттік қызметшілер",
             "Государственные служащие", "State servants"),
    Category("budget_employees", Group.STATE_EMPLOYEES, "Бюджеттік ұйымдардың қызметкерлері",
             "Работники бюджетных организаций", "Employees of budget organisations"),
    Category("military", Group.STATE_EMPLOYEES, "Әскери қызметшілер", "Военнослужащие",
             "Military servants"),
    Category(
        "special_state_bodies", Group.STATE_EMPLOYEES,
        "Арнаулы мемлекеттік органдардың қызметкерлері",
        "Сотрудники специальных государственных органов",
        "Employees of special state bodies",
        needs_supporting_data=True,
    ),
    Category(
        "elected_officials", Group.STATE_EMPLOYEES,
        "Мемлекеттік сайланбалы лауазымдарды атқаратын адамдар",
        "Лица, занимающие государственные выборные должности",
        "Persons holding elected state posts",
        needs_supporting_data=True,
    ),
    Category(
        "cosmonauts", Group.STATE_EMPLOYEES,
        "Ғарышкерлер және ғарышкерлікке кандидаттар",
        "Космонавты и кандидаты в космонавты",
        "Cosmonauts and cosmonaut candidates",
        needs_supporting_data=True,
    ),
)

BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}


class CategoryStatus(StrEnum):
    """What the registries say about the category the applicant chose."""

    NONE = "none"  # no category chosen: the general list
    CONFIRMED = "confirmed"  # the registries confirm it: the category's list
    UNCONFIRMED = "unconfirmed"  # registered without it: a warning, never a refusal [002 p.10]


def category(code: str) -> Category:
    """The catalogue entry; KeyError for a code that is not in the catalogue."""
    return BY_CODE[code]


def confirms(facts: HousingFacts, code: str) -> bool:
    """Whether the state databases confirm that the applicant belongs to the category."""
    category(code)
    if code == ORPHANS:
        return facts.parental_care is not ParentalCare.NONE
    return code in facts.confirmed_categories


def category_status(facts: HousingFacts, code: str | None) -> CategoryStatus:
    """NONE, CONFIRMED or UNCONFIRMED for the chosen category (see the module docstring)."""
    if code is None:
        return CategoryStatus.NONE
    return CategoryStatus.CONFIRMED if confirms(facts, code) else CategoryStatus.UNCONFIRMED
