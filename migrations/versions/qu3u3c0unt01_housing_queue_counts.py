"""housing_queue_count: active entries per list per UTC day and year, so a position is a few
reads instead of a count over the list (issue 24); built here for the entries there are

Revision ID: qu3u3c0unt01
Revises: ma1l0utb0x01
Create Date: 2026-12-02 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'qu3u3c0unt01'
down_revision = 'ma1l0utb0x01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'housing_queue_count',
        sa.Column('settlement_code', sa.String(length=32), nullable=False),
        sa.Column('list_code', sa.String(length=64), nullable=False),
        sa.Column('span', sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column('start', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('active', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('settlement_code', 'list_code', 'span', 'start'),
        sqlite_with_rowid=False,
    )
    # The same SQL as portal.housing.services.housing_queue.count_sql (frozen here): span 0 =
    # UTC day (days since 1970-01-01), span 1 = UTC year, active entries only.
    if op.get_bind().dialect.name == 'postgresql':
        day = "((submitted_at AT TIME ZONE 'UTC')::date - DATE '1970-01-01')"
        year = "CAST(EXTRACT(YEAR FROM submitted_at AT TIME ZONE 'UTC') AS INTEGER)"
    else:
        day = "CAST(julianday(substr(submitted_at, 1, 10)) - 2440587.5 AS INTEGER)"
        year = "CAST(substr(submitted_at, 1, 4) AS INTEGER)"
    for span, expr in ((0, day), (1, year)):
        op.execute(
            "INSERT INTO housing_queue_count (settlement_code, list_code, span, start, active) "
            f"SELECT settlement_code, list_code, {span}, {expr}, count(*) "
            "FROM housing_queue_entry WHERE status = 'active' "
            f"GROUP BY settlement_code, list_code, {expr}")


def downgrade():
    op.drop_table('housing_queue_count')
