"""The demo registries' reg_* tables leave the production schema.

They are the stand-in for the state information systems (demo_registries/), with their own
metadata: `flask demo seed` and the test fixtures create them, never the migration chain.
Earlier revisions created them; this one drops them (a database upgraded here keeps no demo
people). Downgrade puts back the empty tables that are missing.

Revision ID: pr5e6f7a8b9c
Revises: c5d6e7f8a9b0
Create Date: 2026-12-02 04:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'pr5e6f7a8b9c'
down_revision = 'c5d6e7f8a9b0'
branch_labels = None
depends_on = None

# Children before parents (foreign keys).
REG_TABLES = ('reg_lease_member', 'reg_residence', 'reg_relation', 'reg_ownership', 'reg_lease', 'reg_housing_status', 'reg_family_member', 'reg_housing_person', 'reg_queue_place', 'reg_worsening', 'reg_person', 'reg_service_centre', 'reg_address', 'reg_settlement', 'reg_executive_body')


def upgrade():
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    for name in REG_TABLES:
        if name in existing:
            op.drop_table(name)


def downgrade():
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if 'reg_executive_body' not in existing:
        op.create_table('reg_executive_body',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name_kk', sa.String(length=255), nullable=False),
        sa.Column('name_ru', sa.String(length=255), nullable=False),
        sa.Column('name_en', sa.String(length=255), nullable=False),
        sa.Column('address_kk', sa.String(length=255), nullable=False),
        sa.Column('address_ru', sa.String(length=255), nullable=False),
        sa.Column('address_en', sa.String(length=255), nullable=False),
        sa.Column('phone', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name_ru')
        )
    if 'reg_settlement' not in existing:
        op.create_table('reg_settlement',
        sa.Column('code', sa.String(length=32), nullable=False),
        sa.Column('name_kk', sa.String(length=64), nullable=False),
        sa.Column('name_ru', sa.String(length=64), nullable=False),
        sa.Column('name_en', sa.String(length=64), nullable=False),
        sa.Column('region_kk', sa.String(length=128), nullable=False),
        sa.Column('region_ru', sa.String(length=128), nullable=False),
        sa.Column('region_en', sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint('code')
        )
    if 'reg_address' not in existing:
        op.create_table('reg_address',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('settlement_code', sa.String(length=32), nullable=False),
        sa.Column('street_kk', sa.String(length=128), nullable=False),
        sa.Column('street_ru', sa.String(length=128), nullable=False),
        sa.Column('house', sa.String(length=16), nullable=False),
        sa.Column('flat', sa.String(length=16), nullable=True),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('declared_emergency', sa.Boolean(), nullable=False),
        sa.Column('search', sa.String(length=512), nullable=False),
        sa.ForeignKeyConstraint(['settlement_code'], ['reg_settlement.code'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('settlement_code', 'street_kk', 'house', 'flat')
        )
    if 'reg_address' not in existing:
        with op.batch_alter_table('reg_address', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_reg_address_settlement_code'), ['settlement_code'], unique=False)
    if 'reg_service_centre' not in existing:
        op.create_table('reg_service_centre',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('settlement_code', sa.String(length=32), nullable=False),
        sa.Column('name_kk', sa.String(length=255), nullable=False),
        sa.Column('name_ru', sa.String(length=255), nullable=False),
        sa.Column('name_en', sa.String(length=255), nullable=False),
        sa.Column('address_kk', sa.String(length=255), nullable=False),
        sa.Column('address_ru', sa.String(length=255), nullable=False),
        sa.Column('address_en', sa.String(length=255), nullable=False),
        sa.Column('hours_kk', sa.String(length=128), nullable=False),
        sa.Column('hours_ru', sa.String(length=128), nullable=False),
        sa.Column('hours_en', sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(['settlement_code'], ['reg_settlement.code'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('settlement_code', 'name_kk')
        )
    if 'reg_service_centre' not in existing:
        with op.batch_alter_table('reg_service_centre', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_reg_service_centre_settlement_code'), ['settlement_code'], unique=False)
    if 'reg_person' not in existing:
        op.create_table('reg_person',
        sa.Column('iin', sa.String(length=12), nullable=False),
        sa.Column('surname', sa.String(length=64), nullable=False),
        sa.Column('given_name', sa.String(length=64), nullable=False),
        sa.Column('patronymic', sa.String(length=64), nullable=True),
        sa.Column('birth_date', sa.Date(), nullable=False),
        sa.Column('sex', sa.String(length=1), nullable=False),
        sa.Column('capacity', sa.String(length=16), nullable=False),
        sa.Column('phone', sa.String(length=16), nullable=True),
        sa.Column('is_kandas', sa.Boolean(), nullable=False),
        sa.Column('is_orphan', sa.Boolean(), nullable=False),
        sa.Column('document_number', sa.String(length=16), nullable=True),
        sa.Column('document_date', sa.Date(), nullable=True),
        sa.Column('registered_address_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['registered_address_id'], ['reg_address.id'], ),
        sa.PrimaryKeyConstraint('iin')
        )
    if 'reg_person' not in existing:
        with op.batch_alter_table('reg_person', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_reg_person_phone'), ['phone'], unique=False)
    if 'reg_housing_status' not in existing:
        op.create_table('reg_housing_status',
        sa.Column('iin', sa.String(length=12), nullable=False),
        sa.Column('on_unified_base', sa.Boolean(), nullable=False),
        sa.Column('had_state_rental', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['iin'], ['reg_person.iin'], ),
        sa.PrimaryKeyConstraint('iin')
        )
    if 'reg_lease' not in existing:
        op.create_table('reg_lease',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('address_id', sa.Integer(), nullable=False),
        sa.Column('tenant_iin', sa.String(length=12), nullable=False),
        sa.Column('executive_body_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['address_id'], ['reg_address.id'], ),
        sa.ForeignKeyConstraint(['executive_body_id'], ['reg_executive_body.id'], ),
        sa.ForeignKeyConstraint(['tenant_iin'], ['reg_person.iin'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('address_id')
        )
    if 'reg_ownership' not in existing:
        op.create_table('reg_ownership',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('address_id', sa.Integer(), nullable=False),
        sa.Column('owner_iin', sa.String(length=12), nullable=False),
        sa.Column('acquired', sa.Date(), nullable=False),
        sa.Column('disposed', sa.Date(), nullable=True),
        sa.Column('via_state_mortgage', sa.Boolean(), nullable=False),
        sa.Column('privatised_from_state_fund', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['address_id'], ['reg_address.id'], ),
        sa.ForeignKeyConstraint(['owner_iin'], ['reg_person.iin'], ),
        sa.PrimaryKeyConstraint('id')
        )
    if 'reg_ownership' not in existing:
        with op.batch_alter_table('reg_ownership', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_reg_ownership_address_id'), ['address_id'], unique=False)
            batch_op.create_index(batch_op.f('ix_reg_ownership_owner_iin'), ['owner_iin'], unique=False)
    if 'reg_relation' not in existing:
        op.create_table('reg_relation',
        sa.Column('representative_iin', sa.String(length=12), nullable=False),
        sa.Column('ward_iin', sa.String(length=12), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['representative_iin'], ['reg_person.iin'], ),
        sa.ForeignKeyConstraint(['ward_iin'], ['reg_person.iin'], ),
        sa.PrimaryKeyConstraint('representative_iin', 'ward_iin')
        )
    if 'reg_residence' not in existing:
        op.create_table('reg_residence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('iin', sa.String(length=12), nullable=False),
        sa.Column('address_id', sa.Integer(), nullable=False),
        sa.Column('date_from', sa.Date(), nullable=False),
        sa.Column('date_to', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['address_id'], ['reg_address.id'], ),
        sa.ForeignKeyConstraint(['iin'], ['reg_person.iin'], ),
        sa.PrimaryKeyConstraint('id')
        )
    if 'reg_residence' not in existing:
        with op.batch_alter_table('reg_residence', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_reg_residence_iin'), ['iin'], unique=False)
    if 'reg_lease_member' not in existing:
        op.create_table('reg_lease_member',
        sa.Column('lease_id', sa.Integer(), nullable=False),
        sa.Column('iin', sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(['iin'], ['reg_person.iin'], ),
        sa.ForeignKeyConstraint(['lease_id'], ['reg_lease.id'], ),
        sa.PrimaryKeyConstraint('lease_id', 'iin')
        )
    if 'reg_family_member' not in existing:
        op.create_table('reg_family_member',
        sa.Column('person_iin', sa.String(length=12), nullable=False),
        sa.Column('member_iin', sa.String(length=12), nullable=False),
        sa.Column('relation', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['member_iin'], ['reg_person.iin'], ),
        sa.ForeignKeyConstraint(['person_iin'], ['reg_person.iin'], ),
        sa.PrimaryKeyConstraint('person_iin', 'member_iin')
        )
    if 'reg_housing_person' not in existing:
        op.create_table('reg_housing_person',
        sa.Column('iin', sa.String(length=12), nullable=False),
        sa.Column('is_citizen', sa.Boolean(), nullable=False),
        sa.Column('parental_care', sa.String(length=16), nullable=False),
        sa.Column('care_lost_on', sa.Date(), nullable=True),
        sa.Column('confirmed_categories', sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(['iin'], ['reg_person.iin'], ),
        sa.PrimaryKeyConstraint('iin')
        )
    if 'reg_queue_place' not in existing:
        op.create_table('reg_queue_place',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('iin', sa.String(length=12), nullable=False),
        sa.Column('base', sa.String(length=16), nullable=False),
        sa.Column('settlement_code', sa.String(length=32), nullable=False),
        sa.Column('since', sa.Date(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=True),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['iin'], ['reg_person.iin'], ),
        sa.ForeignKeyConstraint(['settlement_code'], ['reg_settlement.code'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('iin', 'base', 'settlement_code')
        )
    if 'reg_queue_place' not in existing:
        with op.batch_alter_table('reg_queue_place', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_reg_queue_place_iin'), ['iin'], unique=False)
    if 'reg_worsening' not in existing:
        op.create_table('reg_worsening',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('iin', sa.String(length=12), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('on', sa.Date(), nullable=False),
        sa.Column('habitable', sa.Boolean(), nullable=False),
        sa.Column('bought_by_local_executive_body', sa.Boolean(), nullable=False),
        sa.Column('was_in_need', sa.Boolean(), nullable=False),
        sa.Column('moved_in', sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(['iin'], ['reg_person.iin'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('iin', 'kind', 'on')
        )
    if 'reg_worsening' not in existing:
        with op.batch_alter_table('reg_worsening', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_reg_worsening_iin'), ['iin'], unique=False)
