"""Saved-search alerts

Revision ID: 0010_alerts
Revises: 0009_api_tokens
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op


revision = "0010_alerts"
down_revision = "0009_api_tokens"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "search_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("frequency", sa.Enum("daily", "weekly", name="alertfrequency", native_enum=False, length=10),
                  nullable=False),
        sa.Column("status", sa.Enum("pending", "confirmed", "stopped", name="alertstatus", native_enum=False,
                                    length=20), nullable=False),
        sa.Column("scope_tenant_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("search_key", sa.String(length=64), nullable=False),
        sa.Column("token_key", sa.String(length=24), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consent_text_version", sa.String(length=20), nullable=False),
        sa.Column("consent_source", sa.String(length=40), nullable=False),
        sa.Column("confirmation_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("matched_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["scope_tenant_id"], ["tenant.id"], name=op.f("fk_search_alert_scope_tenant_id_tenant"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_search_alert_user_id_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_alert")),
        sa.UniqueConstraint("email", "search_key", name=op.f("uq_search_alert_email_search_key")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("search_alert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_alert_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_alert_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_alert_next_due_at"), ["next_due_at"], unique=False)


def downgrade():
    op.drop_table("search_alert")
