"""kiosk speech: the words each kiosk page speaks, under the address of their audio

Revision ID: ki7s8p9e0a1k
Revises: au1b2c3d4e5f
Create Date: 2026-12-02 04:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ki7s8p9e0a1k'
down_revision = 'au1b2c3d4e5f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'kiosk_speech',
        sa.Column('key', sa.String(length=32), nullable=False),
        sa.Column('lang', sa.String(length=8), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )


def downgrade():
    op.drop_table('kiosk_speech')
