"""Partners' drafts and entries closed early ("places filled")

Revision ID: 0014_workspace_drafts
Revises: 0013_search_facets
Create Date: 2026-12-02

The new status "draft" needs no schema change (statuses are stored as strings without a CHECK);
`entry.closed_early_on` is the day an organisation closed an entry before its deadline.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_workspace_drafts"
down_revision = "0013_search_facets"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("entry") as batch:
        batch.add_column(sa.Column("closed_early_on", sa.Date(), nullable=True))


def downgrade():
    # Older code knows no drafts: they are kept, as withdrawn (never public, as drafts were).
    op.execute("UPDATE entry SET status = 'withdrawn' WHERE status = 'draft'")
    with op.batch_alter_table("entry") as batch:
        batch.drop_column("closed_early_on")
