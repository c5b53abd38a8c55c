"""consent hardening: SMS delivery reports, per-phone lock rows, second-language consent SMS

Revision ID: b7c1e2d3f4a5
Revises: 34f7d8e1daf3
Create Date: 2026-11-22 02:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'b7c1e2d3f4a5'
down_revision = 'c0a3e5b1d2f4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('phone_lock',
    sa.Column('phone', sa.String(length=16), nullable=False),
    sa.Column('touched_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('phone')
    )
    with op.batch_alter_table('sms_message') as batch_op:
        batch_op.add_column(sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_sms_message_provider_ref', ['provider_ref'], unique=False)
    with op.batch_alter_table('consent_request') as batch_op:
        batch_op.add_column(sa.Column('sms_second_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_consent_request_sms_second_id', 'sms_message',
                                    ['sms_second_id'], ['id'])


def downgrade():
    with op.batch_alter_table('consent_request') as batch_op:
        batch_op.drop_constraint('fk_consent_request_sms_second_id', type_='foreignkey')
        batch_op.drop_column('sms_second_id')
    with op.batch_alter_table('sms_message') as batch_op:
        batch_op.drop_index('ix_sms_message_provider_ref')
        batch_op.drop_column('delivered_at')
    op.drop_table('phone_lock')
