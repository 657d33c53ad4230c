"""Content in both languages: optional English versions of entries, organisations and news; when
each language version of a page or news post last changed; English words in the PostgreSQL index

Revision ID: 0019_bilingual_content
Revises: 0018_privacy_rights
Create Date: 2026-12-02

Every English column is optional (empty: the Italian is shown). On PostgreSQL the search index
gets an English text search configuration `crocevia_en` (unaccent, then the English Snowball
stemmer) and the English title, body and description of each document; rows indexed before this
migration have no English words until `flask --app wsgi search rebuild`.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_bilingual_content"
down_revision = "0018_privacy_rights"
branch_labels = None
depends_on = None

ENTRY_TEXTS = (("title_en", sa.String(200)), ("description_en", sa.Text()), ("contact_hours_en", sa.String(200)))
ENTRY_KIND_TEXTS = (
    ("hours_en", sa.String(120)),
    ("requirements_en", sa.Text()),
    ("how_to_apply_en", sa.Text()),
    ("schedule_en", sa.String(200)),
    ("eligibility_en", sa.Text()),
    ("how_to_register_en", sa.Text()),
)


def upgrade():
    with op.batch_alter_table("entry", schema=None) as batch_op:
        for name, type_ in ENTRY_TEXTS:
            batch_op.add_column(sa.Column(name, type_, server_default="", nullable=False))
        for name, type_ in ENTRY_KIND_TEXTS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("description_en", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("intern_profiles_en", sa.Text(), server_default="", nullable=False))
    with op.batch_alter_table("news_post", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title_en", sa.String(200), server_default="", nullable=False))
        batch_op.add_column(sa.Column("summary_en", sa.String(400), server_default="", nullable=False))
        batch_op.add_column(sa.Column("body_md_en", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("body_html_en", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("text_changed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("en_changed_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text_changed_at", sa.DateTime(timezone=True), nullable=True))
    # What is there was last changed, as far as anyone knows, when the row was.
    op.execute("UPDATE page SET text_changed_at = updated_at")
    op.execute("UPDATE news_post SET text_changed_at = updated_at")

    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE TEXT SEARCH CONFIGURATION crocevia_en (COPY = pg_catalog.english)")
    op.execute(
        "ALTER TEXT SEARCH CONFIGURATION crocevia_en "
        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem"
    )
    op.execute(
        "ALTER TABLE search_document "
        "ADD COLUMN IF NOT EXISTS title_en text NOT NULL DEFAULT '', "
        "ADD COLUMN IF NOT EXISTS summary_en text NOT NULL DEFAULT ''"
    )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE search_document DROP COLUMN IF EXISTS summary_en, DROP COLUMN IF EXISTS title_en")
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS crocevia_en")
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.drop_column("text_changed_at")
    with op.batch_alter_table("news_post", schema=None) as batch_op:
        for name in ("en_changed_at", "text_changed_at", "body_html_en", "body_md_en", "summary_en", "title_en"):
            batch_op.drop_column(name)
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("intern_profiles_en")
        batch_op.drop_column("description_en")
    with op.batch_alter_table("entry", schema=None) as batch_op:
        for name, _type in reversed(ENTRY_TEXTS + ENTRY_KIND_TEXTS):
            batch_op.drop_column(name)
