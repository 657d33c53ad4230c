"""privacy: each project's art. 13 notice data, and audit events whose personal details were cleared

Revision ID: 0018_privacy_rights
Revises: 0017_kpi_outcomes
Create Date: 2026-12-02

`tenant.privacy` holds the [privacy] section of tenant.toml (controller, DPO contact, processors,
transfers, joint controllership); empty until the next `tenants sync`. `audit_event.details_cleared_at`
says when the retention job dropped an old event's personal details (the event itself is kept).
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_privacy_rights"
down_revision = "0017_kpi_outcomes"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tenant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("privacy", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("details_cleared_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_column("details_cleared_at")
    with op.batch_alter_table("tenant", schema=None) as batch_op:
        batch_op.drop_column("privacy")
