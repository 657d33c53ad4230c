"""The match sets of frequent words, kept in PostgreSQL for the facet copy (`search_lexeme`,
migration 0021_search_lexemes).

Matching a word found in most documents through the GIN index still visits most rows of
`search_match` (the index gives the rows; their numbers and visibility need the table): 30-55 ms
at 100,000 documents, paid by every web process the first time it meets the word. So the
lexemes in at least MIN_SHARE of the documents (PostgreSQL's own statistics of the column, its
most common elements) have their documents' numbers kept, as 64-bit words like the facet copy's,
with the highest number seen. A process reads a row (by primary key) and matches only the
documents numbered after `highest` (by the primary key of `search_match`: the new ones), so a
kept set is never out of date: a changed document has a new number, a deleted one is not in the
copy, and new ones are matched.

`refresh()` recomputes every row in one statement (about 6 s at 100,000 documents, some 600 lexemes); it runs at
the end of `search rebuild` and as the daily `search-maintain` job. It holds a transaction-level
advisory lock, so two hosts running it at once take turns.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

ALL_TENANTS = {"all_tenants": True}  # network-wide tables, not a project's rows
MIN_SHARE = 0.01  # a lexeme in at least this share of the documents has its set kept (if PostgreSQL lists it)
SETTINGS = ("work_mem = '64MB'", "statement_timeout = 120000")
FREQUENT = (
    "SELECT DISTINCT e AS lexeme FROM pg_stats, "
    "unnest(CAST(CAST(most_common_elems AS text) AS text[]), most_common_elem_freqs) AS u(e, f) "
    "WHERE schemaname = current_schema() AND tablename = 'search_match' AND attname = 'tsv' "
    "AND e IS NOT NULL AND f >= :share"
)
LOCK_SQL = text("SELECT pg_advisory_xact_lock(hashtext('crocevia: search lexemes'))")
REFRESH_SQL = text(
    f"WITH frequent AS MATERIALIZED ({FREQUENT}), "
    "top AS (SELECT coalesce(max(num), 0) AS highest FROM search_match) "
    "INSERT INTO search_lexeme (lexeme, highest, words, bits) "
    "SELECT lexeme, top.highest, array_agg(w ORDER BY w), array_agg(v ORDER BY w) FROM ("
    "SELECT lexeme, num >> 6 AS w, bit_or(1::bigint << (num & 63)::int) AS v "
    "FROM search_match, unnest(tsvector_to_array(tsv)) AS lexeme "
    "WHERE lexeme IN (SELECT lexeme FROM frequent) GROUP BY 1, 2) s, top GROUP BY lexeme, top.highest"
).execution_options(**ALL_TENANTS)
KEPT_SQL = text(
    "SELECT lexeme, highest, words, bits FROM search_lexeme WHERE lexeme = ANY(CAST(:lexemes AS text[]))"
).execution_options(**ALL_TENANTS)
# The documents numbered after `after` holding each lexeme: read along search_match's primary key.
NEWER_SQL = text(
    "WITH newer AS MATERIALIZED (SELECT num, tsv FROM search_match WHERE num > :after) "
    "SELECT lexeme, array_agg(num) FROM newer, unnest(tsvector_to_array(tsv)) AS lexeme "
    "WHERE lexeme = ANY(CAST(:lexemes AS text[])) GROUP BY 1"
).execution_options(**ALL_TENANTS)


def refresh(session: Session, share: float = MIN_SHARE, analyze: bool = True) -> int:
    """Recompute every kept set from the column's statistics (ANALYZEd first unless they were just
    computed); returns how many sets are kept."""
    session.execute(LOCK_SQL)
    if analyze:
        session.execute(text("ANALYZE search_match").execution_options(**ALL_TENANTS))
    for setting in SETTINGS:
        session.execute(text(f"SET LOCAL {setting}"))
    session.execute(text("DELETE FROM search_lexeme").execution_options(**ALL_TENANTS))
    session.execute(REFRESH_SQL, {"share": share})
    for name in (setting.split()[0] for setting in SETTINGS):
        session.execute(text(f"SET LOCAL {name} TO DEFAULT"))
    return int(
        session.execute(text("SELECT count(*) FROM search_lexeme").execution_options(**ALL_TENANTS)).scalar() or 0
    )


def kept(session: Session, lexemes: Iterable[str]) -> list[Any]:
    """The kept rows (lexeme, highest, words, bits) of those of `lexemes` that have one."""
    return list(session.execute(KEPT_SQL, {"lexemes": list(lexemes)}))


def newer(session: Session, lexemes: Iterable[str], after: int) -> dict[str, list[int]]:
    """The numbers above `after` of the documents holding each of `lexemes`."""
    return {row[0]: row[1] for row in session.execute(NEWER_SQL, {"lexemes": list(lexemes), "after": after})}
