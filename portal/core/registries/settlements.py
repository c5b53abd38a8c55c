"""Settlement codes the registries use, with their names (kk, ru, en) and regions (kk, ru, en).

Reference data shared by the office (which settlements a member of staff handles) and the demo
stand-in registries (which seed `reg_settlement` from it).
"""

from __future__ import annotations

SETTLEMENTS = {
    # The cities of republican significance.
    "almaty": ("Алматы", "Алматы", "Almaty", "Алматы қаласы", "город Алматы", "Almaty city"),
    "astana": ("Астана", "Астана", "Astana", "Астана қаласы", "город Астана", "Astana city"),
    "shymkent": ("Шымкент", "Шымкент", "Shymkent", "Шымкент қаласы", "город Шымкент",
                 "Shymkent city"),
    # The regions, each by its centre (the akimat that keeps the list) [design: one list per
    # regional centre until the address registry gives every settlement of a region].
    "karaganda": ("Қарағанды", "Караганда", "Karaganda", "Қарағанды облысы",
                  "Карагандинская область", "Karaganda Region"),
    "semey": ("Семей", "Семей", "Semey", "Абай облысы", "область Абай", "Abai Region"),
    "kokshetau": ("Көкшетау", "Кокшетау", "Kokshetau", "Ақмола облысы", "Акмолинская область",
                  "Akmola Region"),
    "aktobe": ("Ақтөбе", "Актобе", "Aktobe", "Ақтөбе облысы", "Актюбинская область",
               "Aktobe Region"),
    "konaev": ("Қонаев", "Конаев", "Konaev", "Алматы облысы", "Алматинская область",
               "Almaty Region"),
    "atyrau": ("Атырау", "Атырау", "Atyrau", "Атырау облысы", "Атырауская область",
               "Atyrau Region"),
    "oskemen": ("Өскемен", "Усть-Каменогорск", "Oskemen", "Шығыс Қазақстан облысы",
                "Восточно-Казахстанская область", "East Kazakhstan Region"),
    "taraz": ("Тараз", "Тараз", "Taraz", "Жамбыл облысы", "Жамбылская область",
              "Zhambyl Region"),
    "taldykorgan": ("Талдықорған", "Талдыкорган", "Taldykorgan", "Жетісу облысы",
                    "область Жетісу", "Zhetysu Region"),
    "oral": ("Орал", "Уральск", "Oral", "Батыс Қазақстан облысы",
             "Западно-Казахстанская область", "West Kazakhstan Region"),
    "kostanay": ("Қостанай", "Костанай", "Kostanay", "Қостанай облысы", "Костанайская область",
                 "Kostanay Region"),
    "kyzylorda": ("Қызылорда", "Кызылорда", "Kyzylorda", "Қызылорда облысы",
                  "Кызылординская область", "Kyzylorda Region"),
    "aktau": ("Ақтау", "Актау", "Aktau", "Маңғыстау облысы", "Мангистауская область",
              "Mangystau Region"),
    "pavlodar": ("Павлодар", "Павлодар", "Pavlodar", "Павлодар облысы", "Павлодарская область",
                 "Pavlodar Region"),
    "petropavl": ("Петропавл", "Петропавловск", "Petropavl", "Солтүстік Қазақстан облысы",
                  "Северо-Казахстанская область", "North Kazakhstan Region"),
    "turkistan": ("Түркістан", "Туркестан", "Turkistan", "Түркістан облысы",
                  "Туркестанская область", "Turkistan Region"),
    "zhezkazgan": ("Жезқазған", "Жезказган", "Zhezkazgan", "Ұлытау облысы", "область Ұлытау",
                   "Ulytau Region"),
}
