"""The demo world in the stand-in registries: people and dwellings for every branch of SPEC §1–2.

seed_demo() is idempotent: rows are found by natural keys, descriptive fields are set to what is
written here, and facts that move with the calendar (birth dates of children, "sold three years
ago") are computed from today only when the row is first created, then left alone, so a second
run changes nothing and a demo keeps working as the real clock moves on.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass

import sqlalchemy as sa

from demo_registries.models import (
    RegAddress,
    RegExecutiveBody,
    RegFamilyMember,
    RegHousingPerson,
    RegHousingStatus,
    RegLease,
    RegOwnership,
    RegPerson,
    RegQueuePlace,
    RegRelation,
    RegResidence,
    RegServiceCentre,
    RegSettlement,
    RegStreetName,
    RegStreetWord,
    RegWorsening,
    create_tables,
    lease_member,
    street_search_text,
)
from portal.clock import local_today
from portal.core.registries.settlements import SETTLEMENTS
from portal.domain import iin as iin_mod
from portal.domain.addresses import fold
from portal.domain.people import Capacity, DwellingKind, RelationKind
from portal.extensions import db


@dataclass(frozen=True)
class Ago:
    """A date that many years (and days) before the day the row is first seeded."""

    years: int
    days: int = 0

    def on(self, today: dt.date) -> dt.date:
        try:
            day = today.replace(year=today.year - self.years)
        except ValueError:  # 29 February
            day = today.replace(year=today.year - self.years, day=28)
        return day - dt.timedelta(days=self.days)


def _date(value: dt.date | Ago, today: dt.date) -> dt.date:
    return value.on(today) if isinstance(value, Ago) else value


D = dt.date

# key: (settlement, street kk, street ru, house, flat, extra)
ADDRESSES: dict[str, tuple] = {
    # residence registration
    "abay150": ("almaty", "Абай даңғылы", "проспект Абая", "150", "12", {}),
    "tole59": ("almaty", "Төле би көшесі", "улица Толе би", "59", "34", {}),
    "kabanbay11": ("astana", "Қабанбай батыр даңғылы", "проспект Кабанбай батыра", "11", "87", {}),
    "tauke24": ("shymkent", "Тәуке хан даңғылы", "проспект Тауке хана", "24", "5", {}),
    "bukhar47": ("karaganda", "Бұқар жырау даңғылы", "проспект Бухар жырау", "47", "18", {}),
    "saryarka31": ("astana", "Сарыарқа даңғылы", "проспект Сарыарка", "31", "104",
                   {"kind": DwellingKind.STATE_RENTAL.value}),
    "ryskulov140": ("almaty", "Рысқұлов даңғылы", "проспект Рыскулова", "140", "78",
                    {"kind": DwellingKind.STATE_RENTAL.value}),
    "satpaev30": ("almaty", "Сәтпаев көшесі", "улица Сатпаева", "30", "45", {}),
    "konaev59": ("shymkent", "Қонаев даңғылы", "проспект Кунаева", "59", "23", {}),
    "erubaev35": ("karaganda", "Ерубаев көшесі", "улица Ерубаева", "35", "7", {}),
    "respublika12": ("shymkent", "Республика даңғылы", "проспект Республики", "12", "9", {}),
    # housing waiting list
    "kenesary40": ("astana", "Кенесары көшесі", "улица Кенесары", "40", "21", {}),
    "erubaev12-3": ("karaganda", "Ерубаев көшесі", "улица Ерубаева", "12", "3",
                    {"declared_emergency": True}),
    "erubaev12-8": ("karaganda", "Ерубаев көшесі", "улица Ерубаева", "12", "8",
                    {"declared_emergency": True}),
    "alikhanov8": ("karaganda", "Әлиханов көшесі", "улица Алиханова", "8", "40", {}),
    "turan55": ("astana", "Тұран даңғылы", "проспект Туран", "55", "120", {}),
    # where people are registered; the real-estate registry has no record of these
    "gogol84": ("almaty", "Гоголь көшесі", "улица Гоголя", "84", "2", {}),
    "raiymbek221": ("almaty", "Райымбек даңғылы", "проспект Райымбека", "221", "57", {}),
    "kabanbay120": ("almaty", "Қабанбай батыр көшесі", "улица Кабанбай батыра", "120", "9", {}),
    "zhandosov58": ("almaty", "Жандосов көшесі", "улица Жандосова", "58", "31", {}),
    "alfarabi77": ("almaty", "Әл-Фараби даңғылы", "проспект аль-Фараби", "77", "140", {}),
    "zhibek50": ("almaty", "Жібек жолы даңғылы", "проспект Жибек жолы", "50", "16", {}),
    "syganak25": ("astana", "Сығанақ көшесі", "улица Сыганак", "25", "112", {}),
    "mangilik20": ("astana", "Мәңгілік Ел даңғылы", "проспект Мангилик Ел", "20", "301", {}),
    "beibitshilik7": ("astana", "Бейбітшілік көшесі", "улица Бейбитшилик", "7", "15", {}),
    "baitursynov15": ("shymkent", "Байтұрсынов көшесі", "улица Байтурсынова", "15", None, {}),
    "tauke100": ("shymkent", "Тәуке хан даңғылы", "проспект Тауке хана", "100", "44", {}),
    "gogol38": ("karaganda", "Гоголь көшесі", "улица Гоголя", "38", "16", {}),
    "ermekov58": ("karaganda", "Ермеков көшесі", "улица Ермекова", "58", "4", {}),
    "abdirov20": ("karaganda", "Нұркен Әбдіров даңғылы", "проспект Нуркена Абдирова", "20", "66",
                  {}),
}

# Street-type words, equal across languages by meaning (улица = көшесі = street), and the words
# that announce a city; the address search leaves them out of the street's name.
STREET_WORDS: dict[str, tuple[str, ...]] = {
    "avenue": ("проспект", "просп", "пр", "даңғылы", "даңғыл", "даң", "avenue", "ave", "av",
               "prospekt", "dangyly"),
    "street": ("улица", "ул", "көшесі", "көше", "көш", "street", "str", "st", "ulitsa",
               "koshesi", "koshe"),
    "boulevard": ("бульвар", "бульвары", "бул", "boulevard", "blvd"),
    "lane": ("переулок", "пер", "тұйығы", "lane"),
    "square": ("площадь", "пл", "алаңы", "square", "sq"),
    "microdistrict": ("микрорайон", "мкр", "ықшамаудан", "microdistrict"),
    "city": ("г", "город", "қ", "қала", "қаласы", "city", "gorod", "kalasy"),
}

# Other names people know a street by, besides the registry's kk and ru ones (former names).
STREET_ALIASES: dict[tuple[str, str], tuple[str, ...]] = {
    ("almaty", "Төле би көшесі"): ("улица Комсомольская",),
    ("almaty", "Жібек жолы даңғылы"): ("улица Горького",),
    ("almaty", "Қабанбай батыр көшесі"): ("улица Калинина",),
    ("almaty", "Райымбек даңғылы"): ("проспект Ташкентский",),
}

EXECUTIVE_BODIES = {
    "astana": dict(
        name_kk="Астана қаласының Тұрғын үй-коммуналдық шаруашылығы басқармасы",
        name_ru="ГУ «Управление жилищно-коммунального хозяйства города Астаны»",
        name_en="Astana City Department of Housing and Utilities",
        address_kk="Астана қ., Бейбітшілік көшесі, 11",
        address_ru="г. Астана, улица Бейбитшилик, 11",
        address_en="11 Beibitshilik St, Astana",
        phone="+7 7172 55 64 10",
    ),
    "almaty": dict(
        name_kk="Алматы қаласының Тұрғын үй саясаты басқармасы",
        name_ru="КГУ «Управление жилищной политики города Алматы»",
        name_en="Almaty City Department of Housing Policy",
        address_kk="Алматы қ., Қазыбек би көшесі, 41",
        address_ru="г. Алматы, улица Казыбек би, 41",
        address_en="41 Kazybek Bi St, Almaty",
        phone="+7 727 271 65 30",
    ),
}

HOURS = {
    "long": ("Дс–Жм 9:00–20:00, Сн 9:00–13:00, Жс – демалыс",
             "Пн–Пт 9:00–20:00, Сб 9:00–13:00, Вс – выходной",
             "Mon–Fri 9:00–20:00, Sat 9:00–13:00, Sun closed"),
    "short": ("Дс–Жм 9:00–19:00 үзіліссіз, Сн 9:00–13:00",
              "Пн–Пт 9:00–19:00 без перерыва, Сб 9:00–13:00",
              "Mon–Fri 9:00–19:00 without a break, Sat 9:00–13:00"),
}

# (settlement, (name kk, ru, en), (address kk, ru, en), hours)
SERVICE_CENTRES = [
    ("almaty", ("Алмалы ауданы бойынша ХҚКО", "ЦОН Алмалинского района", "Almaly District PSC"),
     ("Алматы қ., Абылай хан даңғылы, 91", "г. Алматы, проспект Абылай хана, 91",
      "91 Abylai Khan Ave, Almaty"), "long"),
    ("almaty", ("Бостандық ауданы бойынша ХҚКО", "ЦОН Бостандыкского района",
                "Bostandyk District PSC"),
     ("Алматы қ., Тимирязев көшесі, 42", "г. Алматы, улица Тимирязева, 42",
      "42 Timiryazev St, Almaty"), "long"),
    ("almaty", ("Әуезов ауданы бойынша ХҚКО", "ЦОН Ауэзовского района", "Auezov District PSC"),
     ("Алматы қ., Жандосов көшесі, 172", "г. Алматы, улица Жандосова, 172",
      "172 Zhandosov St, Almaty"), "short"),
    ("astana", ("Есіл ауданы бойынша ХҚКО", "ЦОН района Есиль", "Yesil District PSC"),
     ("Астана қ., Сығанақ көшесі, 18/1", "г. Астана, улица Сыганак, 18/1",
      "18/1 Syganak St, Astana"), "long"),
    ("astana", ("Сарыарқа ауданы бойынша ХҚКО", "ЦОН района Сарыарка", "Saryarka District PSC"),
     ("Астана қ., Жеңіс даңғылы, 67", "г. Астана, проспект Победы, 67",
      "67 Zhenis Ave, Astana"), "long"),
    ("astana", ("Байқоңыр ауданы бойынша ХҚКО", "ЦОН района Байконыр", "Baikonur District PSC"),
     ("Астана қ., Бөгенбай батыр даңғылы, 30", "г. Астана, проспект Богенбай батыра, 30",
      "30 Bogenbai Batyr Ave, Astana"), "short"),
    ("shymkent", ("Әл-Фараби ауданы бойынша ХҚКО", "ЦОН района Аль-Фараби",
                  "Al-Farabi District PSC"),
     ("Шымкент қ., Тәуке хан даңғылы, 5", "г. Шымкент, проспект Тауке хана, 5",
      "5 Tauke Khan Ave, Shymkent"), "long"),
    ("shymkent", ("Абай ауданы бойынша ХҚКО", "ЦОН Абайского района", "Abay District PSC"),
     ("Шымкент қ., Жібек жолы көшесі, 23", "г. Шымкент, улица Жибек жолы, 23",
      "23 Zhibek Zholy St, Shymkent"), "long"),
    ("shymkent", ("Еңбекші ауданы бойынша ХҚКО", "ЦОН Енбекшинского района",
                  "Enbekshi District PSC"),
     ("Шымкент қ., Байтұрсынов көшесі, 9", "г. Шымкент, улица Байтурсынова, 9",
      "9 Baitursynov St, Shymkent"), "short"),
    ("karaganda", ("Қазыбек би атындағы аудан бойынша ХҚКО", "ЦОН района имени Казыбек би",
                   "Kazybek Bi District PSC"),
     ("Қарағанды қ., Бұқар жырау даңғылы, 49/6", "г. Караганда, проспект Бухар жырау, 49/6",
      "49/6 Bukhar Zhyrau Ave, Karaganda"), "long"),
    ("karaganda", ("Әлихан Бөкейхан ауданы бойынша ХҚКО", "ЦОН района Алихана Бокейхана",
                   "Alikhan Bokeikhan District PSC"),
     ("Қарағанды қ., Шахтерлер даңғылы, 72", "г. Караганда, проспект Шахтёров, 72",
      "72 Shakhterov Ave, Karaganda"), "long"),
    ("karaganda", ("Майқұдық ХҚКО", "ЦОН Майкудука", "Maikuduk PSC"),
     ("Қарағанды қ., Терешкова көшесі, 8", "г. Караганда, улица Терешковой, 8",
      "8 Tereshkova St, Karaganda"), "short"),
]


@dataclass(frozen=True)
class Demo:
    """One demo person; `role`/`try_` put them on the demo page, `search` is the address to type."""

    key: str
    surname: str
    given_name: str
    patronymic: str | None
    sex: str
    born: dt.date | Ago  # Ago only for children, whose age must stay right as time moves
    phone: str | None = None
    history: tuple = ()  # ((address key, registered from), ...); the last is current
    capacity: Capacity = Capacity.FULL
    is_kandas: bool = False
    is_orphan: bool = False
    role: str = ""
    try_: str = ""
    search: str = ""


P = Demo
PEOPLE: list[Demo] = [
    # §1 (a) an owner registers themself in their own flat
    P("owner_self", "Жұмабаев", "Асқар", "Серікұлы", "M", D(1985, 3, 14), "+77011452301",
      (("baitursynov15", D(2003, 4, 2)),), role="Owner of a flat in Almaty",
      try_="Register yourself at your own flat: no consent is needed.", search="Абай 150 12"),
    # (b) one owner must consent
    P("one_owner_applicant", "Ким", "Виктория", "Олеговна", "F", D(1995, 7, 2), "+77021873402",
      (("raiymbek221", D(2018, 9, 1)),), role="Tenant of a privately owned flat",
      try_="Register at Гүлнар Нұрланова's flat: she gets one consent SMS from 1414.",
      search="Төле би 59 34"),
    P("single_owner", "Нұрланова", "Гүлнар", "Бекқызы", "F", D(1968, 11, 30), "+77051230403",
      (("tole59", D(2008, 4, 20)),), role="Sole owner of Төле би 59-34, Almaty",
      try_="Receive and confirm (or refuse) the consent code. Register yourself at Төле би "
      "59-34: refused, you are registered there already."),
    # (c) two co-owners, neither the applicant
    P("two_owners_applicant", "Тоқтаров", "Ерлан", "Маратұлы", "M", D(1990, 1, 21), "+77073346504",
      (("syganak25", D(2015, 8, 10)),), role="Lodger in a flat with two co-owners",
      try_="Register at the Смағұловs' flat: both co-owners must confirm; one refusal rejects.",
      search="Қабанбай батыр 11 87"),
    P("co_owner_1", "Смағұлов", "Бауыржан", "Қайратұлы", "M", D(1979, 5, 9), "+77477012305",
      (("kabanbay11", D(2014, 6, 20)),), role="Co-owner of Қабанбай батыр 11-87, Astana",
      try_="Confirm or refuse consent."),
    P("co_owner_2", "Смағұлова", "Айгерім", "Нұрланқызы", "F", D(1982, 9, 18), "+77714412306",
      (("kabanbay11", D(2014, 6, 20)),), role="Co-owner of Қабанбай батыр 11-87, Astana",
      try_="Confirm or refuse consent."),
    # (d) a minor co-owner: offline only
    P("minor_owner_applicant", "Петров", "Андрей", "Сергеевич", "M", D(1988, 12, 3),
      "+77755507707", (("gogol38", D(2012, 2, 1)),), role="Applicant for a flat a child co-owns",
      try_="Choose Тәуке хан 24-5: a co-owner is a minor, so the portal sends you to a ЦОН.",
      search="Тәуке хан 24 5"),
    P("minor_owner_parent", "Оспанова", "Динара", "Әсетқызы", "F", D(1984, 2, 25), "+77012209808",
      (("tauke24", D(2020, 3, 15)),), role="Co-owner, with her minor son, of Тәуке хан 24-5",
      try_="Register yourself at home: offline only too, because your son co-owns it.",
      search="Тәуке хан 24 5"),
    P("minor_owner", "Оспанов", "Әлихан", "Ерболұлы", "M", Ago(12, 30), None,
      (("tauke24", D(2020, 3, 15)),)),
    # (e) a co-owner declared incapable: offline only
    P("incapable_owner_applicant", "Сәрсенбаев", "Данияр", "Төлеуұлы", "M", D(1993, 6, 11),
      "+77023318909", (("gogol84", D(2016, 9, 1)),),
      role="Applicant for a flat whose co-owner is declared incapable",
      try_="Choose Бұқар жырау 47-18: offline only, the portal shows Karaganda's ЦОНs.",
      search="Бұқар жырау 47 18"),
    P("incapable_owner_spouse", "Ковалёв", "Игорь", "Петрович", "M", D(1961, 8, 14),
      "+77079904410", (("bukhar47", D(1999, 10, 5)),),
      role="Co-owner of Бұқар жырау 47-18 and guardian of his wife",
      try_="See your wife listed as your ward (guardianship) in the registry."),
    P("incapable_owner", "Ковалёва", "Нина", "Ивановна", "F", D(1963, 4, 2), None,
      (("bukhar47", D(1999, 10, 5)),), capacity=Capacity.INCAPABLE),
    # (f) state rental housing
    P("lease_tenant", "Мұқанова", "Жанар", "Саятқызы", "F", D(1976, 10, 5), "+77477781111",
      (("saryarka31", D(2017, 5, 12)),), role="Tenant of state rental flat Сарыарқа 31-104",
      try_="Housing list: refused, you had state rental housing."),
    P("lease_spouse", "Мұқанов", "Арман", "Болатұлы", "M", D(1974, 1, 29), "+77754401110",
      (("saryarka31", D(2017, 5, 12)),)),
    P("lease_member", "Мұқанов", "Темірлан", "Арманұлы", "M", D(2005, 2, 14), "+77716623312",
      (("mangilik20", D(2023, 9, 1)),), role="Named in the lease of Сарыарқа 31-104",
      try_="Register yourself in the state rental flat: allowed, you are in the lease.",
      search="Сарыарқа 31 104"),
    P("lease_outsider", "Исаев", "Руслан", "Маратович", "M", D(1991, 9, 23), "+77752214413",
      (("beibitshilik7", D(2019, 3, 1)),), role="Not in any lease",
      try_="Register at Сарыарқа 31-104: rejected; contact Astana's housing department.",
      search="Сарыарқа 31 104"),
    P("lease_tenant_almaty", "Жақсылықов", "Нұржан", "Ғалымұлы", "M", D(1983, 7, 7),
      "+77017765514", (("ryskulov140", D(2016, 12, 1)),),
      role="Tenant of state rental flat Рысқұлов 140-78, Almaty",
      try_="See the lease of an Almaty akimat flat; housing list refused (state rental).",
      search="Рысқұлов 140 78"),
    P("lease_spouse_almaty", "Жақсылықова", "Мөлдір", "Асанқызы", "F", D(1986, 3, 19), None,
      (("ryskulov140", D(2016, 12, 1)),)),
    # (g) parent of a 15-year-old, flat co-owned with the spouse
    P("parent_of_teen", "Байжанов", "Қайрат", "Мұратұлы", "M", D(1980, 12, 12), "+77055590015",
      (("kabanbay120", D(2008, 6, 1)), ("satpaev30", D(2021, 11, 15))),
      role="Father of Ерасыл (15) and Аяулым (17); co-owns Сәтпаев 30-45 with his wife",
      try_="Register Ерасыл at your flat: your wife must confirm by SMS. "
      "Аяулым is 16+, she applies herself. Housing list for Ерасыл: refused, a minor.",
      search="Сәтпаев 30 45"),
    P("parent_spouse", "Байжанова", "Әйгерім", "Серікқызы", "F", D(1983, 6, 25), "+77074471116",
      (("kabanbay120", D(2008, 6, 1)), ("satpaev30", D(2021, 11, 15))),
      role="Mother; co-owner of Сәтпаев 30-45", try_="Confirm your husband's application."),
    P("teen", "Байжанов", "Ерасыл", "Қайратұлы", "M", Ago(15, 30), None,
      (("kabanbay120", Ago(15, 20)),)),
    # 16+ and fully capable: she applies herself (her father's list says so), so she has a phone
    # in the mobile citizens' database to sign in with (README; her IIN: `flask demo children`).
    P("teen_16plus", "Байжанова", "Аяулым", "Қайратқызы", "F", Ago(17, 30), "+77055590018",
      (("kabanbay120", Ago(17, 20)),)),
    # (h) parent of a 10-year-old
    P("parent_of_child", "Ахметова", "Мадина", "Жанатқызы", "F", D(1988, 4, 8), "+77771239017",
      (("abdirov20", D(2012, 7, 1)),),
      role="Mother of Алдияр (10) and Дильназ (16, of limited capacity by a court); owns "
      "Қонаев 59-23, Shymkent",
      try_="Try to register Алдияр: refused, a child under 14 lives where the parents do. "
      "Register Дильназ at your flat: you apply as her legal representative, no consent.",
      search="Қонаев 59 23"),
    P("child", "Ахметов", "Алдияр", "Русланұлы", "M", Ago(10, 30), None,
      (("abdirov20", Ago(10, 20)),)),
    # (h2) a 16-year-old of limited capacity: her parent applies as legal representative
    P("teen_limited", "Ахметова", "Дильназ", "Русланқызы", "F", Ago(16, 40), None,
      (("abdirov20", Ago(16, 20)),), capacity=Capacity.LIMITED),
    # (i) guardian of an adult declared incapable
    P("guardian", "Ли", "Елена", "Викторовна", "F", D(1970, 2, 17), "+77026654418",
      (("erubaev35", D(2005, 5, 25)),), role="Guardian of her brother Сергей (incapable)",
      try_="Register Сергей at your own flat: allowed online, no consent.",
      search="Ерубаев 35 7"),
    P("ward", "Ли", "Сергей", "Викторович", "M", D(1978, 7, 30), None,
      (("ermekov58", D(2010, 1, 15)),), capacity=Capacity.INCAPABLE),
    # (j) no phone in the mobile citizens' database
    P("no_phone", "Төлегенов", "Бекзат", "Әділұлы", "M", D(1957, 5, 1), None,
      (("tauke100", D(1994, 8, 1)),), role="No phone in the mobile citizens' database",
      try_="Sign in: impossible without a phone; the portal lists Shymkent's ЦОНs."),
    # (k) the owner has no phone
    P("unreachable_owner_applicant", "Нұрмағамбетов", "Айдос", "Бақытұлы", "M", D(1997, 8, 19),
      "+77473390119", (("tauke100", D(2019, 9, 1)),),
      role="Applicant whose owner has no phone",
      try_="Register at Республика 12-9: the owner cannot get the SMS, go to a ЦОН.",
      search="Республика 12 9"),
    P("unreachable_owner", "Есенова", "Күлпаш", "Омарқызы", "F", D(1949, 1, 9), None,
      (("respublika12", D(1994, 2, 10)),)),
    # §2 housing waiting list
    P("no_housing", "Әлімжанова", "Айжан", "Төлегенқызы", "F", D(1996, 3, 27), "+77712248820",
      (("zhandosov58", D(2014, 9, 1)),), role="Never owned a dwelling; Almaty since 2014",
      try_="Join the housing list: decided automatically in 1 working day. Choose the category "
      "\"persons with disabilities\": not confirmed, a warning (general list)."),
    P("sold_recently", "Серікбаев", "Ержан", "Оралұлы", "M", D(1987, 10, 10), "+77058871221",
      (("kenesary40", D(2015, 7, 15)), ("syganak25", Ago(3))),
      role="Sold his flat 3 years ago", try_="Join the housing list: refused (owned in 5 years)."),
    P("flat_buyer", "Қуанышев", "Дәулет", "Маратұлы", "M", D(1992, 4, 4), "+77759981222",
      (("kenesary40", Ago(3)),)),
    P("emergency", "Жұматова", "Роза", "Кәрімқызы", "F", D(1965, 12, 1), "+77014430923",
      (("erubaev12-3", D(1996, 5, 20)),), role="Only dwelling declared emergency, Karaganda",
      try_="Join the list, emergency case: attach the expert's report; 3 working days."),
    P("emergency_elsewhere", "Иванов", "Павел", "Николаевич", "M", D(1972, 3, 3), "+77027719024",
      (("beibitshilik7", D(2020, 2, 1)),),
      role="Lives in Astana; only dwelling is an emergency flat in Karaganda",
      try_="Join the list in Astana: refused, the emergency dwelling is in another settlement."),
    P("on_base", "Бекова", "Ләззат", "Мұхтарқызы", "F", D(1979, 8, 8), "+77076612325",
      (("baitursynov15", D(2009, 3, 1)),), role="Already on the unified e-base",
      try_="Join the list: refused, already registered."),
    P("privatised", "Абдрахманов", "Серік", "Жақыпұлы", "M", D(1956, 6, 6), "+77475534426",
      (("alikhanov8", D(1996, 3, 10)), ("gogol38", D(2012, 8, 25))),
      role="Privatised a state flat in 1996 (sold in 2012)",
      try_="Join the list: refused, privatised state housing before."),
    P("state_mortgage", "Омарова", "Дана", "Асқарқызы", "F", D(1992, 12, 24), "+77774421127",
      (("mangilik20", D(2016, 8, 1)),), role="Bought a flat under a state mortgage programme",
      try_="Join the list: refused, state-programme mortgage."),
    P("almaty_2_years", "Қасымов", "Әлібек", "Нұрланұлы", "M", D(1994, 5, 15), "+77715567728",
      (("ermekov58", D(2012, 9, 1)), ("alfarabi77", Ago(2))),
      role="Registered in Almaty for only 2 years",
      try_="Join the list in Almaty: not eligible, 3 years of registration are required."),
    P("orphan", "Есімова", "Аружан", "Болатқызы", "F", D(2002, 5, 10), "+77751128829",
      (("gogol38", D(2008, 6, 1)), ("zhibek50", Ago(1))), is_orphan=True,
      role="Orphan born in 2002, in Almaty for 1 year",
      try_="Join the list in Almaty: the 3-year rule does not apply to orphans under 29."),
    P("kandas", "Мұхаметқали", "Ғалымжан", None, "M", D(1985, 11, 11), "+77018834430",
      (("baitursynov15", D(2019, 6, 1)),), is_kandas=True,
      role="Кандас (ethnic Kazakh returnee), Shymkent since 2019",
      try_="Join the housing list as a кандас."),
    P("without_care", "Сейітов", "Ернар", "Қанатұлы", "M", D(2003, 2, 17), "+77017743131",
      (("abdirov20", D(2011, 9, 1)), ("beibitshilik7", Ago(1))),
      role="Left without parental care at 7; in Astana for 1 year",
      try_="Join the list in Astana: the 3-year rule does not apply; the orphans' category is "
      "confirmed."),
    P("foreigner", "Кузнецова", "Ольга", "Андреевна", "F", D(1984, 6, 9), "+77059912332",
      (("ermekov58", D(2015, 4, 1)),), role="A citizen of another state, Karaganda since 2015",
      try_="Join the list: not eligible, neither a citizen of RK nor a кандас."),
    P("worsened", "Тұрсынов", "Нұрлан", "Әлібекұлы", "M", D(1981, 1, 12), "+77473318833",
      (("gogol84", D(2010, 3, 1)),),
      role="Moved a non-relative into his rented flat 2 years ago",
      try_="Join the list in Almaty: refused, deliberate worsening of housing conditions."),
    P("spouse_owner", "Қуанышева", "Гүлмира", "Ерланқызы", "F", D(1993, 8, 30), "+77775534434",
      (("syganak25", D(2012, 1, 10)), ("kenesary40", Ago(3, 10))),
      role="Owns nothing; her husband Дәулет bought a flat 3 years ago",
      try_="Join the list in Astana: refused, a family member owned a dwelling in 5 years."),
    P("large_family", "Сапарова", "Гауһар", "Мейрамқызы", "F", D(1987, 11, 3), "+77014456635",
      (("tauke100", D(2010, 5, 1)),), role="Mother of a large family, Shymkent since 2010",
      try_="Join the list with the category \"large families\": confirmed by the registries."),
    P("large_family_spouse", "Сапаров", "Мейрам", "Жомартұлы", "M", D(1985, 4, 21), None,
      (("tauke100", D(2010, 5, 1)),)),
    P("in_queue", "Оразбаева", "Мәдина", "Серікқызы", "F", D(1990, 10, 14), "+77056627736",
      (("zhibek50", D(2016, 2, 1)),), role="Waiting on the housing centre's list in Almaty",
      try_="Housing list: ground 1, already on the e-base (No. 17), no second place."),
    # Members moved to Otbasy bank's lists from the akimats' (demo_registries/members.py)
    P("akimat_member", "Жанұзақов", "Мейірхан", "Болатұлы", "M", D(1984, 6, 9), "+77015583140",
      (("gogol84", D(2009, 8, 1)),),
      role="Moved from the Almaty akimat's list (budget employees), no consent yet",
      try_="Open \"Your place in the list\" from the cabinet: the akimat's number beside the "
           "new one, the chart; give the consent by SMS code (active at once), correct the "
           "phone."),
    P("akimat_member_consented", "Бекмұхамбетова", "Сәуле", "Ержанқызы", "F", D(1979, 2, 17),
      "+77054412241", (("bukhar47", D(2005, 3, 1)),),
      role="Moved from the Karaganda akimat's list (state servants), consent given",
      try_="See your place and how it moved; withdraw the consent: the place is suspended."),
    P("akimat_member_astana", "Әбілқасымов", "Нұрбол", "Серікұлы", "M", D(1990, 9, 30),
      "+77717700342", (("beibitshilik7", D(2013, 5, 1)),),
      role="Moved from the Astana akimat's list (military), no consent yet",
      try_="Your place is suspended until you sign the consent."),
]

# (address, owner, acquired, disposed, extra)
OWNERSHIP = [
    ("abay150", "owner_self", D(2019, 2, 11), None, {}),
    ("tole59", "single_owner", D(2008, 4, 17), None, {}),
    ("kabanbay11", "co_owner_1", D(2014, 6, 10), None, {}),
    ("kabanbay11", "co_owner_2", D(2014, 6, 10), None, {}),
    ("tauke24", "minor_owner_parent", D(2020, 3, 5), None, {}),
    ("tauke24", "minor_owner", D(2020, 3, 5), None, {}),
    ("bukhar47", "incapable_owner_spouse", D(1999, 10, 1), None, {}),
    ("bukhar47", "incapable_owner", D(1999, 10, 1), None, {}),
    ("satpaev30", "parent_of_teen", D(2021, 11, 1), None, {}),
    ("satpaev30", "parent_spouse", D(2021, 11, 1), None, {}),
    ("konaev59", "parent_of_child", D(2019, 5, 30), None, {}),
    ("erubaev35", "guardian", D(2005, 5, 20), None, {}),
    ("respublika12", "unreachable_owner", D(1994, 2, 2), None, {}),
    ("kenesary40", "sold_recently", D(2015, 7, 1), Ago(3), {}),
    ("kenesary40", "flat_buyer", Ago(3), None, {}),
    ("erubaev12-3", "emergency", D(1996, 5, 14), None, {}),
    ("erubaev12-8", "emergency_elsewhere", D(2001, 9, 3), None, {}),
    ("alikhanov8", "privatised", D(1996, 3, 1), D(2012, 8, 20),
     {"privatised_from_state_fund": True}),
    ("turan55", "state_mortgage", D(2019, 4, 10), D(2020, 9, 1), {"via_state_mortgage": True}),
]

# (address, tenant, other lease members, executive body)
LEASES = [
    ("saryarka31", "lease_tenant", ("lease_spouse", "lease_member"), "astana"),
    ("ryskulov140", "lease_tenant_almaty", ("lease_spouse_almaty",), "almaty"),
]

RELATIONS = [
    ("parent_of_teen", "teen", RelationKind.PARENT),
    ("parent_of_teen", "teen_16plus", RelationKind.PARENT),
    ("parent_spouse", "teen", RelationKind.PARENT),
    ("parent_spouse", "teen_16plus", RelationKind.PARENT),
    ("parent_of_child", "child", RelationKind.PARENT),
    ("parent_of_child", "teen_limited", RelationKind.PARENT),
    ("minor_owner_parent", "minor_owner", RelationKind.PARENT),
    ("guardian", "ward", RelationKind.GUARDIAN),
    ("incapable_owner_spouse", "incapable_owner", RelationKind.GUARDIAN),
]

# Housing waiting list: (person, citizen, parental care, care lost on, confirmed categories)
HOUSING_PERSON = [
    ("orphan", True, "orphan", D(2010, 4, 1), ""),
    ("without_care", True, "without_care", D(2010, 6, 1), ""),
    ("foreigner", False, "none", None, ""),
    ("emergency", True, "none", None, "pensioners"),
    ("large_family", True, "none", None, "large_families"),
]

# (person, family member, relation) as the population registry links them
FAMILY = [
    ("spouse_owner", "flat_buyer", "spouse"),
    ("flat_buyer", "spouse_owner", "spouse"),
    ("large_family", "large_family_spouse", "spouse"),
    ("large_family_spouse", "large_family", "spouse"),
    ("parent_of_teen", "parent_spouse", "spouse"),
    ("parent_spouse", "parent_of_teen", "spouse"),
]

# (person, base, settlement, since, number)
QUEUE_PLACES = [
    ("on_base", "unified", "shymkent", D(2015, 3, 12), 1203),
    ("in_queue", "housing_centre", "almaty", D(2021, 6, 8), 17),
]

# (person, kind, on, extra)
WORSENING = [
    ("worsened", "moved_in", Ago(2), {"moved_in": "other"}),
]

# (person, on the unified base, had state rental housing)
HOUSING_STATUS = [
    ("on_base", True, False),
    ("lease_tenant", False, True),
    ("lease_tenant_almaty", False, True),
]


def _crc(text: str) -> int:
    return zlib.crc32(text.encode())


def _iin(p: Demo, born: dt.date) -> str:
    """Deterministic: the serial comes from the name, so a reseed finds the same person."""
    return iin_mod.make(born, p.sex, _crc(p.surname + p.given_name) % 999 * 10)


def _document(p: Demo, born: dt.date, today: dt.date) -> tuple[str | None, dt.date | None]:
    """An identity card (issued from 16), or nothing for a younger child."""
    at_16 = Ago(-16).on(born)
    if at_16 > today:
        return None, None
    issued = max(D(2017, 1, 1) + dt.timedelta(days=_crc(p.given_name + p.surname) % 2500), at_16)
    return f"{_crc(p.surname + p.given_name + 'doc') % 10**9:09d}", min(issued, today)


def _upsert(model, key: dict, fixed: dict | None = None, **values):
    """The row with this natural key: `values` always set, `fixed` only when it is created."""
    row = db.session.scalars(sa.select(model).filter_by(**key)).one_or_none()
    if row is None:
        row = model(**key, **(fixed or {}))
        db.session.add(row)
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
    return row


def _find_iin(p: Demo, today: dt.date) -> str:
    if isinstance(p.born, Ago):  # created once, then found by name, never re-aged
        existing = db.session.scalars(
            sa.select(RegPerson.iin).filter_by(
                surname=p.surname, given_name=p.given_name, patronymic=p.patronymic
            )
        ).first()
        if existing:
            return existing
    return _iin(p, _date(p.born, today))


def seeded_iin(p: Demo) -> str | None:
    """The IIN a demo person was seeded with (a child's follows the first seeding day); None
    before `flask demo seed`."""
    return db.session.scalars(sa.select(RegPerson.iin).filter_by(
        surname=p.surname, given_name=p.given_name, patronymic=p.patronymic)).first()


def seed_demo() -> dict[str, int]:
    """Create or refresh the demo world (and the reg_* tables, which no migration makes);
    returns the row count of every registry table."""
    create_tables()
    today = local_today()
    addresses, bodies = _seed_places()
    iins = {p.key: _seed_person(p, addresses, today) for p in PEOPLE}
    _seed_links(addresses, bodies, iins, today)
    db.session.commit()
    return row_counts()


def _seed_places() -> tuple[dict[str, RegAddress], dict[str, RegExecutiveBody]]:
    for code, s in SETTLEMENTS.items():
        _upsert(RegSettlement, {"code": code}, name_kk=s.name_kk, name_ru=s.name_ru,
                name_en=s.name_en, region_kk=s.region_kk, region_ru=s.region_ru,
                region_en=s.region_en)
    db.session.flush()
    addresses = {
        key: _upsert(
            RegAddress, {"settlement_code": code, "street_kk": street_kk, "house": house,
                         "flat": flat},
            street_ru=street_ru, kind=extra.get("kind", DwellingKind.PRIVATE.value),
            declared_emergency=extra.get("declared_emergency", False),
        )
        for key, (code, street_kk, street_ru, house, flat, extra) in ADDRESSES.items()
    }
    _seed_street_names()
    bodies = {k: _upsert(RegExecutiveBody, {"name_ru": v["name_ru"]}, **v)
              for k, v in EXECUTIVE_BODIES.items()}
    for code, names, places, hours in SERVICE_CENTRES:
        _upsert(RegServiceCentre, {"settlement_code": code, "name_kk": names[0]},
                name_ru=names[1], name_en=names[2], address_kk=places[0], address_ru=places[1],
                address_en=places[2], hours_kk=HOURS[hours][0], hours_ru=HOURS[hours][1],
                hours_en=HOURS[hours][2])
    db.session.flush()
    return addresses, bodies


def _seed_street_names() -> None:
    """Every spelling of every street of ADDRESSES, with its folded search text."""
    type_words = {fold(word): meaning for meaning, words in STREET_WORDS.items()
                  for word in words}
    for word, meaning in type_words.items():
        _upsert(RegStreetWord, {"word": word}, meaning=meaning)
    from demo_registries.addresses import forget_words

    forget_words()  # the search reads them anew
    streets = {(code, kk): ru for code, kk, ru, *_ in ADDRESSES.values()}
    for (code, street_kk), street_ru in streets.items():
        for name in (street_kk, street_ru, *STREET_ALIASES.get((code, street_kk), ())):
            search, street_type = street_search_text(name, type_words)
            _upsert(RegStreetName, {"settlement_code": code, "street_kk": street_kk,
                                    "name": name},
                    street_ru=street_ru, street_type=street_type, search=f" {search} ")


def _seed_person(p: Demo, addresses: dict[str, RegAddress], today: dt.date) -> str:
    """The person, and their residence history the first time only (later moves are real)."""
    iin = _find_iin(p, today)
    born = iin_mod.parse(iin).birth_date
    document_number, document_date = _document(p, born, today)
    person = _upsert(
        RegPerson, {"iin": iin}, fixed={"birth_date": born, "sex": p.sex},
        surname=p.surname, given_name=p.given_name, patronymic=p.patronymic,
        capacity=p.capacity.value, phone=p.phone, is_kandas=p.is_kandas, is_orphan=p.is_orphan,
        document_number=document_number, document_date=document_date,
    )
    db.session.flush()
    if db.session.scalar(sa.select(RegResidence.id).filter_by(iin=iin).limit(1)) is None:
        history = [(addresses[a], _date(since, today)) for a, since in p.history]
        ends = [since for _, since in history[1:]] + [None]
        for (address, since), until in zip(history, ends, strict=True):
            db.session.add(RegResidence(iin=iin, address_id=address.id, date_from=since,
                                        date_to=until))
        person.registered_address_id = history[-1][0].id
    return iin


def _seed_links(addresses, bodies, iins: dict[str, str], today: dt.date) -> None:
    """Ownership, leases, family ties and housing flags between the people and places."""
    for address, owner, acquired, disposed, extra in OWNERSHIP:
        _upsert(RegOwnership, {"address_id": addresses[address].id, "owner_iin": iins[owner]},
                fixed={"acquired": _date(acquired, today),
                       "disposed": disposed and _date(disposed, today)},
                via_state_mortgage=extra.get("via_state_mortgage", False),
                privatised_from_state_fund=extra.get("privatised_from_state_fund", False))
    for address, tenant, others, body in LEASES:
        lease = _upsert(RegLease, {"address_id": addresses[address].id},
                        tenant_iin=iins[tenant], executive_body_id=bodies[body].id)
        members = {iins[k] for k in (tenant, *others)}
        if {m.iin for m in lease.members} != members:
            lease.members = [db.session.get(RegPerson, m) for m in sorted(members)]
    for representative, ward, kind in RELATIONS:
        _upsert(RegRelation, {"representative_iin": iins[representative],
                              "ward_iin": iins[ward]}, kind=kind.value)
    for person, on_base, had_rental in HOUSING_STATUS:
        _upsert(RegHousingStatus, {"iin": iins[person]}, on_unified_base=on_base,
                had_state_rental=had_rental)
    _seed_housing(iins, today)


def _seed_housing(iins: dict[str, str], today: dt.date) -> None:
    """What the housing waiting list reads beyond ownership and residence."""
    for person, citizen, care, lost_on, categories in HOUSING_PERSON:
        _upsert(RegHousingPerson, {"iin": iins[person]}, is_citizen=citizen,
                parental_care=care, care_lost_on=lost_on, confirmed_categories=categories)
    for person, member, relation in FAMILY:
        _upsert(RegFamilyMember, {"person_iin": iins[person], "member_iin": iins[member]},
                relation=relation)
    for person, base, settlement, since, number in QUEUE_PLACES:
        _upsert(RegQueuePlace, {"iin": iins[person], "base": base,
                                "settlement_code": settlement},
                since=since, number=number, active=True)
    for person, kind, on, extra in WORSENING:
        _upsert(RegWorsening, {"iin": iins[person], "kind": kind},
                fixed={"on": _date(on, today)}, moved_in=extra.get("moved_in"))


def row_counts() -> dict[str, int]:
    tables = [RegSettlement, RegAddress, RegStreetName, RegStreetWord, RegPerson, RegRelation,
              RegOwnership, RegExecutiveBody, RegLease, lease_member, RegResidence,
              RegHousingStatus, RegServiceCentre, RegHousingPerson, RegFamilyMember,
              RegQueuePlace, RegWorsening]
    return {
        t.name if isinstance(t, sa.Table) else t.__tablename__: db.session.scalar(
            sa.select(sa.func.count()).select_from(t)
        )
        for t in tables
    }


# Who to sign in as on the demo (children are reached through their parents: their IINs
# depend on the day the demo was first seeded).
DEMO_PEOPLE: list[dict[str, str]] = [
    {
        "key": p.key,
        "iin": _iin(p, p.born),
        "name": " ".join(filter(None, (p.surname, p.given_name, p.patronymic))),
        "phone": p.phone or "",
        "role": p.role,
        "try": p.try_,
        "search": p.search,
    }
    for p in PEOPLE
    if p.role and isinstance(p.born, dt.date)
]


def demo_people_markdown() -> str:
    """docs/demo-people.md, generated so it never drifts from the seed."""
    lines = [
        "# Demo people",
        "",
        "Created by `flask demo seed` in the stand-in registries (demo_registries/seed.py).",
        "Sign in with the IIN; the one-time code arrives in the demo SMS outbox.",
        "\"Search\" is what to type in the address search. Children's ages are as on the day",
        "the demo was first seeded; their IINs are reached through their parents' relations.",
        "",
        "| IIN | Name | Phone | Who | What to try | Search |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {d['iin']} | {d['name']} | {d['phone'] or '—'} | {d['role']} | {d['try']} "
        f"| {d['search'] or ''} |"
        for d in DEMO_PEOPLE
    ]
    return "\n".join(lines) + "\n"
