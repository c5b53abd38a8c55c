"""Tables of the stand-in state registries (prefix `reg_`), read by LocalRegistries.

They imitate what the e-government gateway would answer; the portal's own data is in
portal.core.models. Text shown to people is stored in kk and ru (and en where the state publishes
it).

They have their own metadata (RegistryModel.metadata), not the portal's: the production
migration chain never creates them (migrations/env.py leaves them out of autogenerate and
`db check`; revision pr5e6f7a8b9c drops the ones earlier revisions made). seed_demo() (`flask
demo seed`) and the test fixtures create them with create_tables(), in the portal's database,
used through the portal's session.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from portal.domain.addresses import fold
from portal.domain.people import Capacity, DwellingKind
from portal.extensions import db


class RegistryModel(DeclarativeBase):
    """The demo registries' own tables, apart from the portal's db.metadata."""

    metadata = sa.MetaData()


def create_tables() -> None:
    """Create the reg_* tables that are missing (in the portal's database)."""
    RegistryModel.metadata.create_all(db.engine)


def drop_tables() -> None:
    RegistryModel.metadata.drop_all(db.engine)


class RegSettlement(RegistryModel):
    __tablename__ = "reg_settlement"

    code: Mapped[str] = mapped_column(sa.String(32), primary_key=True)  # "almaty", "astana", ...
    name_kk: Mapped[str] = mapped_column(sa.String(64))
    name_ru: Mapped[str] = mapped_column(sa.String(64))
    name_en: Mapped[str] = mapped_column(sa.String(64))
    region_kk: Mapped[str] = mapped_column(sa.String(128))
    region_ru: Mapped[str] = mapped_column(sa.String(128))
    region_en: Mapped[str] = mapped_column(sa.String(128))


class RegAddress(RegistryModel):
    """An address (address registry) and what the real-estate registry says of its dwelling."""

    __tablename__ = "reg_address"
    __table_args__ = (sa.UniqueConstraint("settlement_code", "street_kk", "house", "flat"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    settlement_code: Mapped[str] = mapped_column(sa.ForeignKey("reg_settlement.code"), index=True)
    street_kk: Mapped[str] = mapped_column(sa.String(128))  # "Абай даңғылы"
    street_ru: Mapped[str] = mapped_column(sa.String(128))  # "проспект Абая"
    house: Mapped[str] = mapped_column(sa.String(16))
    flat: Mapped[str | None] = mapped_column(sa.String(16))
    kind: Mapped[str] = mapped_column(sa.String(16), default=DwellingKind.PRIVATE.value)
    declared_emergency: Mapped[bool] = mapped_column(default=False)

    settlement: Mapped[RegSettlement] = relationship(lazy="joined")


class RegStreetName(RegistryModel):
    """One spelling of a street (address registry): its Kazakh and Russian names, and the other
    forms people know it by ("Кунаева" for Қонаев даңғылы). `search` is the folded name
    without its street-type words, the text the trigram index holds (SQLite: the FTS5 table
    reg_street_fts; PostgreSQL: a pg_trgm GIN index)."""

    __tablename__ = "reg_street_name"
    __table_args__ = (sa.UniqueConstraint("settlement_code", "street_kk", "name"),
                      sa.Index("ix_reg_street_name_street", "settlement_code", "street_kk"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: the old migrations' downgrade drops reg_settlement, and knows no
    # reg_street_name to drop first.
    settlement_code: Mapped[str] = mapped_column(sa.String(32))
    street_kk: Mapped[str] = mapped_column(sa.String(128))  # the address's street, as key
    street_ru: Mapped[str] = mapped_column(sa.String(128))
    name: Mapped[str] = mapped_column(sa.String(128))  # "проспект Абая", "Абай даңғылы"
    street_type: Mapped[str | None] = mapped_column(sa.String(16))  # RegStreetWord.meaning
    search: Mapped[str] = mapped_column(sa.String(128))  # "abaia", "abai"


class RegStreetWord(RegistryModel):
    """Words around a street name that are not the name: street types, equal across languages
    by their `meaning` (улица = көшесі = street; проспект = даңғылы = avenue), and the words
    that announce a city (г., қаласы, city). Stored folded."""

    __tablename__ = "reg_street_word"

    word: Mapped[str] = mapped_column(sa.String(32), primary_key=True)  # folded: "kosh", "ul"
    meaning: Mapped[str] = mapped_column(sa.String(16))  # street | avenue | ... | city


def street_search_text(name: str, type_words: dict[str, str]) -> tuple[str, str | None]:
    """The indexed text of a street name (folded, without its type words) and its type."""
    words = fold(name).split()
    kinds = [type_words[w] for w in words if w in type_words]
    kept = [w for w in words if w not in type_words]
    return " ".join(kept or words), kinds[0] if kinds else None


# The engines' own trigram indexes, made with the tables (and dropped with them).
_SQLITE_FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS reg_street_fts USING fts5(search, "
    "content='reg_street_name', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS reg_street_fts_ai AFTER INSERT ON reg_street_name BEGIN "
    "INSERT INTO reg_street_fts(rowid, search) VALUES (new.id, new.search); END",
    "CREATE TRIGGER IF NOT EXISTS reg_street_fts_ad AFTER DELETE ON reg_street_name BEGIN "
    "INSERT INTO reg_street_fts(reg_street_fts, rowid, search) "
    "VALUES ('delete', old.id, old.search); END",
    "CREATE TRIGGER IF NOT EXISTS reg_street_fts_au AFTER UPDATE ON reg_street_name BEGIN "
    "INSERT INTO reg_street_fts(reg_street_fts, rowid, search) "
    "VALUES ('delete', old.id, old.search); "
    "INSERT INTO reg_street_fts(rowid, search) VALUES (new.id, new.search); END",
)
_POSTGRES_TRGM = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # fastupdate off: new names go into the index at once, not into its pending list, which
    # every search reads through until a vacuum (20,000 names just loaded: a search's p50
    # 23 ms rather than 7 at 1 M addresses). The names are written rarely, searched often.
    "CREATE INDEX IF NOT EXISTS ix_reg_street_name_trgm ON reg_street_name "
    "USING gin (search gin_trgm_ops) WITH (fastupdate = off)",
    # The planner prices word_similarity like a cheap operator and scans 20,000 names (150 ms)
    # rather than the GIN index (5 ms): the look-up runs in a function that turns sequential
    # scans off for itself only (SET on the function), and sets the threshold `<%` reads.
    # Its plan is made once per connection (force_generic_plan): a custom plan per call cost
    # 1.5-5 ms of planning, more than the look-up itself.
    """CREATE OR REPLACE FUNCTION reg_street_search(q text, share real, n int, settlement text)
    RETURNS TABLE (settlement_code varchar, street_kk varchar, street_ru varchar,
                   street_type varchar, score real)
    LANGUAGE plpgsql STABLE SET enable_seqscan = off SET plan_cache_mode = force_generic_plan AS $$
    #variable_conflict use_column
    BEGIN
      PERFORM set_config('pg_trgm.word_similarity_threshold', share::text, true);
      RETURN QUERY
        SELECT s.settlement_code, s.street_kk, s.street_ru, s.street_type,
               word_similarity(q, s.search)
        FROM reg_street_name AS s
        WHERE q <%% s.search AND (settlement IS NULL OR s.settlement_code = settlement)
        ORDER BY word_similarity(q, s.search) DESC, similarity(q, s.search) DESC
        LIMIT n;
    END $$""",
)
for _statement in _SQLITE_FTS:
    sa.event.listen(RegStreetName.__table__, "after_create",
                    sa.DDL(_statement).execute_if(dialect="sqlite"))
for _statement in _POSTGRES_TRGM:
    sa.event.listen(RegStreetName.__table__, "after_create",
                    sa.DDL(_statement).execute_if(dialect="postgresql"))
sa.event.listen(RegStreetName.__table__, "before_drop", sa.DDL(
    "DROP FUNCTION IF EXISTS reg_street_search").execute_if(dialect="postgresql"))
for _statement in ("DROP TABLE IF EXISTS reg_street_fts_vocab",  # made by an early draft
                   "DROP TABLE IF EXISTS reg_street_fts"):
    sa.event.listen(RegStreetName.__table__, "before_drop",
                    sa.DDL(_statement).execute_if(dialect="sqlite"))


class RegPerson(RegistryModel):
    """Population registry, with the phone from the mobile citizens' database (БМГ)."""

    __tablename__ = "reg_person"

    iin: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    surname: Mapped[str] = mapped_column(sa.String(64))
    given_name: Mapped[str] = mapped_column(sa.String(64))
    patronymic: Mapped[str | None] = mapped_column(sa.String(64))
    birth_date: Mapped[dt.date]
    sex: Mapped[str] = mapped_column(sa.String(1))
    capacity: Mapped[str] = mapped_column(sa.String(16), default=Capacity.FULL.value)
    phone: Mapped[str | None] = mapped_column(sa.String(16), index=True)  # E.164
    is_kandas: Mapped[bool] = mapped_column(default=False)
    is_orphan: Mapped[bool] = mapped_column(default=False)
    document_number: Mapped[str | None] = mapped_column(sa.String(16))
    document_date: Mapped[dt.date | None]
    registered_address_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reg_address.id"))


class RegRelation(RegistryModel):
    """A parent (or other legal representative) of a minor, or a guardian of an adult ward."""

    __tablename__ = "reg_relation"

    representative_iin: Mapped[str] = mapped_column(
        sa.ForeignKey("reg_person.iin"), primary_key=True
    )
    ward_iin: Mapped[str] = mapped_column(sa.ForeignKey("reg_person.iin"), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16))  # parent | guardian

    ward: Mapped[RegPerson] = relationship(foreign_keys="RegRelation.ward_iin")


class RegOwnership(RegistryModel):
    """One owner's title to one dwelling, over time (real-estate registry)."""

    __tablename__ = "reg_ownership"

    id: Mapped[int] = mapped_column(primary_key=True)
    address_id: Mapped[int] = mapped_column(sa.ForeignKey("reg_address.id"), index=True)
    owner_iin: Mapped[str] = mapped_column(sa.ForeignKey("reg_person.iin"), index=True)
    acquired: Mapped[dt.date]
    disposed: Mapped[dt.date | None]
    via_state_mortgage: Mapped[bool] = mapped_column(default=False)
    privatised_from_state_fund: Mapped[bool] = mapped_column(default=False)

    owner: Mapped[RegPerson] = relationship()
    address: Mapped[RegAddress] = relationship()


class RegExecutiveBody(RegistryModel):
    """A local executive body (akimat, its housing department) that leases state housing."""

    __tablename__ = "reg_executive_body"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_kk: Mapped[str] = mapped_column(sa.String(255))
    name_ru: Mapped[str] = mapped_column(sa.String(255), unique=True)
    name_en: Mapped[str] = mapped_column(sa.String(255))
    address_kk: Mapped[str] = mapped_column(sa.String(255))
    address_ru: Mapped[str] = mapped_column(sa.String(255))
    address_en: Mapped[str] = mapped_column(sa.String(255))
    phone: Mapped[str] = mapped_column(sa.String(32))


lease_member = sa.Table(
    "reg_lease_member",
    RegistryModel.metadata,
    sa.Column("lease_id", sa.ForeignKey("reg_lease.id"), primary_key=True),
    sa.Column("iin", sa.ForeignKey("reg_person.iin"), primary_key=True),
)


class RegLease(RegistryModel):
    """A lease of state rental housing; its members are the only people who may register there."""

    __tablename__ = "reg_lease"

    id: Mapped[int] = mapped_column(primary_key=True)
    address_id: Mapped[int] = mapped_column(sa.ForeignKey("reg_address.id"), unique=True)
    tenant_iin: Mapped[str] = mapped_column(sa.ForeignKey("reg_person.iin"))
    executive_body_id: Mapped[int] = mapped_column(sa.ForeignKey("reg_executive_body.id"))

    members: Mapped[list[RegPerson]] = relationship(secondary=lease_member, order_by=RegPerson.iin)
    executive_body: Mapped[RegExecutiveBody] = relationship(lazy="joined")


class RegResidence(RegistryModel):
    """A period of registration at an address; `date_to` None is the current one."""

    __tablename__ = "reg_residence"

    id: Mapped[int] = mapped_column(primary_key=True)
    iin: Mapped[str] = mapped_column(sa.ForeignKey("reg_person.iin"), index=True)
    address_id: Mapped[int] = mapped_column(sa.ForeignKey("reg_address.id"))
    date_from: Mapped[dt.date]
    date_to: Mapped[dt.date | None]

    address: Mapped[RegAddress] = relationship(lazy="joined")


class RegHousingStatus(RegistryModel):
    """The unified queue base and state-housing history; no row means neither."""

    __tablename__ = "reg_housing_status"

    iin: Mapped[str] = mapped_column(sa.ForeignKey("reg_person.iin"), primary_key=True)
    on_unified_base: Mapped[bool] = mapped_column(default=False)
    had_state_rental: Mapped[bool] = mapped_column(default=False)


class RegServiceCentre(RegistryModel):
    """A public service centre (ЦОН / ХҚКО)."""

    __tablename__ = "reg_service_centre"
    __table_args__ = (sa.UniqueConstraint("settlement_code", "name_kk"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    settlement_code: Mapped[str] = mapped_column(sa.ForeignKey("reg_settlement.code"), index=True)
    name_kk: Mapped[str] = mapped_column(sa.String(255))
    name_ru: Mapped[str] = mapped_column(sa.String(255))
    name_en: Mapped[str] = mapped_column(sa.String(255))
    address_kk: Mapped[str] = mapped_column(sa.String(255))
    address_ru: Mapped[str] = mapped_column(sa.String(255))
    address_en: Mapped[str] = mapped_column(sa.String(255))
    hours_kk: Mapped[str] = mapped_column(sa.String(128))
    hours_ru: Mapped[str] = mapped_column(sa.String(128))
    hours_en: Mapped[str] = mapped_column(sa.String(128))


# --- the housing waiting list: what the stand-in registries add for HousingFacts -------------


class RegHousingPerson(RegistryModel):
    """Citizenship, parental-care status and confirmed categories (population registry and the
    social-protection databases). No row: a citizen, no care status, no category confirmed."""

    __tablename__ = "reg_housing_person"

    iin: Mapped[str] = mapped_column(sa.ForeignKey("reg_person.iin"), primary_key=True)
    is_citizen: Mapped[bool] = mapped_column(default=True)
    parental_care: Mapped[str] = mapped_column(sa.String(16), default="none")  # ParentalCare
    care_lost_on: Mapped[dt.date | None]
    confirmed_categories: Mapped[str] = mapped_column(sa.String(255), default="")  # "a b c"


class RegFamilyMember(RegistryModel):
    """A family member the population registry links to a person (spouse, child, parent)."""

    __tablename__ = "reg_family_member"

    person_iin: Mapped[str] = mapped_column(sa.ForeignKey("reg_person.iin"), primary_key=True)
    member_iin: Mapped[str] = mapped_column(sa.ForeignKey("reg_person.iin"), primary_key=True)
    relation: Mapped[str] = mapped_column(sa.String(16))  # FamilyRelation

    member: Mapped[RegPerson] = relationship(foreign_keys=[member_iin])


class RegQueuePlace(RegistryModel):
    """A place in a housing queue: the akimats' unified e-base or a housing centre's."""

    __tablename__ = "reg_queue_place"
    __table_args__ = (sa.UniqueConstraint("iin", "base", "settlement_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    iin: Mapped[str] = mapped_column(sa.ForeignKey("reg_person.iin"), index=True)
    base: Mapped[str] = mapped_column(sa.String(16))  # QueueBase
    settlement_code: Mapped[str] = mapped_column(sa.ForeignKey("reg_settlement.code"))
    since: Mapped[dt.date]
    number: Mapped[int | None]
    active: Mapped[bool] = mapped_column(default=True)


class RegWorsening(RegistryModel):
    """Something a person did to their housing (exchange, sale, damage, moving out or in)."""

    __tablename__ = "reg_worsening"
    __table_args__ = (sa.UniqueConstraint("iin", "kind", "on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    iin: Mapped[str] = mapped_column(sa.ForeignKey("reg_person.iin"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))  # WorseningKind
    on: Mapped[dt.date]
    habitable: Mapped[bool] = mapped_column(default=True)
    bought_by_local_executive_body: Mapped[bool] = mapped_column(default=False)
    was_in_need: Mapped[bool] = mapped_column(default=False)
    moved_in: Mapped[str | None] = mapped_column(sa.String(32))  # MovedInRelation
