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
    Settlement("almaty", "Алматы", "Алматы", "Almaty",
               "Алматы қаласы", "город Алматы", "Almaty city"),
    Settlement("astana", "Астана", "Астана", "Astana",
               "Астана қаласы", "город Астана", "Astana city"),
    Settlement("shymkent", "Шымкент", "Шымкент", "Shymkent",
               "Шымкент қаласы", "город Шымкент", "Shymkent city"),
    Settlement("karaganda", "Қарағанды", "Караганда", "Karaganda",
               "Қарағанды облысы", "Карагандинская область", "Karaganda Region"),
)}


def settlement_name(code: str | None, lang: str) -> str:
    """The name of a settlement by its code, in `lang`; an unknown code as it is."""
    found = SETTLEMENTS.get(code or "")
    return found.name(lang) if found else (code or "")
