"""The match sets of frequent words, kept for the PostgreSQL search engine's facet copy

Revision ID: 0021_search_lexemes
Revises: 0020_search_numbers
Create Date: 2026-12-02

PostgreSQL full-text search only. Matching a word found in most documents costs a visit of most
of `search_match`'s rows (the GIN index gives the rows; their numbers need the table), 30-55 ms at
100,000 documents, in each web process that meets the word. `search_lexeme` keeps, for each
frequent lexeme, the numbers of the documents holding it (as 64-bit words, like the facet copy)
up to the highest number it has seen; a process reads a row and matches only the documents
numbered after it. Filled by `flask search rebuild` and the daily `search-lexemes` job
(search_index/lexeme_sets.py); empty until then, which only means slower first searches.
"""

from alembic import op

revision = "0021_search_lexemes"
down_revision = "0020_search_numbers"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE TABLE search_lexeme (lexeme text PRIMARY KEY, highest bigint NOT NULL, "
        "words bigint[] NOT NULL, bits bigint[] NOT NULL)"
    )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE IF EXISTS search_lexeme")
