"""send_guard: one row per person that code sends lock in turn (atomic send caps)

Revision ID: e1f2a3b4c5d6
Revises: b7c1e2d3f4a5
Create Date: 2026-11-22 02:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1f2a3b4c5d6'
down_revision = 'b7c1e2d3f4a5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('send_guard',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('touched_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )


def downgrade():
    op.drop_table('send_guard')
