"""Application numbers: `<service prefix>-<year>-<6 digits>`, counted per prefix and year.

The year is the Almaty year of the moment of submission (an application sent at 00:30 on
1 January in Almaty is next year's, although it is still 31 December in UTC). Each
(prefix, year) has a counter row; the next number is taken with one UPDATE ... RETURNING inside
the caller's transaction, so concurrent submissions wait for each other on that row and the
numbers are unique and gapless (a rolled-back submission gives its number back).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from portal.clock import ALMATY, now
from portal.core.models import NumberCounter
from portal.extensions import db

DIGITS = 6


def year_of(moment: dt.datetime) -> int:
    """The calendar year in Almaty at this moment."""
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    return moment.astimezone(ALMATY).year


def format_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:0{DIGITS}d}"


def _ensure_counter(prefix: str, year: int) -> None:
    """Create the (prefix, year) row if missing; a concurrent creator is not an error."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        statement = postgresql.insert(NumberCounter).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(NumberCounter).on_conflict_do_nothing()
    else:  # pragma: no cover - the portal runs on SQLite and PostgreSQL only
        raise RuntimeError(f"numbering does not support {dialect}")
    db.session.execute(statement.values(prefix=prefix, year=year, last=0))


def next_sequence(prefix: str, at: dt.datetime | None = None) -> tuple[int, int]:
    """(year, sequence) for the next number of this prefix; not committed."""
    year = year_of(at or now())
    _ensure_counter(prefix, year)
    sequence = db.session.execute(
        sa.update(NumberCounter)
        .where(NumberCounter.prefix == prefix, NumberCounter.year == year)
        .values(last=NumberCounter.last + 1)
        .returning(NumberCounter.last)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    return year, sequence


def next_number(prefix: str, at: dt.datetime | None = None) -> str:
    year, sequence = next_sequence(prefix, at)
    return format_number(prefix, year, sequence)


def assign(application, prefix: str, at: dt.datetime | None = None) -> str:
    """Give the application its number once (a second call keeps the first number)."""
    if not application.number:
        application.number = next_number(prefix, at or application.submitted_at)
    return application.number
