"""Settlement codes the registries use, with their names and regions in kk, ru and en.

Reference data shared by the office (which settlements a member of staff handles), the housing
pages and the demo stand-in registries (which seed `reg_settlement` from it).
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.domain.languages import KAZAKH, LANGUAGES


@dataclass(frozen=True)
class Settlement:
    code: str
    name_kk: str
    name_ru: str
    name_en: str
    region_kk: str
    region_ru: str
    region_en: str

    def name(self, lang: str) -> str:
        """The settlement's name in `lang` (Kazakh for a language the portal does not have)."""
        return getattr(self, f"name_{lang if lang in LANGUAGES else KAZAKH}")

    def region(self, lang: str) -> str:
        return getattr(self, f"region_{lang if lang in LANGUAGES else KAZAKH}")


SETTLEMENTS = {s.code: s for s in (
    # The cities of republican significance.
    Settlement("almaty", "Алматы", "Алматы", "Almaty",
               "Алматы қаласы", "город Алматы", "Almaty city"),
    Settlement("astana", "Астана", "Астана", "Astana",
               "Астана қаласы", "город Астана", "Astana city"),
    Settlement("shymkent", "Шымкент", "Шымкент", "Shymkent",
               "Шымкент қаласы", "город Шымкент", "Shymkent city"),
    # The regions, each by its centre (the akimat that keeps the list) [design: one list per
    # regional centre until the address registry gives every settlement of a region].
    Settlement("karaganda", "Қарағанды", "Караганда", "Karaganda",
               "Қарағанды облысы", "Карагандинская область", "Karaganda Region"),
    Settlement("semey", "Семей", "Семей", "Semey",
               "Абай облысы", "область Абай", "Abai Region"),
    Settlement("kokshetau", "Көкшетау", "Кокшетау", "Kokshetau",
               "Ақмола облысы", "Акмолинская область", "Akmola Region"),
    Settlement("aktobe", "Ақтөбе", "Актобе", "Aktobe",
               "Ақтөбе облысы", "Актюбинская область", "Aktobe Region"),
    Settlement("konaev", "Қонаев", "Конаев", "Konaev",
               "Алматы облысы", "Алматинская область", "Almaty Region"),
    Settlement("atyrau", "Атырау", "Атырау", "Atyrau",
               "Атырау облысы", "Атырауская область", "Atyrau Region"),
    Settlement("oskemen", "Өскемен", "Усть-Каменогорск", "Oskemen",
               "Шығыс Қазақстан облысы", "Восточно-Казахстанская область",
               "East Kazakhstan Region"),
    Settlement("taraz", "Тараз", "Тараз", "Taraz",
               "Жамбыл облысы", "Жамбылская область", "Zhambyl Region"),
    Settlement("taldykorgan", "Талдықорған", "Талдыкорган", "Taldykorgan",
               "Жетісу облысы", "область Жетісу", "Zhetysu Region"),
    Settlement("oral", "Орал", "Уральск", "Oral",
               "Батыс Қазақстан облысы", "Западно-Казахстанская область", "West Kazakhstan Region"),
    Settlement("kostanay", "Қостанай", "Костанай", "Kostanay",
               "Қостанай облысы", "Костанайская область", "Kostanay Region"),
    Settlement("kyzylorda", "Қызылорда", "Кызылорда", "Kyzylorda",
               "Қызылорда облысы", "Кызылординская область", "Kyzylorda Region"),
    Settlement("aktau", "Ақтау", "Актау", "Aktau",
               "Маңғыстау облысы", "Мангистауская область", "Mangystau Region"),
    Settlement("pavlodar", "Павлодар", "Павлодар", "Pavlodar",
               "Павлодар облысы", "Павлодарская область", "Pavlodar Region"),
    Settlement("petropavl", "Петропавл", "Петропавловск", "Petropavl",
               "Солтүстік Қазақстан облысы", "Северо-Казахстанская область",
               "North Kazakhstan Region"),
    Settlement("turkistan", "Түркістан", "Туркестан", "Turkistan",
               "Түркістан облысы", "Туркестанская область", "Turkistan Region"),
    Settlement("zhezkazgan", "Жезқазған", "Жезказган", "Zhezkazgan",
               "Ұлытау облысы", "область Ұлытау", "Ulytau Region"),
)}


def settlement_name(code: str | None, lang: str) -> str:
    """The name of a settlement by its code, in `lang`; an unknown code as it is."""
    found = SETTLEMENTS.get(code or "")
    return found.name(lang) if found else (code or "")
