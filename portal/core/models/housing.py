"""Tables of the housing waiting list (SPEC §2): the queue, its counters and uploaded files.

The application itself is the shared `Application` (service "housing"): the draft's answers in
`data`, the person registered in `subject_iin`. Here only what the queue and the files need.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.models.base import UtcDateTime, _now
from portal.extensions import db


class QueueCounter(db.Model):
    """The highest number given in one list (settlement + list code). Registration raises it
    with one UPDATE ... RETURNING in its transaction: concurrent registrations wait on the row
    lock (SQLite: on the database lock) and get consecutive numbers, gapless and unique."""

    __tablename__ = "housing_queue_counter"

    settlement_code: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    list_code: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class QueueCount(db.Model):
    """How many active entries of one list were submitted in one UTC day (span 0, start = days
    since 1970-01-01) or one UTC year (span 1, start = the year): the rank structure that makes
    a position a few reads instead of a count over the list (portal.housing.services.
    housing_queue). Changed in the same transaction as every entry that joins, leaves, is
    suspended or restored, or moves to another list."""

    __tablename__ = "housing_queue_count"
    # SQLite: the rows are the primary key's b-tree, so a range of it is read without a lookup.
    __table_args__ = {"sqlite_with_rowid": False}

    settlement_code: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    list_code: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    span: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True, autoincrement=False)
    start: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    active: Mapped[int] = mapped_column(default=0)


# A place not closed (active, or suspended and kept until restored) is the person's place.
HOLDS_A_PLACE = sa.text("status <> 'closed'")


class QueueEntry(db.Model):
    """One place in one list. Position = active entries ahead + 1, counted over the composite
    index (list, status, submitted_at, id): a range count, O(log n) to find.

    One person holds at most one place in a list: the partial unique index on (person, list)
    over entries not closed refuses a second one, whatever code path inserts it."""

    __tablename__ = "housing_queue_entry"
    __table_args__ = (
        sa.UniqueConstraint("settlement_code", "list_code", "number"),
        sa.Index("ix_housing_queue_order", "settlement_code", "list_code", "status",
                 "submitted_at", "id"),
        sa.Index("ux_housing_queue_person", "person_iin", "settlement_code", "list_code",
                 unique=True, postgresql_where=HOLDS_A_PLACE, sqlite_where=HOLDS_A_PLACE),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("application.id", ondelete="SET NULL"), unique=True)
    settlement_code: Mapped[str] = mapped_column(sa.String(32))
    list_code: Mapped[str] = mapped_column(sa.String(64))
    number: Mapped[int]
    # The person on the list (the application's subject_iin); None for bulk demo entries.
    person_iin: Mapped[str | None] = mapped_column(sa.String(12))
    status: Mapped[str] = mapped_column(sa.String(16), default="active")  # EntryStatus
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)  # the order of the list
    registered_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)


class HousingDocument(db.Model):
    """A file the applicant uploaded (the expert's technical conclusion, an objection's scan),
    served only to its applicant and the office, as an attachment. Its bytes are in
    `HousingDocumentContent`; `stored_name` is a random opaque name (before migration
    ki5e6r7a8s9e it named the file in HOUSING_UPLOAD_DIR; those files were not moved)."""

    __tablename__ = "housing_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("application.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(32))  # "conclusion", "objection"
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    original_name: Mapped[str] = mapped_column(sa.String(255))
    mime: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int]
    uploaded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)


class HousingDocumentContent(db.Model):
    """The bytes of one document, in the database rather than one server's disk: every app
    server serves them, a backup holds them, and they go with their document (and draft).
    A table of their own, so listing documents never reads the bytes."""

    __tablename__ = "housing_document_content"

    document_id: Mapped[int] = mapped_column(
        sa.ForeignKey("housing_document.id", ondelete="CASCADE"), primary_key=True)
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
