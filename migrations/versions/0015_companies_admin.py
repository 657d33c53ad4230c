"""company self-registration, invitations, disabled accounts

Revision ID: 0015_companies_admin
Revises: 0014_workspace_drafts
Create Date: 2026-12-02

`company_registration` keeps what a company typed in the public form until a coordinator of
one of the projects it chose verifies it (it then becomes, or joins, an organisation);
`invitation` is an account to be created with a role when the invited person sets a password;
`user.disabled_at` is set by a platform admin to stop an account signing in.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_companies_admin"
down_revision = "0014_workspace_drafts"
branch_labels = None
depends_on = None

REGISTRATION_STATUSES = ("unconfirmed", "pending", "verified", "rejected")
INVITED_ROLES = ("coordinator", "member", "partner_editor")


def _timestamps():
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "company_registration",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "status",
            sa.Enum(*REGISTRATION_STATUSES, name="registrationstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("fiscal_code", sa.String(16), nullable=False),
        sa.Column("vat_number", sa.String(11), nullable=False),
        sa.Column("legal_form", sa.String(20), nullable=False),
        sa.Column("ateco_code", sa.String(8), nullable=False),
        sa.Column("comune", sa.String(100), nullable=False),
        sa.Column("comune_code", sa.String(6), nullable=True),
        sa.Column("province", sa.String(2), nullable=False),
        sa.Column("contact_name", sa.String(120), nullable=False),
        sa.Column("contact_email", sa.String(254), nullable=False),
        sa.Column("contact_phone", sa.String(40), nullable=False),
        sa.Column("locale", sa.String(5), nullable=False),
        sa.Column("intern_places", sa.Integer(), nullable=False),
        sa.Column("intern_profiles", sa.Text(), nullable=False),
        sa.Column("intern_period", sa.String(200), nullable=False),
        sa.Column("tenant_ids", sa.JSON(), nullable=False),
        sa.Column(
            "existing_organisation_id",
            sa.Integer(),
            sa.ForeignKey("organisation.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisation.id", ondelete="SET NULL"), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rejection_reason", sa.Text(), nullable=False),
        sa.Column("token_key", sa.String(24), nullable=False),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consent_text_version", sa.String(20), nullable=False),
        sa.Column("consent_source", sa.String(40), nullable=False),
        sa.Column("confirmation_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
    )
    op.create_index("ix_company_registration_status", "company_registration", ["status"])
    op.create_index("ix_company_registration_fiscal_code", "company_registration", ["fiscal_code"])
    op.create_index("ix_company_registration_contact_email", "company_registration", ["contact_email"])
    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("locale", sa.String(5), nullable=False),
        sa.Column("role", sa.Enum(*INVITED_ROLES, name="invitedrole", native_enum=False, length=20), nullable=False),
        sa.Column("tenant_id", sa.Integer(), sa.ForeignKey("tenant.id", ondelete="CASCADE"), nullable=True),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisation.id", ondelete="CASCADE"), nullable=True),
        sa.Column("invited_by_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_user_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
        sa.Column("token_key", sa.String(24), nullable=False),
        *_timestamps(),
    )
    op.create_index("ix_invitation_email", "invitation", ["email"])


def downgrade():
    op.drop_index("ix_invitation_email", table_name="invitation")
    op.drop_table("invitation")
    op.drop_index("ix_company_registration_contact_email", table_name="company_registration")
    op.drop_index("ix_company_registration_fiscal_code", table_name="company_registration")
    op.drop_index("ix_company_registration_status", table_name="company_registration")
    op.drop_table("company_registration")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("disabled_at")
