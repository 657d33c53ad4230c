"""Entry notifications: coordinators' daily review digest (opt-out), deadline reminders

Revision ID: 0011_entry_notifications
Revises: 0010_alerts
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op


revision = "0011_entry_notifications"
down_revision = "0010_alerts"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_digest", sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deadline_reminder_for", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.drop_column("deadline_reminder_for")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("review_digest")
