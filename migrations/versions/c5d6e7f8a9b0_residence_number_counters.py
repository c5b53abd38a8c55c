"""residence numbers from the shared counter: start each year's counter after the numbers given

Residence numbers were R-<year>-<application id>; from now on they come from number_counter
(R, year). Each year's counter starts at the highest sequence already given that year, so no
number is given twice.

Revision ID: c5d6e7f8a9b0
Revises: b3c4d5e6f7a8
Create Date: 2026-11-22 07:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c5d6e7f8a9b0'
down_revision = 'b3c4d5e6f7a8'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT number FROM application WHERE number LIKE 'R-%'")).scalars().all()
    highest: dict[int, int] = {}
    for number in rows:
        parts = number.split("-")
        if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
            year, sequence = int(parts[1]), int(parts[2])
            highest[year] = max(highest.get(year, 0), sequence)
    counter = sa.table("number_counter", sa.column("prefix", sa.String),
                       sa.column("year", sa.Integer), sa.column("last", sa.Integer))
    for year, last in highest.items():
        found = bind.execute(sa.select(counter.c.last).where(
            counter.c.prefix == "R", counter.c.year == year)).scalar()
        if found is None:
            bind.execute(counter.insert().values(prefix="R", year=year, last=last))
        elif found < last:
            bind.execute(counter.update().where(
                counter.c.prefix == "R", counter.c.year == year).values(last=last))


def downgrade():
    pass  # the counters stay: old code ignores them
