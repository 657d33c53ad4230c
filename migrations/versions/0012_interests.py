"""entries: structured contact and application link; expressions of interest

Revision ID: 0012_interests
Revises: 0011_entry_notifications
Create Date: 2026-12-01

Every entry may say who to contact and how (place, hours, phone, e-mail) and give an
application link; empty, the organisation's and then the project's contacts are shown.
`interest` keeps what a person sent with "Show interest", for INTEREST_RETENTION_DAYS.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_interests"
down_revision = "0011_entry_notifications"
branch_labels = None
depends_on = None

CONTACT_COLUMNS = (
    ("contact_place", 200),
    ("contact_hours", 200),
    ("contact_phone", 40),
    ("contact_email", 254),
    ("apply_url", 300),
)


def upgrade():
    with op.batch_alter_table("entry", schema=None) as batch_op:
        for name, length in CONTACT_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length), nullable=False, server_default=""))
    op.create_table(
        "interest",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("entry_id", sa.Integer(), sa.ForeignKey("entry.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("locale", sa.String(5), nullable=False),
        sa.Column("consent_text_version", sa.String(20), nullable=False),
    )
    op.create_index("ix_interest_entry_id", "interest", ["entry_id"])
    op.create_index("ix_interest_created_at", "interest", ["created_at"])


def downgrade():
    op.drop_index("ix_interest_created_at", table_name="interest")
    op.drop_index("ix_interest_entry_id", table_name="interest")
    op.drop_table("interest")
    with op.batch_alter_table("entry", schema=None) as batch_op:
        for name, _length in reversed(CONTACT_COLUMNS):
            batch_op.drop_column(name)
