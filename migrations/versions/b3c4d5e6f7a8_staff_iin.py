"""staff IIN: the deciding staff member's ЭЦП certificate must carry it

Revision ID: b3c4d5e6f7a8
Revises: a7b8c9d0e1f2
Create Date: 2026-11-22 06:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'b3c4d5e6f7a8'
down_revision = 'a7b8c9d0e1f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('iin', sa.String(length=12), nullable=True))


def downgrade():
    with op.batch_alter_table('staff_member', schema=None) as batch_op:
        batch_op.drop_column('iin')
