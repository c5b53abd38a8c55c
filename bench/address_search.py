"""The address search at scale: 1,000,000 addresses, p50/p95 of a search and of "did you mean".

    .venv/bin/python bench/address_search.py                  # SQLite in a temporary file
    PORTAL_DATABASE_URL=postgresql+psycopg://... .venv/bin/python bench/address_search.py
    .venv/bin/python bench/address_search.py --addresses 100000   # a quicker run
    make bench-address    # both databases (a throwaway PostgreSQL), appended to docs/BENCHMARKS.md

The demo registries are seeded (`flask demo seed`: its street words and streets), then
synthetic streets are added, 100 addresses each (houses 1-20, flats 1-5), up to the size asked:
10,000 streets and 20,000 street names (kk and ru) for 1 M addresses. The street names are made
of real Kazakh given names and surnames, so the trigrams are as common as a city's.

Then 1,000 searches through LocalRegistries.search_addresses, as people type them (the
registry's Kazakh, Russian with declension and abbreviations, informal Latin, one letter
dropped), each checked to find its address first, and 300 "did you mean" look-ups (a house the
street does not have). Budget (issue "Beyond the state portals"): p95 <= 20 ms on both engines.
In-process, no network; printed, never a pass/fail test. PostgreSQL is ANALYZEd after the fill.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402

SEARCHES = 1000
SUGGESTIONS = 300
HOUSES, FLATS = 20, 5
SETTLEMENTS = ("almaty", "astana", "shymkent", "karaganda")
GIVEN = ("Ахмет", "Әлихан", "Міржақып", "Сәкен", "Бейімбет", "Ілияс", "Мұхтар", "Ғабит",
         "Қаныш", "Шоқан", "Ыбырай", "Абылай", "Жамбыл", "Сүйінбай", "Мағжан", "Жүсіпбек",
         "Тұрар", "Сұлтанмахмұт", "Шәкәрім", "Күләш", "Әлия", "Мәншүк", "Бауыржан", "Дінмұхамед",
         "Олжас", "Ғабиден", "Сырбай", "Есенберлин", "Мұқағали", "Тахауи", "Хиуаз", "Шамшы",
         "Нұрғиса", "Құрманғазы", "Дәулеткерей", "Тәттімбет", "Біржан", "Ақан", "Жаяу", "Кенен",
         "Төлеген", "Қасым", "Райымбек", "Наурызбай", "Бөгенбай", "Қарасай", "Ағыбай", "Исатай",
         "Махамбет", "Сырым")
SURNAMES = ("Байтұрсынов", "Бөкейханов", "Дулатов", "Сейфуллин", "Майлин", "Жансүгіров",
            "Әуезов", "Мүсірепов", "Сәтбаев", "Уәлиханов", "Алтынсарин", "Жабаев", "Жұмабаев",
            "Аймауытов", "Рысқұлов", "Торайғыров", "Құнанбаев", "Байсейітова", "Молдағұлова",
            "Момышұлы", "Қонаев", "Сүлейменов", "Мұстафин", "Ерғалиев", "Кенжеев", "Шәріпов",
            "Тілендиев", "Сағырбаев", "Омаров", "Тәжібаев", "Ахметов", "Исабеков", "Жандарбеков",
            "Шашкин", "Тоқтаров", "Ысқақов", "Нұрпейісов", "Қожамқұлов", "Бекмаханов",
            "Әбілов", "Есмағамбетов", "Кәрібаев", "Тұрсынбаев", "Оспанов", "Бекетов",
            "Ибрагимов", "Шәймерденов", "Әлімжанов", "Қайырбеков", "Есенов")
_RU = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")


def p50_p95(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def russian(word: str) -> str:
    """A Kazakh name as a Russian street name declines it: Сәтбаев → Сатбаева."""
    word = word.translate(_RU)
    return word + "а" if word[-1] not in "аеиоуыэюяй" else word


def streets(count: int) -> list[tuple[str, str, str]]:
    """(settlement, street kk, street ru): each name once per settlement, as in a real city;
    the same names in every settlement, so a search without the city finds it in each."""
    pairs = len(GIVEN) * len(SURNAMES)
    out = []
    for i in range(count):
        p, round_ = i % pairs, i // pairs
        given, surname = GIVEN[p % len(GIVEN)], SURNAMES[p // len(GIVEN)]
        kind_kk, kind_ru = (("көшесі", "улица"), ("даңғылы", "проспект"),
                            ("тұйығы", "переулок"), ("көшесі", "улица"))[p % 4]
        suffix = ("", " Батыс", " Шығыс", " Солтүстік")[round_ // 4 % 4]
        kk = f"{given} {surname}{suffix} {kind_kk}"
        ru = f"{kind_ru} {russian(given)} {russian(surname)}{suffix.translate(_RU)}"
        out.append((SETTLEMENTS[round_ % len(SETTLEMENTS)], kk, ru))
    return out


def fill(db, count: int) -> list[tuple[str, str, str]]:
    """`count` synthetic streets, their names, and HOUSES x FLATS addresses on each."""
    from demo_registries.models import RegStreetWord, street_search_text

    made = streets(count)
    type_words = dict(db.session.execute(sa.select(RegStreetWord.word,
                                                   RegStreetWord.meaning)).all())
    names = []
    for code, kk, ru in made:
        for name in (kk, ru):
            search, kind = street_search_text(name, type_words)
            names.append({"s": code, "kk": kk, "ru": ru, "n": name, "t": kind,
                          "q": f" {search} "})
    db.session.execute(sa.text(
        "INSERT INTO reg_street_name (settlement_code, street_kk, street_ru, name, street_type,"
        " search) VALUES (:s, :kk, :ru, :n, :t, :q)"), names)
    db.session.execute(sa.text("CREATE TEMPORARY TABLE bench_street (s TEXT, kk TEXT, ru TEXT)"))
    db.session.execute(sa.text("CREATE TEMPORARY TABLE bench_n (n INTEGER)"))
    db.session.execute(sa.text("INSERT INTO bench_street VALUES (:s, :kk, :ru)"),
                       [{"s": s, "kk": kk, "ru": ru} for s, kk, ru in made])
    db.session.execute(sa.text("INSERT INTO bench_n VALUES (:n)"),
                       [{"n": n} for n in range(1, HOUSES + 1)])
    db.session.execute(sa.text(f"""
        INSERT INTO reg_address (settlement_code, street_kk, street_ru, house, flat, kind,
                                 declared_emergency)
        SELECT s.s, s.kk, s.ru, CAST(h.n AS VARCHAR(16)), CAST(f.n AS VARCHAR(16)), 'private',
               false
        FROM bench_street AS s, bench_n AS h, bench_n AS f WHERE f.n <= {FLATS}"""))
    db.session.commit()
    return made


def typed(rng: random.Random, street: tuple[str, str, str], house: int, flat: int) -> str:
    """The address as someone might type it."""
    from portal.domain.addresses import fold

    _code, kk, ru = street
    name_kk = kk.rsplit(" ", 1)[0]
    form = rng.randrange(5)
    if form == 0:
        return f"{kk} {house}/{flat}"
    if form == 1:
        return f"{ru.replace('улица', 'ул.').replace('проспект', 'пр.')}, д. {house}, кв. {flat}"
    if form == 2:
        return f"{fold(name_kk).title()} {house}-{flat}"
    if form == 3:  # no Kazakh keyboard
        return f"{name_kk.translate(_RU)} {house} кв {flat}"
    cut = rng.randrange(3, len(name_kk) - 1)  # a letter dropped
    return f"{name_kk[:cut]}{name_kk[cut + 1:]} {house} {flat}"


def server_version(db) -> str:
    if db.engine.dialect.name == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return db.session.scalar(sa.text("SELECT version()")).split(" on ")[0]


def explain(db, text: str) -> list[str]:
    if db.engine.dialect.name == "sqlite":
        rows = db.session.execute(sa.text(
            "EXPLAIN QUERY PLAN SELECT rowid FROM reg_street_fts WHERE reg_street_fts MATCH :m"
            " ORDER BY rank LIMIT 200"), {"m": '"aba" OR "bai"'})
        return [row[-1] for row in rows]
    db.session.execute(sa.text("SELECT set_config('pg_trgm.word_similarity_threshold', '0.6',"
                               " true)"))
    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))  # as reg_street_search does
    rows = db.session.execute(sa.text(
        "EXPLAIN (ANALYZE, BUFFERS) SELECT id FROM reg_street_name WHERE :q <% search"),
        {"q": text})
    return [row[0] for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--addresses", type=int, default=1_000_000)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="address-bench-")
    os.environ.setdefault("PORTAL_DATABASE_URL", f"sqlite:///{tmp}/bench.db")
    from demo_registries.local import LocalRegistries
    from demo_registries.models import RegAddress, create_tables, drop_tables
    from demo_registries.seed import seed_demo
    from portal import create_app
    from portal.extensions import db

    app = create_app()
    count = args.addresses // (HOUSES * FLATS)
    with app.app_context():
        db.drop_all()
        drop_tables()
        db.create_all()
        create_tables()
        seed_demo()
        started = time.perf_counter()
        made = fill(db, count)
        filled = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        total = db.session.scalar(sa.select(sa.func.count()).select_from(RegAddress))
        names = db.session.scalar(sa.text("SELECT count(*) FROM reg_street_name"))
        print(f"database: {server_version(db)}; {total} addresses on {names} street names "
              f"(filled in {filled:.1f} s); {SEARCHES} searches, {SUGGESTIONS} did-you-mean")
        registries, rng = LocalRegistries(), random.Random(7)
        registries.search_addresses("Абая 150/12")  # warm: connection, statements
        times, first = [], 0
        for _ in range(SEARCHES):
            street = made[rng.randrange(len(made))]
            house, flat = rng.randint(1, HOUSES), rng.randint(1, FLATS)
            query = typed(rng, street, house, flat)
            db.session.expire_all()
            t0 = time.perf_counter()
            found = registries.search_addresses(query)
            times.append((time.perf_counter() - t0) * 1000)
            # the same street is in every city: the city is not asked for
            first += bool(found) and (found[0].street, found[0].house, found[0].flat) == (
                street[1], str(house), str(flat))
            db.session.rollback()
        s50, s95 = p50_p95(times)
        suggest = []
        for _ in range(SUGGESTIONS):
            street = made[rng.randrange(len(made))]
            query = typed(rng, street, HOUSES + 7, 1)
            t0 = time.perf_counter()
            registries.search_addresses(query)
            registries.address_suggestions(query)
            suggest.append((time.perf_counter() - t0) * 1000)
            db.session.rollback()
        d50, d95 = p50_p95(suggest)
        print(f"{total:>9} addresses  search p50 {s50:6.2f} ms p95 {s95:6.2f} ms "
              f"(found first: {first}/{SEARCHES})  no match + did you mean p50 {d50:6.2f} ms "
              f"p95 {d95:6.2f} ms")
        print("load average (1, 5, 15 min) at the end:",
              " ".join(Path("/proc/loadavg").read_text().split()[:3]))
        for line in explain(db, "ahmet baitursynov"):
            print("plan:", line)


if __name__ == "__main__":
    main()
