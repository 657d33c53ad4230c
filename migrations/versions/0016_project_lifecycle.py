"""projects: life cycle, funding and accessibility statement (tenant.toml sections)

Revision ID: 0016_project_lifecycle
Revises: 0015_companies_admin
Create Date: 2026-12-02

Each project states its dates and status ([lifecycle]), its funding and the visibility block
that funding requires ([funding]) and its AgID accessibility statement ([accessibility]) in
tenant.toml; `tenants sync` copies them here. Until the next sync they are empty: the pages
show less, and no project is treated as ended.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_project_lifecycle"
down_revision = "0015_companies_admin"
branch_labels = None
depends_on = None

COLUMNS = ("lifecycle", "funding", "accessibility")


def upgrade():
    with op.batch_alter_table("tenant", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.JSON(), nullable=False, server_default="{}"))


def downgrade():
    with op.batch_alter_table("tenant", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
