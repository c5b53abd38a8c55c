"""housing_queue_entry.person_iin and one place per person in a list

The entry keeps the person on the list (the application's subject_iin), and a partial unique
index on (person, settlement, list) over entries not closed makes the database refuse a second
place for the same person, whatever inserts it. Existing entries get their application's
subject. Should the data already hold a person twice in a list, the upgrade stops and names
them: which place is kept is the office's decision, not a migration's.

Revision ID: ra7c1e0d2b3f
Revises: pr5e6f7a8b9c
Create Date: 2026-12-02 04:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'ra7c1e0d2b3f'
down_revision = 'pr5e6f7a8b9c'
branch_labels = None
depends_on = None

HOLDS_A_PLACE = sa.text("status <> 'closed'")


def upgrade():
    # Checked before anything changes: SQLite's DDL is not rolled back when an upgrade fails.
    bind = op.get_bind()
    twice = bind.execute(sa.text(
        "SELECT application.subject_iin, housing_queue_entry.settlement_code, "
        "housing_queue_entry.list_code, count(*) FROM housing_queue_entry JOIN application "
        "ON application.id = housing_queue_entry.application_id "
        "WHERE application.subject_iin IS NOT NULL AND housing_queue_entry.status <> 'closed' "
        "GROUP BY application.subject_iin, housing_queue_entry.settlement_code, "
        "housing_queue_entry.list_code HAVING count(*) > 1")).all()
    if twice:
        listed = "; ".join(f"{settlement}/{code}: {count} places of a person ending "
                           f"{iin[-4:]}" for iin, settlement, code, count in twice)
        raise RuntimeError(
            "A person holds more than one place in a housing list (" + listed + "). Close "
            "the extra entries (status 'closed'), then run the upgrade again.")
    with op.batch_alter_table('housing_queue_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_iin', sa.String(length=12), nullable=True))
    bind.execute(sa.text(
        "UPDATE housing_queue_entry SET person_iin = (SELECT application.subject_iin FROM "
        "application WHERE application.id = housing_queue_entry.application_id) "
        "WHERE application_id IS NOT NULL"))
    with op.batch_alter_table('housing_queue_entry', schema=None) as batch_op:
        batch_op.create_index('ux_housing_queue_person',
                              ['person_iin', 'settlement_code', 'list_code'], unique=True,
                              postgresql_where=HOLDS_A_PLACE, sqlite_where=HOLDS_A_PLACE)


def downgrade():
    with op.batch_alter_table('housing_queue_entry', schema=None) as batch_op:
        batch_op.drop_index('ux_housing_queue_person')
        batch_op.drop_column('person_iin')
