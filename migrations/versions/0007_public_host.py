"""internships: whether the named host is a public administration

Revision ID: 0007_public_host
Revises: 0006_domain_model
Create Date: 2026-12-01

Lombardia sets a lower minimum allowance when a public administration hosts the intern; the
publishing organisation's kind says so when it hosts, this column when another host is named.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_public_host"
down_revision = "0006_domain_model"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("host_public_body", sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.drop_column("host_public_body")
