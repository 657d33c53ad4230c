"""PostgreSQL full-text search: unaccent, pg_trgm, the crocevia_it configuration, search tables

Revision ID: 0005_postgres_search
Revises: 0004_mail_queue_jobs_links
Create Date: 2026-12-01

On SQLite (the embedded default, searched with Whoosh) this migration does nothing.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_postgres_search"
down_revision = "0004_mail_queue_jobs_links"
branch_labels = None
depends_on = None

EXTENSIONS = ("unaccent", "pg_trgm")


def _require_extensions(bind) -> None:
    available = set(bind.execute(sa.text("SELECT name FROM pg_available_extensions")).scalars())
    missing = [name for name in EXTENSIONS if name not in available]
    if missing:
        raise RuntimeError(
            f"PostgreSQL extension(s) {', '.join(missing)} not available on the database server: install the "
            "server's contrib package (Debian/Ubuntu: postgresql-contrib; it ships unaccent and pg_trgm), "
            "then run `flask --app wsgi db upgrade` again."
        )
    # Two hosts (or two test workers) upgrading a fresh database at once would both try to create
    # the extensions; the loser fails on pg_extension's unique name. One at a time, until commit.
    bind.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('crocevia: create extensions'))"))
    for name in EXTENSIONS:
        installed = bind.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = :n"), {"n": name}).scalar()
        if not installed:
            try:
                bind.execute(sa.text(f'CREATE EXTENSION IF NOT EXISTS "{name}" SCHEMA public'))
            except sa.exc.DBAPIError as exc:
                raise RuntimeError(
                    f"Could not create the PostgreSQL extension {name}: ask the database administrator to run "
                    f'CREATE EXTENSION {name}; in this database (or give the portal\'s user the right to). ({exc.orig})'
                ) from None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    _require_extensions(bind)
    op.execute("CREATE TEXT SEARCH CONFIGURATION crocevia_it (COPY = pg_catalog.italian)")
    # unaccent first (a filtering dictionary), then the Italian Snowball stemmer with its stop words.
    op.execute(
        "ALTER TEXT SEARCH CONFIGURATION crocevia_it "
        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, italian_stem"
    )
    op.execute("""
        CREATE TABLE search_document (
            id varchar(40) PRIMARY KEY,
            kind varchar(20) NOT NULL,
            title text NOT NULL,
            body text NOT NULL,
            url_slug varchar(200) NOT NULL,
            organisation text NOT NULL DEFAULT '',
            tenants text[] NOT NULL DEFAULT '{}',
            province varchar(2) NOT NULL DEFAULT '',
            comune varchar(100) NOT NULL DEFAULT '',
            sector varchar(10) NOT NULL DEFAULT '',
            targets text[] NOT NULL DEFAULT '{}',
            cost varchar(5) NOT NULL DEFAULT '',
            closes_on integer NOT NULL,
            published bigint NOT NULL,
            tsv tsvector NOT NULL
        )""")
    op.execute("CREATE INDEX ix_search_document_tsv ON search_document USING GIN (tsv)")
    op.execute("CREATE INDEX ix_search_document_tenants ON search_document USING GIN (tenants)")
    op.execute("CREATE INDEX ix_search_document_closes_on ON search_document (closes_on)")
    op.execute("CREATE INDEX ix_search_document_published ON search_document (published)")
    op.execute("CREATE TABLE search_word (word varchar(200) PRIMARY KEY)")
    op.execute("CREATE INDEX ix_search_word_trigrams ON search_word USING GIN (word gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE IF EXISTS search_word")
    op.execute("DROP TABLE IF EXISTS search_document")
    op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS crocevia_it")
