"""Search facets residents ask for: opportunity type, allowance, and the description for snippets

Revision ID: 0013_search_facets
Revises: 0012_interests
Create Date: 2026-12-01

PostgreSQL full-text search only (search_document, created by 0005_postgres_search); on SQLite the
embedded Whoosh index gets the new fields when it is rebuilt, which happens by itself when an
index built before them is opened. Rows indexed before this migration have empty new columns (their
snippets fall back to the body) until `flask --app wsgi search rebuild`, which `deploy prepare`
does not run: run it once after upgrading.
"""

from alembic import op

revision = "0013_search_facets"
down_revision = "0012_interests"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "ALTER TABLE search_document "
        "ADD COLUMN IF NOT EXISTS opportunity_type varchar(20) NOT NULL DEFAULT '', "
        "ADD COLUMN IF NOT EXISTS allowance varchar(10) NOT NULL DEFAULT '', "
        "ADD COLUMN IF NOT EXISTS summary text NOT NULL DEFAULT ''"
    )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "ALTER TABLE search_document DROP COLUMN IF EXISTS summary, DROP COLUMN IF EXISTS allowance, "
        "DROP COLUMN IF EXISTS opportunity_type"
    )
