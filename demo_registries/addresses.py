"""The address search of the stand-in address registry, on the engine's own trigram index.

The typed text is split and folded by portal.domain.addresses (pure); this module removes the
registry's street-type and city words, asks the engine for the streets whose names hold most of
the query's trigrams, then the addresses on them with the typed house and flat.

- PostgreSQL: pg_trgm, `word_similarity` (the share of the query's trigrams found in the
  best-matching part of the name), through the `<%` operator and its GIN index.
- SQLite: FTS5 with the trigram tokenizer (SQLite 3.34+): groups of the query's rarest
  trigrams (counts from the index's own fts5vocab table) find the candidates, and the share of
  the query's trigrams each one holds ranks them, the same measure as pg_trgm's.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import sqlalchemy as sa

from demo_registries.models import RegAddress, RegSettlement, RegStreetWord
from portal.domain.addresses import AddressQuery, fold, parse_query, trigrams
from portal.extensions import db

# An address is a settlement, a street of a few words, a house and a flat. Longer input is cut.
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 8
MAX_STREET_CHARS = 64
# The share of the query's trigrams a street name must hold: to be a match; to be offered
# under "did you mean".
MATCH_SHARE = 0.6
SUGGEST_SHARE = 0.3
# "Did you mean" asks these shares in turn and stops at the first that gives its streets: the
# best streets are the same (they hold the most), and the low share, which lets in thousands of
# names, is asked only when nothing closer exists.
SUGGEST_SHARES = (MATCH_SHARE, 0.45, SUGGEST_SHARE)
STREETS_CONSIDERED = 5
FTS_CANDIDATES = 5000  # SQLite: a bound on the rows one look-up ranks


@dataclass(frozen=True)
class StreetHit:
    settlement_code: str
    street_kk: str
    street_ru: str
    score: float


@dataclass(frozen=True)
class Search:
    """A query as the registry reads it: the street text, its type, settlement, house, flat."""

    street: str
    street_type: str | None
    settlement_code: str | None
    house: str | None
    flat: str | None


# The registry's street-type words and settlement names (folded), read once per database and
# process: reference data that `flask demo seed` writes once, asked on every keystroke.
_WORDS: dict[str, tuple[dict[str, str], dict[str, str]]] = {}


def _words() -> tuple[dict[str, str], dict[str, str]]:
    """(street-type word -> meaning, folded settlement name -> code), kept per database. An
    empty read (an unseeded database) is not kept."""
    key = str(db.engine.url)
    if key not in _WORDS:
        type_words = dict(db.session.execute(
            sa.select(RegStreetWord.word, RegStreetWord.meaning)).all())
        settlements = {}
        for code, *names in db.session.execute(sa.select(
                RegSettlement.code, RegSettlement.name_kk, RegSettlement.name_ru,
                RegSettlement.name_en)):
            settlements.update({fold(name): code for name in names})
        if not (type_words and settlements):
            return type_words, settlements
        _WORDS[key] = (type_words, settlements)
    return _WORDS[key]


def forget_words() -> None:
    """After the seed wrote them: the next search reads them again."""
    _WORDS.clear()
    _TRIGRAM_NAMES.clear()


# SQLite: how many street names hold each trigram, read once per database and process from the
# FTS5 index's vocabulary (fts5vocab, a temporary view of it on the connection). The counts
# only choose which trigrams the look-up reads; stale ones make it slower, never wrong.
_TRIGRAM_NAMES: dict[str, dict[str, int]] = {}


def _trigram_names() -> dict[str, int]:
    key = str(db.engine.url)
    if key not in _TRIGRAM_NAMES:
        db.session.execute(sa.text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.reg_street_fts_terms "
            "USING fts5vocab(main, reg_street_fts, row)"))
        counts = dict(db.session.execute(
            sa.text("SELECT term, doc FROM temp.reg_street_fts_terms")).all())
        if not counts:  # an unseeded database: not kept
            return counts
        _TRIGRAM_NAMES[key] = counts
    return _TRIGRAM_NAMES[key]


def read_query(query: str) -> Search:
    """The typed text without the registry's street-type and city words; a city's name
    (kk/ru/en, folded) names the settlement."""
    parsed: AddressQuery = parse_query(query, MAX_QUERY_CHARS)
    type_words, settlements = _words()
    street, street_type, settlement, city_word = [], None, None, None
    for word in parsed.words:
        if word in settlements and settlement is None:
            settlement, city_word = settlements[word], word
        elif word in type_words:
            if type_words[word] != "city":
                street_type = street_type or type_words[word]
        else:
            street.append(word)
    if not street and city_word:  # "Қонаев 59": a street named after a city, no city typed
        street, settlement = [city_word], None
    text = " ".join(street[:MAX_QUERY_WORDS])[:MAX_STREET_CHARS].strip()
    return Search(text, street_type, settlement, parsed.house, parsed.flat)


def find_streets(search: Search, share: float, limit: int = STREETS_CONSIDERED) -> list[StreetHit]:
    """The streets whose names (any spelling) hold at least `share` of the query's trigrams,
    best first; of equal ones, those of the type the query names ("проспект")."""
    if not search.street:
        return []
    query = _postgres if db.engine.dialect.name == "postgresql" else _sqlite
    best: dict[tuple[str, str], tuple[float, StreetHit]] = {}
    for code, street_kk, street_ru, street_type, score in query(search, share, limit * 4):
        hit = StreetHit(code, street_kk, street_ru, float(score))
        rank = hit.score + (0.01 if search.street_type and street_type == search.street_type
                            else 0)
        key = (code, street_kk)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, hit)
    ranked = sorted(best.values(), key=lambda pair: (-pair[0], pair[1].street_kk))
    return [hit for _, hit in ranked[:limit]]


def suggest_streets(search: Search, limit: int) -> list[StreetHit]:
    """The streets offered under "did you mean": the best holding at least SUGGEST_SHARE."""
    streets: list[StreetHit] = []
    for share in SUGGEST_SHARES:
        streets = find_streets(search, share, limit)
        if len(streets) >= limit:
            break
    return streets


def _postgres(search: Search, share: float, limit: int):
    # `<%` (word_similarity >= the threshold) through the GIN index: reg_street_search
    # (demo_registries.models) sets the threshold and keeps the planner on the index.
    return db.session.execute(
        sa.text("SELECT * FROM reg_street_search(CAST(:q AS text), CAST(:share AS real), "
                "CAST(:n AS int), CAST(:settlement AS text))"),
        {"q": search.street, "share": share, "n": limit,
         "settlement": search.settlement_code}).all()


def _sqlite(search: Search, share: float, limit: int):
    grams = trigrams(f" {search.street} ")
    if not grams:
        return []
    # A name holding `share` of the n trigrams misses at most n - k of them (k = the share's
    # count), so it holds one of any n - k + 1: the query ANDs disjoint groups of that size,
    # each OR-ed, and finds every candidate (pigeonhole). Made of the rarest trigrams, the
    # groups let in the fewest candidates: at 1 M addresses ~900 rather than ~2,200, and
    # ranking the candidates is most of the look-up's time.
    needed = math.ceil(share * len(grams) - 1e-9)
    size = len(grams) - needed + 1
    names = _trigram_names()
    rarest = sorted(grams, key=lambda gram: names.get(gram, 0))
    groups = [rarest[j * size:(j + 1) * size] for j in range(len(grams) // size)]
    match = " AND ".join("(" + " OR ".join(f'"{g}"' for g in group) + ")" for group in groups)
    params = {f"t{i}": gram for i, gram in enumerate(grams)}
    held = " + ".join(f"(instr(n.search, :t{i}) > 0)" for i in range(len(grams)))
    where = "AND n.settlement_code = :settlement" if search.settlement_code else ""
    statement = sa.text(f"""
        SELECT * FROM (
            SELECT n.settlement_code, n.street_kk, n.street_ru, n.street_type,
                   ({held}) * 1.0 / {len(grams)} AS score, length(n.search) AS size
            FROM (SELECT rowid FROM reg_street_fts WHERE reg_street_fts MATCH :match
                  LIMIT {FTS_CANDIDATES}) AS f
            JOIN reg_street_name AS n ON n.id = f.rowid
            WHERE 1 = 1 {where}
        ) WHERE score >= :share
        ORDER BY score DESC, abs(size - :size) LIMIT :limit""")  # noqa: S608 (bound values)
    rows = db.session.execute(statement, {
        **params, "match": match, "share": share,
        "limit": limit, "settlement": search.settlement_code, "size": len(search.street) + 2})
    return [row[:5] for row in rows]


def _on_streets(count: int):
    """Bound parameters code0/street0... for `count` streets, the best first."""
    return [sa.and_(RegAddress.settlement_code == sa.bindparam(f"code{i}"),
                    RegAddress.street_kk == sa.bindparam(f"street{i}")) for i in range(count)]


def _street_params(streets: list[StreetHit]) -> dict[str, str]:
    params = {}
    for i, street in enumerate(streets):
        params[f"code{i}"], params[f"street{i}"] = street.settlement_code, street.street_kk
    return params


# The statements below are built once per shape (streets, house typed, flat typed): built per
# keystroke they cost more than running them (~1.5 ms in SQLAlchemy), and PostgreSQL prepares
# a statement whose text repeats (psycopg's prepare_threshold), which saves its planning.
@functools.cache
def _addresses_statement(count: int, house: bool, flat: bool):
    on_streets = _on_streets(count)
    statement = sa.select(RegAddress).where(sa.or_(*on_streets))
    if house:
        statement = statement.where(RegAddress.house == sa.bindparam("house"))
    if flat:
        statement = statement.where(RegAddress.flat == sa.bindparam("flat"))
    return statement.order_by(
        sa.case(*((on, i) for i, on in enumerate(on_streets))),
        sa.func.length(RegAddress.house),
        RegAddress.house,
        sa.func.length(sa.func.coalesce(RegAddress.flat, "")),
        sa.func.coalesce(RegAddress.flat, ""),
    ).limit(sa.bindparam("limit"))


@functools.cache
def _houses_statement(count: int):
    return (sa.select(RegAddress.settlement_code, RegAddress.street_kk).distinct()
            .where(sa.or_(*_on_streets(count)), RegAddress.house == sa.bindparam("house")))


def find_addresses(search: Search, streets: list[StreetHit], limit: int) -> list[RegAddress]:
    """Addresses on these streets with the typed house (and flat): the best street's first,
    each street's in house and flat order. One statement for all the streets (the unique
    index on settlement, street, house, flat finds each street's rows)."""
    if not streets or limit <= 0:
        return []
    statement = _addresses_statement(len(streets), bool(search.house), bool(search.flat))
    return list(db.session.scalars(statement, {
        **_street_params(streets), "house": search.house, "flat": search.flat, "limit": limit}))


def houses_on(streets: list[StreetHit], house: str | None) -> set[tuple[str, str]]:
    """Which of these streets have this house."""
    if not streets or not house:
        return set()
    return {tuple(row) for row in db.session.execute(
        _houses_statement(len(streets)), {**_street_params(streets), "house": house})}
