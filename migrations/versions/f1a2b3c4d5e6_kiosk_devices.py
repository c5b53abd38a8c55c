"""kiosk devices

Revision ID: f1a2b3c4d5e6
Revises: 804d293de776
Create Date: 2026-11-22 03:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'f1a2b3c4d5e6'
down_revision = '804d293de776'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'kiosk_device',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('enrol_token_hash', sa.String(length=64), nullable=True),
        sa.Column('enrol_expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('secret_hash', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('enrol_token_hash'),
    )
    op.create_table(
        'kiosk_handoff',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['application_id'], ['application.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    with op.batch_alter_table('kiosk_handoff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kiosk_handoff_application_id'), ['application_id'], unique=False)


def downgrade():
    with op.batch_alter_table('kiosk_handoff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kiosk_handoff_application_id'))
    op.drop_table('kiosk_handoff')
    op.drop_table('kiosk_device')
