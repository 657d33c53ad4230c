"""projects: the licence of their open data

Revision ID: 0008_open_data_licence
Revises: 0007_public_host
Create Date: 2026-12-01

Each project states the licence of what it publishes as open data (tenant.toml
`open_data_licence`, an SPDX identifier); until its next sync it is CC BY 4.0.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_open_data_licence"
down_revision = "0007_public_host"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tenant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("open_data_licence", sa.String(20), nullable=False, server_default="CC-BY-4.0"))


def downgrade():
    with op.batch_alter_table("tenant", schema=None) as batch_op:
        batch_op.drop_column("open_data_licence")
