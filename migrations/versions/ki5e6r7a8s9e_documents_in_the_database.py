"""uploaded documents in the database; an index for counting one person's uploads

housing_document_content holds each document's bytes (every app server sees them, a backup
holds them, they go with their document and draft). Files uploaded before, in
HOUSING_UPLOAD_DIR (default instance/uploads), are copied in when this server has them; the
files themselves stay on the disk for the operator to remove. A row whose file is not on this
server keeps no bytes (its download answers 404).

ix_audit_event_iin_kind_at: the daily upload cap counts `document_uploaded` events per IIN.

Revision ID: ki5e6r7a8s9e
Revises: ra7c1e0d2b3f
Create Date: 2026-12-02 04:00:00

"""
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = 'ki5e6r7a8s9e'
down_revision = 'ra7c1e0d2b3f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('housing_document_content',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['housing_document.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id')
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_iin_kind_at', ['iin', 'kind', 'at'], unique=False)
    _copy_files_in()


def _copy_files_in():
    folder = Path(current_app.config.get("HOUSING_UPLOAD_DIR")
                  or Path(current_app.instance_path) / "uploads")
    if not folder.is_dir():
        return
    bind = op.get_bind()
    content = sa.table('housing_document_content', sa.column('document_id', sa.Integer),
                       sa.column('content', sa.LargeBinary))
    rows = bind.execute(sa.text("SELECT id, stored_name FROM housing_document")).all()
    for document_id, stored_name in rows:
        path = folder / Path(stored_name).name
        if path.is_file():
            bind.execute(content.insert().values(document_id=document_id,
                                                 content=path.read_bytes()))


def downgrade():
    # The bytes are not written back to a disk: a downgrade loses the documents' content.
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_iin_kind_at')
    op.drop_table('housing_document_content')
