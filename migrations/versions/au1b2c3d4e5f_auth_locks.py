"""auth locks: staff password tries apart from code tries; sign-in codes bound to who asked

Revision ID: au1b2c3d4e5f
Revises: ki5e6r7a8s9e
Create Date: 2026-12-02 03:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'au1b2c3d4e5f'
down_revision = 'ki5e6r7a8s9e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff_member') as batch_op:
        batch_op.add_column(sa.Column('password_failures', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('password_paused_until', sa.DateTime(timezone=True),
                                      nullable=True))
    with op.batch_alter_table('one_time_code') as batch_op:
        batch_op.add_column(sa.Column('asker', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('asker_ip', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('bound', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('one_time_code') as batch_op:
        batch_op.drop_column('bound')
        batch_op.drop_column('asker_ip')
        batch_op.drop_column('asker')
    with op.batch_alter_table('staff_member') as batch_op:
        batch_op.drop_column('password_paused_until')
        batch_op.drop_column('password_failures')
