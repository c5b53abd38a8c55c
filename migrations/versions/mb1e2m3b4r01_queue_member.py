"""queue member's page: place snapshots, places moved from an akimat's list

Revision ID: mb1e2m3b4r01
Revises: qu3u3c0unt01
Create Date: 2026-12-02 15:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'mb1e2m3b4r01'
down_revision = 'qu3u3c0unt01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'housing_place_snapshot',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('entry_id', sa.Integer(), nullable=False),
        sa.Column('taken_on', sa.Date(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=True),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['entry_id'], ['housing_queue_entry.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('entry_id', 'taken_on'),
    )
    with op.batch_alter_table('housing_place_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_housing_place_snapshot_entry_id'), ['entry_id'],
                              unique=False)
    op.create_table(
        'housing_queue_transfer',
        sa.Column('entry_id', sa.Integer(), nullable=False),
        sa.Column('akimat_settlement', sa.String(length=32), nullable=False),
        sa.Column('akimat_number', sa.Integer(), nullable=False),
        sa.Column('akimat_date', sa.Date(), nullable=False),
        sa.Column('moved_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['entry_id'], ['housing_queue_entry.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('entry_id'),
    )
    op.create_table(
        'housing_snapshot_run',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('day'),
    )


def downgrade():
    op.drop_table('housing_snapshot_run')
    op.drop_table('housing_queue_transfer')
    with op.batch_alter_table('housing_place_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_housing_place_snapshot_entry_id'))
    op.drop_table('housing_place_snapshot')
