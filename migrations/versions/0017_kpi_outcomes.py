"""KPIs against targets: internship outcomes (counts only) and each project's targets

Revision ID: 0017_kpi_outcomes
Revises: 0016_project_lifecycle
Create Date: 2026-12-02

`internship_outcome` holds how many placements an internship offer led to, when they started
and ended and how (completed, hired, interrupted): counts, never names. It belongs to the
entry (deleted with it) and to the project it is counted for. `tenant.targets` keeps the
[targets] of tenant.toml (filled by `flask --app wsgi tenants sync`).
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_kpi_outcomes"
down_revision = "0016_project_lifecycle"
branch_labels = None
depends_on = None

OUTCOMES = ("in_progress", "completed", "hired", "interrupted")


def upgrade():
    with op.batch_alter_table("tenant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("targets", sa.JSON(), nullable=False, server_default="{}"))
    op.create_table(
        "internship_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("placements", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.Enum(*OUTCOMES, name="outcome", native_enum=False, length=20), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("placements > 0", name=op.f("ck_internship_outcome_placements")),
        sa.CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name=op.f("ck_internship_outcome_dates")),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["entry.id"], name=op.f("fk_internship_outcome_entry_id_entry"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user.id"], name=op.f("fk_internship_outcome_recorded_by_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_internship_outcome_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_internship_outcome")),
    )
    with op.batch_alter_table("internship_outcome", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_internship_outcome_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_internship_outcome_started_on"), ["started_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_internship_outcome_ended_on"), ["ended_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_internship_outcome_tenant_id"), ["tenant_id"], unique=False)


def downgrade():
    with op.batch_alter_table("internship_outcome", schema=None) as batch_op:
        for column in ("tenant_id", "ended_on", "started_on", "entry_id"):
            batch_op.drop_index(batch_op.f(f"ix_internship_outcome_{column}"))
    op.drop_table("internship_outcome")
    with op.batch_alter_table("tenant", schema=None) as batch_op:
        batch_op.drop_column("targets")
